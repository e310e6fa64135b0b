"""The coordinator's program set-up, all under coordinate/."""

from django.urls import path

from programs.views import setup as views

urlpatterns = [
    path("coordinate/", views.dashboard, name="dashboard"),
    path("coordinate/new/", views.program_create, name="program_create"),
    path("coordinate/<uuid:code>/settings/", views.program_edit, name="program_edit"),
    path("coordinate/<uuid:code>/duplicate/", views.program_duplicate, name="program_duplicate"),
    path("coordinate/<uuid:code>/cycles/new/", views.cycle_create, name="cycle_create"),
    path("coordinate/<uuid:code>/cycles/<uuid:cycle>/", views.cycle_edit, name="cycle_edit"),
    path(
        "coordinate/<uuid:code>/questionnaire/<str:role>/",
        views.questionnaire_builder,
        name="questionnaire_builder",
    ),
    path(
        "coordinate/<uuid:code>/questionnaire/<str:role>/new/",
        views.question_create,
        name="question_create",
    ),
    path(
        "coordinate/<uuid:code>/questions/<uuid:question>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "coordinate/<uuid:code>/questions/<uuid:question>/move/",
        views.question_move,
        name="question_move",
    ),
    path("coordinate/<uuid:code>/pairs/", views.question_pairs, name="question_pairs"),
    path(
        "coordinate/<uuid:code>/pairs/<uuid:mentor_question>/<uuid:mentee_question>/delete/",
        views.question_pair_delete,
        name="question_pair_delete",
    ),
    path("coordinate/<uuid:code>/training/", views.training_modules, name="training_modules"),
    path("coordinate/<uuid:code>/training/new/", views.training_create, name="training_create"),
    path(
        "coordinate/<uuid:code>/training/<uuid:module>/",
        views.training_edit,
        name="training_edit",
    ),
    path("coordinate/<uuid:code>/resources/", views.resource_list, name="resource_list"),
    path("coordinate/<uuid:code>/resources/new/", views.resource_create, name="resource_create"),
    path(
        "coordinate/<uuid:code>/resources/<uuid:resource>/",
        views.resource_edit,
        name="resource_edit",
    ),
    path("coordinate/<uuid:code>/weekly-guide/", views.weekly_prompts, name="weekly_prompts"),
]
