"""Benchmarks of Kofu, written to BENCHMARKS.md: ``python -m bench`` (``make bench``)."""

import os

# The benchmarks run Kofu with DEBUG off, as in production, which refuses to start without a key.
os.environ.setdefault("SECRET_KEY", "kofu-benchmarks-only-not-secret-" + "x" * 40)
