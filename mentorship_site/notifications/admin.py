from django.contrib import admin

from mentorship_site.notifications.models import EmailPreference, JobRun, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log: the back office reads it; only the platform writes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "recipient", "delivery", "summary", "digested_at"]
    list_filter = ["kind", "category", "delivery"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "summary"]
    date_hierarchy = "created_at"


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "delivery", "updated_at"]
    list_filter = ["category", "delivery"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["job", "status", "started_at", "finished_at", "handled"]
    list_filter = ["status", "job"]
    date_hierarchy = "started_at"
