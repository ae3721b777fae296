"""Services the build's features share, in one place instead of a copy in each.

Features import a service module from here and call it explicitly, passing
what is theirs to decide (which elements to look through, which to skip) as
arguments: nothing here patches another module or keeps per-site state.
"""
