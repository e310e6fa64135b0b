"""Pages of the programs app (people): see tests/pages.py for the format."""

PAGES: list = []
