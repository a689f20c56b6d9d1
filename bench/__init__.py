"""Benchmarks: one module per figure, `python -m bench.NAME --json OUT`."""
