"""URLs of a pair's meetings: the list, one meeting, its answers, and its calendar file."""

from django.urls import path

from journals.views import meetings as views

urlpatterns = [
    path("workspace/<uuid:code>/meetings/", views.meeting_list, name="meetings"),
    path("meetings/<uuid:code>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:code>/accept/", views.meeting_accept, name="meeting_accept"),
    path("meetings/<uuid:code>/decline/", views.meeting_decline, name="meeting_decline"),
    path("meetings/<uuid:code>/reschedule/", views.meeting_reschedule, name="meeting_reschedule"),
    path("meetings/<uuid:code>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:code>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<uuid:code>/mark/", views.meeting_mark, name="meeting_mark"),
    path("meetings/<uuid:code>/meeting.ics", views.meeting_ics, name="meeting_ics"),
]
