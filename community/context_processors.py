from django.conf import settings


def roles(request):
    """Role flags for templates, evaluated only when a template asks (the admin never does)."""
    user = request.user
    signed_in = user.is_authenticated
    return {
        "site_name": settings.SITE_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "is_member": lambda: signed_in and user.is_member,
        "is_organizer": lambda: signed_in and user.is_organizer,
        "is_coach": lambda: signed_in and user.is_coach,
        "is_editor": lambda: signed_in and user.is_editor,
    }
