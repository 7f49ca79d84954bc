"""python -m bench [b1] [b2] [b2file] [b5] [b6lag] [b3] [b4] [b6] — run the benchmarks (b1, b2,
b2file and b5 when none is named).

b3 (lists), b4 (Excel export) and b6 (statistics tabs) run over a year of history in a database
of their own (BENCH_LISTS_DATABASE_URL; bench/history.py loads it the first time, which takes
minutes), so they run only when named, and apart from the others. b6lag (the rollups' lag under
B1's load) runs on the benchmark database of the others, also only when named."""

from __future__ import annotations

import sys

from bench.harness import setup_django
from bench.history import setup_lists_django

DEFAULT = ["b1", "b2", "b2file", "b5"]
ON_HISTORY = {"b3", "b4", "b6"}


def main() -> None:
    names = sys.argv[1:] or DEFAULT
    on_history = [name for name in names if name in ON_HISTORY]
    if on_history and len(on_history) != len(names):
        sys.exit("b3, b4 and b6 run on the history database: name them apart from the others")
    if on_history:
        setup_lists_django()
    else:
        setup_django()
    for name in names:
        if name == "b1":
            from bench import b1_delivery

            b1_delivery.main()
        elif name == "b2":
            from bench import b2_accept

            b2_accept.main()
        elif name == "b2file":
            from bench import b2_file

            b2_file.main()
        elif name == "b3":
            from bench import b3_lists

            b3_lists.main()
        elif name == "b4":
            from bench import b4_export

            b4_export.main()
        elif name == "b6":
            from bench import b6_stats

            b6_stats.main()
        elif name == "b6lag":
            from bench import b6_stats

            b6_stats.main_lag()
        elif name == "b5":
            from bench import b5_addressbook

            b5_addressbook.main()
        else:
            sys.exit(f"unknown benchmark {name!r}: b1, b2, b2file, b3, b4, b5, b6 or b6lag")


main()
