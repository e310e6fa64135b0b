"""The permission table: every named URL × every role, with the status it must give."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.pages import PAGES, ROLES, UNLISTED_NAMESPACES


def named_urls(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from named_urls(pattern, ":".join(n for n in (namespace, inner) if n) or None)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_named_url_is_in_the_permission_table():
    listed = {page.name for page in PAGES}
    missing = sorted(
        name
        for name in set(named_urls())
        if name not in listed and name.split(":")[0] not in UNLISTED_NAMESPACES
    )
    assert missing == [], f"add these URLs to tests/pages.py: {missing}"


def test_the_table_names_only_urls_that_exist():
    existing = set(named_urls())
    assert {page.name for page in PAGES} <= existing


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page.name}-{page.meant_for}")
def test_each_role_gets_the_expected_status(client, world, page, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    kwargs = page.kwargs(world) if page.kwargs else {}
    response = client.get(reverse(page.name, kwargs=kwargs) + page.query)
    assert response.status_code == page.status_for(role), (
        f"{page.name} for {role}: {response.status_code}"
    )
