from django.shortcuts import render


def home(request):
    return render(request, "community/home.html")


def code_of_conduct(request):
    return render(request, "community/code_of_conduct.html")
