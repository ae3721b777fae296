"""Command-line tools behind the Makefile: build, preview and new essays."""
