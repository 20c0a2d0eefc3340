from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Roundtable administration"
admin.site.site_title = "Roundtable"
admin.site.index_title = "Community operations"
admin.site.enable_nav_sidebar = False  # it rebuilds the app list on every admin page
admin.autodiscover()
# The admin signs in through allauth's login, with its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("community.urls")),
    path("", include("circles.urls")),
]
