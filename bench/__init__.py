"""Benchmarks of DESIGN §11 (`make bench`, `python -m bench b1 b2`); results in
docs/benchmarks.md."""
