import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

pytestmark = pytest.mark.browser

AXE = Axe()
# WCAG 2.1 A and AA plus axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}


def assert_accessible(page):
    """Run axe-core on the page as it is now; fail with its report on any violation."""
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in_as(page, live_server, user):
    """Give the browser a session for `user` without going through the form."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
