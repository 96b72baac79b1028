"""Benchmarks: ``python -m benchmarks.<name>`` from the repository root (they write under benchmarks/work/)."""
