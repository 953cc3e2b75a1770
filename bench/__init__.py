"""Benchmarks at partnership scale: `python bench/run.py [--scale 1|3] [--quick]`."""
