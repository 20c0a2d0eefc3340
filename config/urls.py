from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

admin.autodiscover()
# The admin signs in through allauth's login, with its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    # Browsers ask for /favicon.ico on every page that does not name its icon (the admin's, files).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico")), name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("community.urls")),
    path("", include("circles.urls")),
    path("", include("mentoring.urls")),
    path("", include("content.urls")),
]


def media(request, path):
    """Uploaded covers, where no web server or bucket serves MEDIA_ROOT (read at each request)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", media, name="media"))
