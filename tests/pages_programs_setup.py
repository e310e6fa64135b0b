"""Pages of the programs app (setup): see tests/pages.py for the format.

Set-up pages are for a program's coordinators (and superusers). Staff viewers read the
pages that show existing content; pages that only create something, and every POST,
give them 404, as they do to participants and to coordinators of other programs.
"""

from tests.pages import Page


def statuses(*, staff_viewer, other_coordinator=404, status=200):
    return {
        "anonymous": 302,
        "participant": 404,
        "outsider": 404,
        "coordinator": status,
        "other_coordinator": other_coordinator,
        "staff_viewer": staff_viewer,
        "superuser": status,
    }


READ = statuses(staff_viewer=200)  # a page showing the program's set-up
WRITE = statuses(staff_viewer=404)  # a page that only creates something
POST_ONLY = {"anonymous": 302, "*": 405}


def program(world):
    return {"code": world.program.code}


def role(name):
    return lambda world: {"code": world.program.code, "role": name}


def cycle(world):
    return {"code": world.program.code, "cycle": world.cycle.code}


def question(world):
    return {"code": world.program.code, "question": world.question.code}


def pair(world):
    first = world.program.question_pairs.select_related("mentor_question", "mentee_question")[0]
    return {
        "code": world.program.code,
        "mentor_question": first.mentor_question.code,
        "mentee_question": first.mentee_question.code,
    }


def module(world):
    return {"code": world.program.code, "module": world.module.code}


def resource(world):
    return {"code": world.program.code, "resource": world.resource.code}


# Anyone who coordinates a program may start a new one; staff viewers only read.
DASHBOARD = statuses(staff_viewer=200, other_coordinator=200)
CREATE = statuses(staff_viewer=404, other_coordinator=200)

PAGES = [
    Page("programs:dashboard", DASHBOARD, meant_for="coordinator"),
    Page("programs:dashboard", DASHBOARD, meant_for="staff_viewer"),
    Page("programs:program_create", CREATE, meant_for="coordinator"),
    Page("programs:program_edit", READ, meant_for="coordinator", kwargs=program),
    Page("programs:program_edit", READ, meant_for="staff_viewer", kwargs=program),
    Page("programs:program_duplicate", WRITE, meant_for="coordinator", kwargs=program),
    Page("programs:cycle_create", WRITE, meant_for="coordinator", kwargs=program),
    Page("programs:cycle_edit", READ, meant_for="coordinator", kwargs=cycle),
    Page("programs:questionnaire_builder", READ, meant_for="coordinator", kwargs=role("mentee")),
    Page("programs:questionnaire_builder", READ, meant_for="staff_viewer", kwargs=role("mentor")),
    Page("programs:question_create", WRITE, meant_for="coordinator", kwargs=role("mentor")),
    Page("programs:question_edit", READ, meant_for="coordinator", kwargs=question),
    Page("programs:question_move", POST_ONLY, kwargs=question, notes="POST only"),
    Page("programs:question_pairs", READ, meant_for="coordinator", kwargs=program),
    Page("programs:question_pairs", READ, meant_for="staff_viewer", kwargs=program),
    Page("programs:question_pair_delete", POST_ONLY, kwargs=pair, notes="POST only"),
    Page("programs:training_modules", READ, meant_for="coordinator", kwargs=program),
    Page("programs:training_create", WRITE, meant_for="coordinator", kwargs=program),
    Page("programs:training_edit", READ, meant_for="coordinator", kwargs=module),
    Page("programs:resource_list", READ, meant_for="coordinator", kwargs=program),
    Page("programs:resource_create", WRITE, meant_for="coordinator", kwargs=program),
    Page("programs:resource_edit", READ, meant_for="coordinator", kwargs=resource),
    Page("programs:weekly_prompts", READ, meant_for="coordinator", kwargs=program),
    Page("programs:weekly_prompts", READ, meant_for="staff_viewer", kwargs=program),
]
