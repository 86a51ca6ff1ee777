"""Benchmarks (not tests): run them as modules, e.g. ``python -m bench.load``. Results go to bench/results/."""
