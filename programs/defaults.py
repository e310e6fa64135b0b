"""What a new program starts with: questionnaires, a ten-week guide, handbooks and training.

Written in the language of the coordinator who creates the program; all of it is
editable afterwards.
"""

from django.utils.translation import gettext as _


def weekly_guide() -> list[tuple[str, str]]:
    return [
        (
            _("Getting to know each other"),
            _(
                "Share your backgrounds and what brought you to the program.\n"
                "Agree how and when you will meet, and how you will keep in touch between meetings.\n"
                "What does the mentee hope to have changed in ten weeks?"
            ),
        ),
        (
            _("Setting goals"),
            _(
                "Write two or three goals for the mentee, specific enough to know when they are met.\n"
                "Which of the program's objectives do they serve?"
            ),
        ),
        (
            _("Where things stand"),
            _(
                "What is going well today, and what is hard?\n"
                "Which strengths can the mentee build on?"
            ),
        ),
        (
            _("Learning from experience"),
            _(
                "The mentor tells of a situation like the mentee's and what they learned from it.\n"
                "What would the mentee do differently now?"
            ),
        ),
        (
            _("Skills in practice"),
            _("Pick one skill from the goals and plan a small exercise to try before next week."),
        ),
        (
            _("Halfway review"),
            _(
                "Look back at the goals: which are moving, which are stuck, and why?\n"
                "Adjust the plan for the second half."
            ),
        ),
        (
            _("Networks and visibility"),
            _("Who else could help the mentee? Plan one introduction or one conversation."),
        ),
        (
            _("Obstacles"),
            _("Name the main obstacle to the mentee's goals and look for two ways around it."),
        ),
        (
            _("Looking ahead"),
            _("What will the mentee keep doing after the program? Write the next three steps."),
        ),
        (
            _("Closing and thanks"),
            _(
                "Review what each of you learned, celebrate progress, and agree whether and how to stay in touch."
            ),
        ),
    ]


def weekly_activities() -> list[str]:
    """Return a short suggested activity for each week of weekly_guide(), in order."""
    return [
        _("Each of you draws a timeline of three moments that shaped your work, and shares it."),
        _("Write the goals down together and put them in your workspace agreement."),
        _("The mentee lists three strengths and the mentor adds one they noticed."),
        _("The mentor tells one story of a mistake and what it taught them."),
        _("Rehearse a real situation: one plays the other person, then swap."),
        _("Rate each goal from 1 to 5 and pick the one to push in the coming weeks."),
        _("Draw a map of the mentee's network and circle one person to contact."),
        _("Take one obstacle and write a plan B and a plan C for it."),
        _("The mentee writes a short note to themselves to read in three months."),
        _("Each of you writes down one thing you learned from the other."),
    ]


def goals() -> list[str]:
    return [
        _("Grow in my current role"),
        _("Change career direction"),
        _("Step into leadership"),
        _("Build confidence"),
        _("Grow a professional network"),
        _("Balance work and life"),
        _("Start a business or project"),
    ]


