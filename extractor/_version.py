"""The package version (one place; `extractor.__version__`, `extractor -V`, batch fingerprints)."""
__version__ = "0.1.0"
