from django.http import HttpResponse


def member_list(request):
    return HttpResponse("Directory", status=501)


def member_detail(request, pk):
    return HttpResponse("Profile", status=501)
