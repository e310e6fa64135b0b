"""Every named URL of the platform, who it is for, and what each role gets.

`tests/test_permissions.py` checks the statuses; `tests/test_pages.py` and the
browser accessibility test render each page for the role it is meant for.
A named URL missing here fails the build.
"""

from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str

ROLES = (
    "anonymous",
    "participant",  # enrolled in world.program
    "outsider",  # enrolled in world.other_program
    "coordinator",  # of world.program
    "other_coordinator",  # of world.other_program
    "staff_viewer",
    "superuser",
)


def confirm_email_kwargs(world):
    """A real, valid confirmation key for a fresh unverified address of the participant."""
    address = EmailAddress.objects.create(
        user=world.users["participant"], email="pat.second@example.org", verified=False
    )
    return {"key": EmailConfirmationHMAC(address).key}


def reset_password_kwargs(world):
    user = world.users["participant"]
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}


@dataclass(frozen=True)
class Page:
    name: str
    statuses: dict
    meant_for: str | None = None  # the role that sees the page itself (200); None: not a page
    kwargs: object = None  # a function of the `world` fixture returning the URL's kwargs
    query: str = ""
    notes: str = field(default="", compare=False)

    def status_for(self, role):
        return self.statuses.get(role, self.statuses.get("*"))


def everyone(status):
    return {"*": status}


def signed_in(status, anonymous=302):
    return {"anonymous": anonymous, "*": status}


def admin_only():
    return {"superuser": 200, "*": 302}


PAGES = [
    Page("home", everyone(200), meant_for="anonymous"),
    Page("home", everyone(200), meant_for="participant"),
    Page("healthz", everyone(200), notes="JSON, not a page"),
    Page("switch_language", everyone(405), notes="POST only"),
    Page("accounts:settings", signed_in(200), meant_for="participant"),
    Page("account_login", {"anonymous": 200, "*": 302}, meant_for="anonymous"),
    Page("account_signup", {"anonymous": 200, "*": 302}, meant_for="anonymous"),
    Page("account_logout", signed_in(200), meant_for="participant"),
    Page("account_inactive", everyone(200), meant_for="anonymous"),
    Page("account_reauthenticate", signed_in(200), meant_for="participant"),
    Page("account_email", signed_in(200), meant_for="participant"),
    Page("account_email_verification_sent", everyone(200), meant_for="anonymous"),
    Page("account_change_password", signed_in(200), meant_for="participant"),
    Page(
        "account_set_password", signed_in(302), notes="people with a password are sent to change it"
    ),
    Page("account_reset_password", everyone(200), meant_for="anonymous"),
    Page("account_reset_password_done", everyone(200), meant_for="anonymous"),
    Page(
        "account_reset_password_from_key",
        everyone(302),
        kwargs=reset_password_kwargs,
        notes="moves the key into the session, then shows the form",
    ),
    Page("account_reset_password_from_key_done", everyone(200), meant_for="anonymous"),
    Page(
        "account_confirm_email", everyone(200), meant_for="anonymous", kwargs=confirm_email_kwargs
    ),
    Page("account_confirm_login_code", everyone(302), notes="only during a log-in by code"),
    Page("admin:index", admin_only(), meant_for="superuser"),
]

from tests.pages_journals_journal import PAGES as JOURNALS_JOURNAL_PAGES  # noqa: E402
from tests.pages_journals_meetings import PAGES as JOURNALS_MEETINGS_PAGES  # noqa: E402
from tests.pages_journals_messages import PAGES as JOURNALS_MESSAGES_PAGES  # noqa: E402
from tests.pages_journals_workspace import PAGES as JOURNALS_WORKSPACE_PAGES  # noqa: E402
from tests.pages_matching_coordinator import PAGES as MATCHING_COORDINATOR_PAGES  # noqa: E402
from tests.pages_matching_participant import PAGES as MATCHING_PARTICIPANT_PAGES  # noqa: E402
from tests.pages_programs_participant import PAGES as PARTICIPANT_PAGES  # noqa: E402
from tests.pages_programs_people import PAGES as PEOPLE_PAGES  # noqa: E402
from tests.pages_programs_setup import PAGES as SETUP_PAGES  # noqa: E402

PAGES += PARTICIPANT_PAGES + SETUP_PAGES + PEOPLE_PAGES
PAGES += MATCHING_PARTICIPANT_PAGES
PAGES += MATCHING_COORDINATOR_PAGES
PAGES += JOURNALS_WORKSPACE_PAGES + JOURNALS_MESSAGES_PAGES
PAGES += JOURNALS_MEETINGS_PAGES + JOURNALS_JOURNAL_PAGES

# Django's own back office: its index is listed above; its model pages are Django's.
UNLISTED_NAMESPACES = ("admin",)

from tests.pages_notifications import PAGES as NOTIFICATIONS_PAGES  # noqa: E402

PAGES += NOTIFICATIONS_PAGES

from tests.pages_evaluation import PAGES as EVALUATION_PAGES  # noqa: E402

PAGES += EVALUATION_PAGES

from tests.pages_certificates import PAGES as CERTIFICATES_PAGES  # noqa: E402

PAGES += CERTIFICATES_PAGES

from tests.pages_figures import PAGES as FIGURES_PAGES  # noqa: E402

PAGES += FIGURES_PAGES
