"""The back office for programs: read-mostly.

Coordinators run their programs in the app, where every change goes through a service.
Here superusers look things up and assign a program's coordinators; nothing else is
changed, added or deleted, so the services' rules and the KPIs' history stay whole.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from programs.models import (
    Answer,
    Cycle,
    Invitation,
    Participant,
    ParticipantEvent,
    Program,
    Question,
    QuestionPair,
    Resource,
    Topic,
    TrainingCompletion,
    TrainingModule,
    WeeklyPrompt,
)
from programs.services.programs import PROGRAM_SETTINGS


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show every field; allow no addition, change or deletion."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CycleInline(ReadOnlyInline):
    model = Cycle
    fields = [
        "name",
        "enrolment_opens_on",
        "enrolment_closes_on",
        "matching_opens_on",
        "matching_closes_on",
        "starts_on",
    ]


class TopicInline(ReadOnlyInline):
    model = Topic
    fields = ["name"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    """Only the coordinators can be changed here; everything else is set in the app."""

    list_display = ["name", "status", "enrolment_mode", "participant_count", "created_at"]
    list_filter = ["status", "enrolment_mode", "request_initiator", "allow_dual_role"]
    search_fields = ["name", "description", "coordinators__email", "coordinators__display_name"]
    date_hierarchy = "created_at"
    filter_horizontal = ["coordinators"]
    inlines = [CycleInline, TopicInline]
    readonly_fields = ["code", "join_code", *PROGRAM_SETTINGS, "created_at"]
    fields = ["coordinators", *readonly_fields]

    def get_queryset(self, request):
        # One annotated query for the list, instead of a count per row.
        return super().get_queryset(request).annotate(participant_total=Count("participants"))

    @admin.display(description=_("participants"), ordering="participant_total")
    def participant_count(self, program):
        return program.participant_total

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["name", "program", "enrolment_opens_on", "enrolment_closes_on", "starts_on"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["name", "program__name"]
    date_hierarchy = "starts_on"


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["user", "program", "role", "state", "cycle", "joined_at"]
    list_filter = ["role", "state", "program"]
    list_select_related = ["user", "program", "cycle"]
    search_fields = ["user__email", "user__display_name", "department", "program__name"]
    date_hierarchy = "joined_at"


@admin.register(ParticipantEvent)
class ParticipantEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "participant", "action", "from_state", "to_state", "actor"]
    list_filter = ["action", "to_state"]
    list_select_related = ["participant__user", "participant__program", "actor"]
    search_fields = ["participant__user__email", "actor__email", "note"]
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "program", "role", "status", "sent_count", "expires_at"]
    list_filter = ["status", "role", "program"]
    list_select_related = ["program"]
    search_fields = ["email", "name", "program__name"]
    date_hierarchy = "created_at"


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["label", "program", "role", "position", "kind", "required", "hidden"]
    list_filter = ["role", "kind", "required", "sensitive", "hidden", "program"]
    list_select_related = ["program"]
    search_fields = ["label", "program__name"]


@admin.register(QuestionPair)
class QuestionPairAdmin(ReadOnlyAdmin):
    list_display = ["mentor_question", "mentee_question", "program", "rule", "weight"]
    list_filter = ["rule", "program"]
    list_select_related = ["mentor_question", "mentee_question", "program"]
    search_fields = ["mentor_question__label", "mentee_question__label", "program__name"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["participant", "question", "updated_at"]
    list_filter = ["question__program"]
    list_select_related = ["participant__user", "participant__program", "question"]
    search_fields = ["participant__user__email", "question__label"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(ReadOnlyAdmin):
    list_display = ["title", "program", "audience", "estimated_minutes", "required"]
    list_filter = ["audience", "required", "program"]
    list_select_related = ["program"]
    search_fields = ["title", "content", "program__name"]


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(ReadOnlyAdmin):
    list_display = ["participant", "module", "completed_at", "minutes"]
    list_filter = ["module__program"]
    list_select_related = ["participant__user", "participant__program", "module"]
    search_fields = ["participant__user__email", "module__title"]
    date_hierarchy = "completed_at"


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ["title", "program", "kind", "audience", "file_size"]
    list_filter = ["kind", "audience", "program"]
    list_select_related = ["program"]
    search_fields = ["title", "body", "url", "program__name"]


@admin.register(WeeklyPrompt)
class WeeklyPromptAdmin(ReadOnlyAdmin):
    list_display = ["week", "title", "program"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["title", "prompts", "program__name"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["name", "program"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["name", "program__name"]
