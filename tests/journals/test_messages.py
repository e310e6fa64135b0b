"""The pair's private thread: posting, reading, unread counts, and who sees what."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journals.access import get_workspace
from journals.errors import JournalError
from journals.models import Message, ThreadVisit
from journals.services.messages import mark_thread_read, post_message, unread_count
from journals.views.messages import summary_context
from matching import services as matching
from tests.factories import UserFactory
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def match(coordinator):
    return active_match(coordinator)


def mona(match):
    return match.mentor.user


def mia(match):
    return match.mentee.user


def url(match, name="journals:thread", query=""):
    return reverse(name, kwargs={"code": match.code}) + query


def end(match, coordinator):
    matching.end_match(match, by=coordinator, reason="Moved abroad.")
    match.refresh_from_db()


def fill(match, count, *, author=None):
    """Add `count` messages at once, a minute apart, ending a minute ago."""
    author = author or mona(match)
    start = timezone.now() - timedelta(minutes=count + 1)
    Message.objects.bulk_create(
        Message(
            match=match, author=author, body=f"Message {n}", created_at=start + timedelta(minutes=n)
        )
        for n in range(count)
    )


# --- the services -----------------------------------------------------------------------


def test_posting_stores_the_text_stripped(match):
    message = post_message(match, by=mia(match), body="  Hello Mona!\n\n ")
    assert message.body == "Hello Mona!"
    assert message.author == mia(match)


@pytest.mark.parametrize("body", ["", "   \n  ", None])
def test_an_empty_message_is_refused(match, body):
    with pytest.raises(JournalError, match="Write a message before sending it.") as refusal:
        post_message(match, by=mia(match), body=body)
    assert refusal.value.field == "body"
    assert not Message.objects.exists()


def test_a_message_of_5000_characters_is_accepted_and_one_more_refused(match):
    assert len(post_message(match, by=mia(match), body="a" * 5000).body) == 5000
    with pytest.raises(JournalError, match="under 5000 characters"):
        post_message(match, by=mia(match), body="a" * 5001)


def test_coordinators_and_strangers_cannot_post(match, coordinator):
    for person in (coordinator, UserFactory()):
        with pytest.raises(JournalError, match="Only the two people of the match"):
            post_message(match, by=person, body="Hi")
    assert not Message.objects.exists()


def test_an_ended_match_takes_no_more_messages(match, coordinator):
    end(match, coordinator)
    with pytest.raises(JournalError, match="This match has ended."):
        post_message(match, by=mia(match), body="Still there?")


def test_unread_counts_the_partners_messages_after_the_last_visit(match):
    assert unread_count(match, mia(match)) == 0
    post_message(match, by=mona(match), body="One")
    post_message(match, by=mona(match), body="Two")
    assert unread_count(match, mia(match)) == 2
    assert unread_count(match, mona(match)) == 0  # her own messages are never unread
    mark_thread_read(match, by=mia(match))
    assert unread_count(match, mia(match)) == 0
    post_message(match, by=mona(match), body="Three")
    assert unread_count(match, mia(match)) == 1


def test_posting_marks_the_thread_read_for_the_writer(match):
    post_message(match, by=mona(match), body="One")
    post_message(match, by=mia(match), body="Reply")
    assert unread_count(match, mia(match)) == 0
    assert ThreadVisit.objects.filter(match=match).count() == 2


def test_marking_read_twice_keeps_one_visit_and_works_after_the_end(match, coordinator):
    mark_thread_read(match, by=mia(match))
    end(match, coordinator)
    mark_thread_read(match, by=mia(match))
    assert ThreadVisit.objects.filter(match=match, user=mia(match)).count() == 1


def test_a_coordinator_cannot_mark_the_thread_read(match, coordinator):
    with pytest.raises(JournalError):
        mark_thread_read(match, by=coordinator)


# --- the thread page --------------------------------------------------------------------


def test_the_thread_shows_html_as_text(client, match):
    post_message(match, by=mona(match), body="<script>alert(1)</script>\n<b>bold</b>")
    client.force_login(mia(match))
    html = client.get(url(match)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html


def test_links_are_made_safe(client, match):
    body = 'See https://example.org/a?b=1&c=2 and javascript:alert(1) "><img src=x>'
    post_message(match, by=mona(match), body=body)
    client.force_login(mia(match))
    html = client.get(url(match)).content.decode()
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow">' in html
    assert 'href="javascript' not in html
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html


def test_posting_through_the_page_adds_the_message_and_goes_to_it(client, match):
    client.force_login(mia(match))
    response = client.post(url(match), {"body": "Hello Mona"})
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(match) + f"#message-{message.pk}"
    assert "Hello Mona" in client.get(url(match)).content.decode()


def test_an_overlong_message_is_kept_in_the_form_with_the_error(client, match):
    client.force_login(mia(match))
    body = "word " * 1100
    response = client.post(url(match), {"body": body})
    assert response.status_code == 200
    form = response.context["form"]
    assert "under 5000 characters" in form.errors["body"][0]
    assert body.strip() in response.content.decode()
    assert not Message.objects.exists()


def test_an_empty_message_is_refused_in_the_form(client, match):
    client.force_login(mia(match))
    response = client.post(url(match), {"body": "   "})
    assert response.context["form"].errors["body"] == ["Write a message before sending it."]
    assert not Message.objects.exists()


def test_a_get_never_marks_the_thread_read(client, match):
    post_message(match, by=mona(match), body="One")
    client.force_login(mia(match))
    html = client.get(url(match)).content.decode()
    client.get(url(match, "journals:thread_updates", "?after=0"))
    assert unread_count(match, mia(match)) == 1
    assert not ThreadVisit.objects.filter(user=mia(match)).exists()
    # The page asks to be marked read by a POST once it has loaded.
    assert f'hx-post="{url(match, "journals:thread_read")}" hx-trigger="load"' in html


def test_the_read_endpoint_marks_the_thread_read(client, match):
    post_message(match, by=mona(match), body="One")
    client.force_login(mia(match))
    assert client.post(url(match, "journals:thread_read"), **HTMX).status_code == 204
    assert unread_count(match, mia(match)) == 0
    response = client.post(url(match, "journals:thread_read"))
    assert response.status_code == 302 and response["Location"] == url(match)


def test_a_coordinator_posting_to_the_read_endpoint_changes_nothing(client, match, coordinator):
    client.force_login(coordinator)
    assert client.post(url(match, "journals:thread_read"), **HTMX).status_code == 204
    assert not ThreadVisit.objects.exists()


def test_older_messages_are_paged_by_a_cursor(client, match):
    fill(match, 65)
    client.force_login(mia(match))
    newest = client.get(url(match)).context
    assert [m.body for m in newest["thread"]][-1] == "Message 64"
    assert [m.body for m in newest["thread"]][0] == "Message 35"
    assert newest["has_older"] and newest["newest_page"]
    older = client.get(url(match, query=f"?before={newest['oldest_id']}")).context
    assert [m.body for m in older["thread"]][0] == "Message 5"
    assert older["has_older"] and not older["newest_page"] and older["form"] is not None
    oldest = client.get(url(match, query=f"?before={older['oldest_id']}")).context
    assert len(oldest["thread"]) == 5 and not oldest["has_older"]


@pytest.mark.parametrize("cursor", ["abc", "-3", "0", "9" * 30, ""])
def test_a_cursor_that_is_not_a_number_shows_the_newest_page(client, match, cursor):
    fill(match, 3)
    client.force_login(mia(match))
    response = client.get(url(match, query=f"?before={cursor}"))
    assert response.status_code == 200 and len(response.context["thread"]) == 3


def test_the_updates_return_only_newer_messages(client, match):
    first = post_message(match, by=mona(match), body="Old news")
    post_message(match, by=mona(match), body="Fresh <news>")
    client.force_login(mia(match))
    response = client.get(url(match, "journals:thread_updates", f"?after={first.pk}"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fresh &lt;news&gt;" in html and "Old news" not in html
    assert 'hx-swap-oob="beforeend:#thread-messages"' in html
    last = Message.objects.latest("pk").pk
    assert f"?after={last}" in html  # the next poll asks for what comes after
    assert "hx-post" in html  # new messages from the partner: read now that they are shown


def test_the_updates_with_nothing_new_only_renew_the_poll(client, match):
    message = post_message(match, by=mona(match), body="Old news")
    client.force_login(mia(match))
    html = client.get(url(match, "journals:thread_updates", f"?after={message.pk}")).content
    assert b"Old news" not in html and b"thread-poll" in html and b"hx-swap-oob" not in html


def test_the_updates_are_not_for_coordinators(client, match, coordinator):
    post_message(match, by=mona(match), body="Private")
    client.force_login(coordinator)
    assert client.get(url(match, "journals:thread_updates", "?after=0")).status_code == 404


def test_a_coordinator_sees_counts_and_dates_never_bodies(client, match, coordinator):
    post_message(match, by=mona(match), body="A private thought")
    post_message(match, by=mia(match), body="A private reply")
    post_message(match, by=mia(match), body="Another one")
    client.force_login(coordinator)
    response = client.get(url(match))
    html = response.content.decode()
    assert response.status_code == 200
    assert "private" not in html.lower().replace("messages are private to the pair", "")
    assert response.context["total"] == 3
    [week] = response.context["weeks"]
    assert (week["total"], week["from_mentor"], week["from_mentee"]) == (3, 1, 2)
    assert response.context["last_at"] == Message.objects.latest("pk").created_at
    assert 'name="body"' not in html


def test_a_coordinators_post_is_refused_with_a_message(client, match, coordinator):
    client.force_login(coordinator)
    response = client.post(url(match), {"body": "Hi both"}, follow=True)
    assert response.status_code == 200
    assert "Only the two people of the match can do this." in response.content.decode()
    assert not Message.objects.exists()


def test_after_the_end_the_thread_is_readable_and_posting_is_refused(client, match, coordinator):
    post_message(match, by=mona(match), body="Thanks for everything")
    end(match, coordinator)
    client.force_login(mia(match))
    response = client.get(url(match))
    html = response.content.decode()
    assert "Thanks for everything" in html and "This match has ended." in html
    assert 'name="body"' not in html and "thread-poll" not in html
    response = client.post(url(match), {"body": "One more"}, follow=True)
    assert response.status_code == 200
    assert "This match has ended." in response.content.decode()
    assert Message.objects.count() == 1


@pytest.mark.parametrize("who", ["stranger", "other_coordinator", "staff_viewer"])
def test_anyone_else_gets_404_on_every_url(client, match, request, who):
    post_message(match, by=mona(match), body="Private")
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(match)).status_code == 404
    assert client.post(url(match), {"body": "Hi"}).status_code == 404
    assert client.get(url(match, "journals:thread_updates", "?after=0")).status_code == 404
    assert client.post(url(match, "journals:thread_read")).status_code == 404
    assert Message.objects.count() == 1 and not ThreadVisit.objects.exclude(user=mona(match))


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_thread_runs_a_fixed_number_of_queries(
    client, match, coordinator, django_assert_max_num_queries, size
):
    fill(match, size)
    client.force_login(mia(match))
    # Session, user, navigation, the match, one page of messages.
    with django_assert_max_num_queries(5):
        assert client.get(url(match)).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(url(match, query="?before=999999")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(url(match, "journals:thread_updates", "?after=1")).status_code == 200
    client.force_login(coordinator)
    # Session, user, navigation, the match, the coordinator check, the weekly counts.
    with django_assert_max_num_queries(6):
        assert client.get(url(match)).status_code == 200


# --- the workspace page and the navigation --------------------------------------------


@pytest.mark.parametrize("size", [2, 200])
def test_the_summary_runs_three_queries_at_most(match, django_assert_max_num_queries, size):
    fill(match, size)
    workspace = get_workspace(mia(match), match.code)
    with django_assert_max_num_queries(3):
        context = summary_context(workspace)
    assert context["thread_unread"] == size
    assert [m.body for m in context["thread_recent"]][-1] == f"Message {size - 1}"
    assert len(context["thread_recent"]) == 2 if size == 2 else 3


def test_the_summary_shows_coordinators_counts_not_bodies(match, coordinator):
    post_message(match, by=mona(match), body="A private thought")
    workspace = get_workspace(coordinator, match.code)
    context = summary_context(workspace)
    assert "thread_recent" not in context and context["thread_total"] == 1
    html = render_to_string(
        "journals/messages/_summary.html", {"workspace": workspace, "user": coordinator, **context}
    )
    assert "private thought" not in html and "1 message, the last on" in html


def test_the_summary_shows_participants_the_last_messages_and_unread(match):
    post_message(match, by=mona(match), body="See https://example.org <b>now</b>")
    workspace = get_workspace(mia(match), match.code)
    html = render_to_string(
        "journals/messages/_summary.html",
        {"workspace": workspace, "user": mia(match), **summary_context(workspace)},
    )
    assert "1 unread" in html
    assert '<a href="https://example.org" rel="nofollow">' in html and "&lt;b&gt;now" in html


def test_the_navigation_shows_unread_messages_without_an_extra_query(
    client, match, django_assert_max_num_queries
):
    post_message(match, by=mona(match), body="One")
    post_message(match, by=mona(match), body="Two")
    client.force_login(mia(match))
    # The same count as tests/test_query_counts.py pins for this page.
    with django_assert_max_num_queries(4):
        html = client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{url(match)}">Messages (2)</a>' in html
    client.force_login(mona(match))
    assert "Messages (" not in client.get(reverse("accounts:settings")).content.decode()
