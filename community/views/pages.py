from django.http import HttpResponse
from django.shortcuts import render


def home(request):
    signed_in = request.user.is_authenticated
    has_application = signed_in and request.user.applications.exists()
    return render(request, "community/home.html", {"has_application": has_application})


def code_of_conduct(request):
    return render(request, "community/code_of_conduct.html")


def health(request):
    """A bare page through the full middleware stack, for load balancers and as a benchmark baseline."""
    return HttpResponse("ok", content_type="text/plain")
