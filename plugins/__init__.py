"""The project's Pelican plugins: ``plugins.<name>`` for the build, the tools and the tests."""
