"""python -m bench [b1] [b1scale] [b2] [b2file] [b5] [b7] [b6lag] [b3] [b4] [b6] — run the
benchmarks (b1, b2, b2file, b5 and b7 when none is named); results in var/bench/NAME.json.

  b1       100,000 personalised mails, accept → all final, to smtp-sink, beside a bare smtplib
           loop to it (BENCH_B1_RECIPIENTS, BENCH_B1_PROCESSES, BENCH_B1_HOSTS)
  b1scale  B1 with 1, 2 and 4 worker processes and with two worker hosts (BENCH_B1_SCALE), with
           the check that nothing was sent twice
  b2       POST /mails: 100,000 recipients, and 1 recipient under 20 clients, beside the trivial
           signed endpoint of bench/urls.py (BENCH_B2_SECONDS)
  b2file   the composer's 100,000-row file, upload → accepted
  b5       address import of 100,000 rows; AND / OR over 1,000,000 addresses
  b7       40 API clients, half sending and half reading, while the workers deliver, beside the
           trivial endpoint (BENCH_B7_SECONDS, BENCH_B7_BASELINE_SECONDS, BENCH_B7_DRAIN_SECONDS)
  b6lag    the rollups' lag under B1's load
  b3 b4 b6 the lists, the Excel export and the statistics tabs over a year of history

docs/bench-notes.md says how to run them; docs/benchmarks.md has the figures.

b3 (lists), b4 (Excel export) and b6 (statistics tabs) run over a year of history in a database
of their own (BENCH_LISTS_DATABASE_URL; bench/history.py loads it the first time, which takes
minutes), so they run only when named, and apart from the others. b6lag (the rollups' lag under
B1's load) runs on the benchmark database of the others, also only when named."""

from __future__ import annotations

import sys

from bench.harness import setup_django
from bench.history import setup_lists_django

DEFAULT = ["b1", "b2", "b2file", "b5", "b7"]
ON_HISTORY = {"b3", "b4", "b6"}


def main() -> None:
    names = sys.argv[1:] or DEFAULT
    if any(name in ("-h", "--help", "help") for name in names):
        print(__doc__)
        return
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
        elif name == "b1scale":
            from bench import b1_delivery

            b1_delivery.main_scale()
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
        elif name == "b7":
            from bench import b7_mixed

            b7_mixed.main()
        else:
            sys.exit(f"unknown benchmark {name!r}: b1, b1scale, b2, b2file, b3, b4, b5, b6, "
                     "b6lag or b7 (python -m bench --help)")


main()
