from django.http import HttpResponse
from django.shortcuts import render


def home(request):
    return render(request, "community/home.html")


def code_of_conduct(request):
    return render(request, "community/code_of_conduct.html")


def health(request):
    """A bare page through the full middleware stack, for load balancers and as a benchmark baseline."""
    return HttpResponse("ok", content_type="text/plain")
