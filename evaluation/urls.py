"""URLs of the surveys: a person's surveys, and the coordinators' question editor."""

from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("surveys/", views.my_surveys, name="surveys"),
    path("surveys/<uuid:code>/", views.survey, name="survey"),
    path(
        "programs/<uuid:code>/survey-questions/",
        views.survey_questions,
        name="survey_questions",
    ),
    path(
        "programs/<uuid:code>/survey-questions/<str:kind>/new/",
        views.survey_question_new,
        name="survey_question_new",
    ),
    path(
        "survey-questions/<uuid:code>/edit/",
        views.survey_question_edit,
        name="survey_question_edit",
    ),
    path(
        "survey-questions/<uuid:code>/move/",
        views.survey_question_move,
        name="survey_question_move",
    ),
    path(
        "survey-questions/<uuid:code>/remove/",
        views.survey_question_remove,
        name="survey_question_remove",
    ),
]
