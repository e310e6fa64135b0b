"""The back office for workspaces: read-only lists for support and audits.

Message bodies are private to the pair and are not shown here; every change goes
through journals.services from the workspace pages.
"""

from django.contrib import admin

from journals.models import Agreement, JournalEntry, Meeting, Message, Review
from programs.admin import ReadOnlyAdmin


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["match", "revision", "created_at", "mentor_confirmed_at", "mentee_confirmed_at"]
    list_select_related = ["match__mentor__user", "match__mentee__user"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """Who wrote when, never what: the thread belongs to the pair."""

    list_display = ["match", "author", "created_at"]
    fields = ["match", "author", "created_at"]
    list_select_related = ["author", "match__mentor__user", "match__mentee__user"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["match", "starts_at", "duration", "status", "sequence"]
    list_filter = ["status"]
    list_select_related = ["match__mentor__user", "match__mentee__user"]


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "reviewer", "feedback"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["author", "match", "entry_date", "minutes", "status"]
    list_filter = ["status"]
    list_select_related = ["author__user", "match__mentor__user", "match__mentee__user"]
    inlines = [ReviewInline]
