"""Benchmarks of Kofu, written to BENCHMARKS.md: ``python -m bench`` (``make bench``)."""
