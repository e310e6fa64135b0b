from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentorship_site.mail import services
from mentorship_site.mail.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipients", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "to"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["send_again"]

    @admin.display(description=_("to"))
    def recipients(self, outbound: OutboundEmail) -> str:
        return ", ".join(outbound.to)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Queue the selected failed emails again"))
    def send_again(self, request, queryset):
        ids = services.requeue_failed_emails(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%d email queued again.", "%d emails queued again.", len(ids)) % len(ids),
            messages.SUCCESS,
        )