def questionnaire(role: str) -> list[dict]:
    """Return the default questions for `role` ("mentor" or "mentee")."""
    if role == "mentor":
        return [
            {"kind": "topics", "label": _("Which topics can you help with?"), "key": "topics"},
            {
                "kind": "languages",
                "label": _("Which languages can you mentor in?"),
                "key": "languages",
            },
            {
                "kind": "availability",
                "label": _("When are you usually free to meet?"),
                "key": "availability",
                "help_text": _("Tick the hours in your own time zone."),
            },
            {
                "kind": "long_text",
                "label": _("What experience would you like to share?"),
                "key": "story",
            },
            {
                "kind": "scale",
                "label": _("How much mentoring experience do you have?"),
                "key": "experience",
                "help_text": _("1: none yet, 5: a lot."),
            },
            {
                "kind": "single_choice",
                "label": _("How do you describe your gender?"),
                "key": "gender",
                "required": False,
                "sensitive": True,
                "choices": [
                    _("A woman"),
                    _("A man"),
                    _("A non-binary person"),
                    _("I prefer not to say"),
                ],
                "help_text": _(
                    "Optional. Only coordinators and the matching see this answer, for mentees who ask for it."
                ),
            },
            {
                "kind": "multiple_choice",
                "label": _("Which goals can you help a mentee reach?"),
                "key": "goals",
                "required": False,
                "choices": goals(),
            },
        ]
    return [
        {"kind": "topics", "label": _("Which topics do you want to work on?"), "key": "topics"},
        {
            "kind": "languages",
            "label": _("Which languages can you be mentored in?"),
            "key": "languages",
        },
        {
            "kind": "availability",
            "label": _("When are you usually free to meet?"),
            "key": "availability",
            "help_text": _("Tick the hours in your own time zone."),
        },
        {
            "kind": "long_text",
            "label": _("What do you hope to achieve in ten weeks?"),
            "key": "story",
        },
        {
            "kind": "single_choice",
            "label": _("Would you prefer a mentor of a particular gender?"),
            "key": "gender_preference",
            "required": False,
            "sensitive": True,
            "choices": [_("No preference"), _("A woman"), _("A man"), _("A non-binary person")],
            "help_text": _("Optional. Only coordinators and the matching see this answer."),
        },
        {
            "kind": "multiple_choice",
            "label": _("What do you most want from mentoring?"),
            "key": "goals",
            "required": False,
            "choices": goals(),
        },
    ]


def handbook(role: str) -> tuple[str, str]:
    if role == "mentor":
        return _("Mentor handbook"), _(
            "## Your role\n\n"
            "You help your mentee reach goals they choose. Listen more than you talk, ask open "
            "questions and share experience rather than instructions.\n\n"
            "## The ten weeks\n\n"
            "- Meet for about an hour each week, online; the weekly guide suggests what to discuss.\n"
            "- Send an agenda before each meeting and keep to the time agreed.\n"
            "- Write a short entry in the learning journal after each meeting.\n\n"
            "## Boundaries\n\n"
            "Keep what your mentee shares confidential. If something worries you, talk to the "
            "program's coordinator."
        )
    return _("Mentee handbook"), _(
        "## Your role\n\n"
        "You lead the relationship: you bring the goals, the questions and the agenda.\n\n"
        "## The ten weeks\n\n"
        "- Propose meeting times in the workspace; they are shown to each of you in your own time zone.\n"
        "- Prepare each meeting with the weekly guide and send your agenda ahead.\n"
        "- Note in the learning journal what you discussed, your next topics and the time spent.\n\n"
        "## Getting help\n\n"
        "If the match is not working, tell the program's coordinator early: they are there to help."
    )


def training(role: str) -> dict:
    if role == "mentor":
        return {
            "title": _("Mentoring online: the essentials"),
            "content": _(
                "Online mentoring works when both people know what to expect.\n\n"
                "1. **Agree the practicalities** in the first meeting: channel, rhythm, how to cancel.\n"
                "2. **Let the mentee set the goals**; help make them specific.\n"
                "3. **Listen, then ask**: open questions help more than answers.\n"
                "4. **Keep a record** in the learning journal so progress is visible.\n"
                "5. **Protect confidentiality**, and know when to involve the coordinator."
            ),
            "minutes": 20,
            "question": _("Who sets the goals of the mentoring relationship?"),
            "choices": [_("The mentor"), _("The mentee"), _("The coordinator")],
            "answer": 2,
        }
    return {
        "title": _("Getting the most from your mentor"),
        "content": _(
            "Your mentor gives you their time: use it well.\n\n"
            "1. **Come with goals** and say what you want from each meeting.\n"
            "2. **Send an agenda** a day ahead.\n"
            "3. **Do what you agreed** between meetings, and say when you could not.\n"
            "4. **Write your learning journal**: it helps you and your coordinator see progress."
        ),
        "minutes": 15,
        "question": _("I have read this and will prepare an agenda for each meeting."),
        "choices": [],
        "answer": None,
    }
