"""Email preferences, one-click unsubscribe and the clock page (built in full separately)."""

from django.http import HttpResponse


def preferences(request):
    return HttpResponse("")


def unsubscribe(request, token):
    return HttpResponse("")


def clock(request):
    return HttpResponse("")
