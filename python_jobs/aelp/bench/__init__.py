"""Benchmarks measured on sample worlds, all under ``aelp bench``."""
