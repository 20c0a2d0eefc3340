from django.contrib.sitemaps.views import sitemap
from django.urls import path

from content.views import feeds, library, webinar_editing, webinars, writing

app_name = "content"

urlpatterns = [
    # Readers (anyone; members-only pieces show outsiders their teaser)
    path("library/", library.library, name="library"),
    path("library/search/", library.search, name="search"),
    path("library/topics/<slug:slug>/", library.topic_detail, name="topic_detail"),
    path("library/authors/<slug:slug>/", library.author_detail, name="author_detail"),
    path("library/feed/", feeds.PublicFeed(), name="public_feed"),
    path("library/feed/members/<slug:token>/", feeds.MembersFeed(), name="members_feed"),
    path("library/my-feed/", feeds.feed_settings, name="feed_settings"),
    path("library/my-feed/reset/", feeds.feed_reset, name="feed_reset"),
    path("library/<slug:slug>/", library.article_detail, name="article_detail"),
    path("webinars/", webinars.webinar_list, name="webinar_list"),
    path("webinars/<slug:slug>/", webinars.webinar_detail, name="webinar_detail"),
    path("webinars/<slug:slug>/register/", webinars.webinar_register, name="webinar_register"),
    path(
        "webinars/<slug:slug>/cancel/",
        webinars.webinar_cancel_registration,
        name="webinar_cancel_registration",
    ),
    path("webinars/<slug:slug>/files/<str:which>/", webinars.webinar_file, name="webinar_file"),
    path("sitemap.xml", sitemap, {"sitemaps": feeds.SITEMAPS}, name="sitemap"),
    # Writers: members' drafts, editors' review and scheduling
    path("write/", writing.piece_list, name="piece_list"),
    path("write/new/", writing.piece_create, name="piece_create"),
    path("write/preview/", writing.preview, name="preview"),
    path("write/images/", writing.image_upload, name="image_upload"),
    path("write/<int:pk>/", writing.piece_edit, name="piece_edit"),
    path("write/<int:pk>/submit/", writing.piece_submit, name="piece_submit"),
    path("write/<int:pk>/comment/", writing.piece_comment, name="piece_comment"),
    path("write/<int:pk>/return/", writing.piece_return, name="piece_return"),
    path("write/<int:pk>/schedule/", writing.piece_schedule, name="piece_schedule"),
    path("write/<int:pk>/archive/", writing.piece_archive, name="piece_archive"),
    # Editors: webinars
    path("write/webinars/", webinar_editing.webinar_manage_list, name="webinar_manage_list"),
    path("write/webinars/new/", webinar_editing.webinar_create, name="webinar_create"),
    path("write/webinars/<int:pk>/", webinar_editing.webinar_edit, name="webinar_edit"),
    path(
        "write/webinars/<int:pk>/schedule/",
        webinar_editing.webinar_schedule,
        name="webinar_schedule",
    ),
    path("write/webinars/<int:pk>/cancel/", webinar_editing.webinar_cancel, name="webinar_cancel"),
    path("write/webinars/<int:pk>/delete/", webinar_editing.webinar_delete, name="webinar_delete"),
    path(
        "write/webinars/<int:pk>/registrations/",
        webinar_editing.webinar_registrations,
        name="webinar_registrations",
    ),
    path(
        "write/webinars/<int:pk>/registrations.csv",
        webinar_editing.webinar_registrations_csv,
        name="webinar_registrations_csv",
    ),
    path(
        "write/webinars/<int:pk>/message/", webinar_editing.webinar_message, name="webinar_message"
    ),
    path(
        "write/webinars/<int:pk>/recording/",
        webinar_editing.webinar_recording,
        name="webinar_recording",
    ),
]
