from django.http import HttpResponse


def profile_edit(request):
    return HttpResponse("Profile", status=501)


def data_export(request):
    return HttpResponse("Export", status=501)


def account_delete(request):
    return HttpResponse("Delete", status=501)
