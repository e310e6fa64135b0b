"""The questions each program's surveys start with.

Written in the language active when they are created (the program's first
coordinator's); they become the program's own rows, editable afterwards.
"""

from django.utils.translation import gettext as _


def early_end_reasons() -> list[str]:
    return [
        _("We could not find time to meet"),
        _("Our goals or expectations did not fit"),
        _("One of us left the program or the organization"),
        _("The goals were reached sooner than planned"),
        _("Another reason"),
    ]


def questions(kind: str) -> list[dict]:
    """Return the built-in questions of the survey `kind` ("midpoint" or "end"), in order."""
    if kind == "midpoint":
        return [
            {
                "key": "satisfaction",
                "answer_type": "scale",
                "text": _("How satisfied are you with your mentoring so far?"),
            },
            {
                "key": "goals_reached",
                "answer_type": "yes_partly_no",
                "text": _("Are you making progress towards your goals?"),
            },
            {
                "key": "comment",
                "answer_type": "text",
                "required": False,
                "text": _("What would make the second half work better for you?"),
            },
        ]
    return [
        {
            "key": "satisfaction",
            "answer_type": "scale",
            "text": _("Overall, how satisfied are you with your mentoring?"),
        },
        {
            "key": "recommend",
            "answer_type": "score",
            "text": _("How likely are you to recommend this program to a colleague?"),
        },
        {
            "key": "goals_reached",
            "answer_type": "yes_partly_no",
            "text": _("Did you reach the goals you set together?"),
        },
        {
            "key": "early_end_reason",
            "answer_type": "choice",
            "choices": early_end_reasons(),
            "text": _("Your match ended early. What was the main reason?"),
        },
        {
            "key": "comment",
            "answer_type": "text",
            "required": False,
            "text": _("Anything else you would like to tell the coordinators?"),
        },
    ]
