"""Guard tests: every page renders for the person it is meant for, with one <h1>."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.pages import PAGES


class HeadingCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.labels_for = set()
        self.fields = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.fields.append(attrs.get("id"))


VIEWABLE = [page for page in PAGES if page.meant_for]


@pytest.mark.parametrize("page", VIEWABLE, ids=lambda page: f"{page.name}-{page.meant_for}")
def test_each_page_renders_with_one_h1_and_labelled_fields(client, world, page):
    if page.meant_for != "anonymous":
        client.force_login(world.users[page.meant_for])
    kwargs = page.kwargs(world) if page.kwargs else {}
    response = client.get(reverse(page.name, kwargs=kwargs) + page.query)
    assert response.status_code == 200
    parser = HeadingCounter()
    parser.feed(response.content.decode())
    assert parser.h1 == 1, f"{page.name} has {parser.h1} <h1>"
    unlabelled = [field for field in parser.fields if field not in parser.labels_for]
    assert unlabelled == [], f"{page.name}: fields without a <label for>: {unlabelled}"


def test_the_suite_runs_on_postgresql(db):
    from django.db import connection

    assert connection.vendor == "postgresql"
