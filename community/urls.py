from django.urls import path

from community.views import account, applications, directory, pages, reports
from community.views.slack_events import slack_events

urlpatterns = [
    path("", pages.home, name="home"),
    path("code-of-conduct/", pages.code_of_conduct, name="code_of_conduct"),
    path("health/", pages.health, name="health"),
    path("apply/", applications.application_edit, name="application_edit"),
    path("application/", applications.application_status, name="application_status"),
    path("application/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path(
        "account/self-identification/",
        applications.self_identification,
        name="self_identification",
    ),
    path("members/", directory.member_list, name="member_list"),
    path("members/<int:pk>/", directory.member_detail, name="member_detail"),
    path("account/", account.account_overview, name="account"),
    path("account/profile/", account.profile_edit, name="profile_edit"),
    path("account/export/", account.data_export, name="data_export"),
    path("account/delete/", account.account_delete, name="account_delete"),
    path("organize/funnel/", reports.application_funnel, name="application_funnel"),
    path("slack/events/", slack_events, name="slack_events"),
]
