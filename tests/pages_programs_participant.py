"""Pages of the programs app (participant): see tests/pages.py for the format."""

PAGES: list = []
