"""The Django admin site organizers work in: the stock site, with the list of apps built lazily.

Every admin page's context carries the list of every app and model the user may open
(`available_apps`), built with a permission check and two URLs per registered model. Only the
navigation sidebar shows it on ordinary pages, and the sidebar is off here: the index lists the
same models, one click away. So the list is built when a page reads it (the index and the app
pages), not on every changelist and form.
"""

from functools import partial

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class RoundtableAdminSite(admin.AdminSite):
    site_header = "Roundtable administration"
    site_title = "Roundtable"
    index_title = "Community operations"
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        return SimpleLazyObject(partial(super().get_app_list, request, app_label))


class RoundtableAdminConfig(AdminConfig):
    default_site = "community.admin_site.RoundtableAdminSite"
