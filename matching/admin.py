"""The back office for matching: read-only, with the audit trail next to each request.

Every change goes through matching.services from the app's pages, so capacity and
the pending-request rules are never bypassed here.
"""

from django.contrib import admin

from matching.models import AutoMatchRun, Match, MatchRequest, RequestEvent
from programs.admin import ReadOnlyAdmin


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MatchRequest)
class MatchRequestAdmin(ReadOnlyAdmin):
    list_display = ["mentee_user", "mentor_user", "program", "status", "source", "created_at"]
    list_filter = ["status", "source", "program"]
    search_fields = ["mentor_user__email", "mentee_user__email"]
    list_select_related = ["mentor_user", "mentee_user", "program"]
    inlines = [RequestEventInline]


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "status", "source", "started_on", "ends_on"]
    list_filter = ["status", "source", "program"]
    list_select_related = ["mentor__user", "mentee__user", "program"]


@admin.register(AutoMatchRun)
class AutoMatchRunAdmin(ReadOnlyAdmin):
    list_display = ["program", "cycle", "status", "progress", "created_at", "started_by"]
    list_filter = ["status", "program"]
