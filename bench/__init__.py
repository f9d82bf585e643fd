"""Benchmarks: corpus generator, piimap vs Presidio runner, scoring (see docs/performance.md)."""
