"""The surveys and certificates in the back office: records to read, never to edit."""

from django.contrib import admin

from evaluation.models import Certificate, SurveyAnswer, SurveyInvitation, SurveyQuestion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Answers and invitations are records: staff read them, nobody edits them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(ReadOnlyAdmin):
    list_display = ["text", "program", "kind", "answer_type", "key", "required", "position"]
    list_filter = ["kind", "answer_type"]
    list_select_related = ["program"]
    search_fields = ["text", "program__name"]


class SurveyAnswerInline(admin.TabularInline):
    model = SurveyAnswer
    fields = ["question_text", "question_key", "answer_type", "number", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "kind", "match", "sent_at", "reminded_at", "answered_at"]
    list_filter = ["kind", "role"]
    list_select_related = ["user", "match__mentor__user", "match__mentee__user"]
    search_fields = ["user__email", "user__display_name"]
    inlines = [SurveyAnswerInline]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(ReadOnlyAdmin):
    list_display = ["question_text", "question_key", "number", "text", "invitation"]
    list_filter = ["question_key", "answer_type"]
    list_select_related = ["invitation__user"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "holder_name", "program_name", "role", "ended_on", "issued_at"]
    list_filter = ["role"]
    list_select_related = ["participant__user"]
    search_fields = ["code", "holder_name", "program_name"]
