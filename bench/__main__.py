"""python -m bench [b1] [b2] [b2file] [b5] — run the benchmarks (all when none is named)."""

from __future__ import annotations

import sys

from bench.harness import setup_django


def main() -> None:
    setup_django()
    names = sys.argv[1:] or ["b1", "b2", "b2file", "b5"]
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
        elif name == "b5":
            from bench import b5_addressbook

            b5_addressbook.main()
        else:
            sys.exit(f"unknown benchmark {name!r}: b1, b2, b2file or b5")


main()
