"""Pages of the programs app (setup): see tests/pages.py for the format."""

PAGES: list = []
