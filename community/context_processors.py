from django.conf import settings


def roles(request):
    user = request.user
    signed_in = user.is_authenticated
    return {
        "site_name": settings.SITE_NAME,
        "is_member": signed_in and user.is_member,
        "is_organizer": signed_in and user.is_organizer,
        "is_coach": signed_in and user.is_coach,
        "is_editor": signed_in and user.is_editor,
    }
