from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from community.services.reports import application_funnel as funnel_figures

PERIODS = (30, 90, 365)


@login_required
@permission_required("community.view_application", raise_exception=True)
def application_funnel(request):
    days = int(request.GET["days"]) if request.GET.get("days") in map(str, PERIODS) else 90
    context = {"funnel": funnel_figures(days=days), "periods": PERIODS}
    return render(request, "community/application_funnel.html", context)
