"""pytest configuration shared by tests/ and the doctests in extractor/."""
collect_ignore = ["extractor/__main__.py", "bench", "build"]
