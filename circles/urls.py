from django.urls import path

from circles.views import imports, invitations, review, rounds, signups

app_name = "circles"

urlpatterns = [
    # Members
    path("circles/", signups.open_round_list, name="open_round_list"),
    path("circles/<slug:slug>/sign-up/", signups.signup_edit, name="signup_edit"),
    path("circles/<slug:slug>/sign-up/withdraw/", signups.signup_withdraw, name="signup_withdraw"),
    # Organizers
    path("organize/circles/", rounds.round_list, name="round_list"),
    path("organize/circles/new/", rounds.round_create, name="round_create"),
    path("organize/circles/<slug:slug>/", rounds.round_detail, name="round_detail"),
    path("organize/circles/<slug:slug>/edit/", rounds.round_edit, name="round_edit"),
    path("organize/circles/<slug:slug>/import/", imports.import_upload, name="import_upload"),
    path(
        "organize/circles/<slug:slug>/import/<int:pk>/columns/",
        imports.import_columns,
        name="import_columns",
    ),
    path(
        "organize/circles/<slug:slug>/import/<int:pk>/",
        imports.import_preview,
        name="import_preview",
    ),
    path(
        "organize/circles/<slug:slug>/import/<int:pk>/apply/",
        imports.import_apply,
        name="import_apply",
    ),
    path(
        "organize/circles/<slug:slug>/import/<int:pk>/cancel/",
        imports.import_cancel,
        name="import_cancel",
    ),
    path(
        "organize/circles/<slug:slug>/import/<int:pk>/correct/",
        imports.import_correct,
        name="import_correct",
    ),
    path(
        "organize/circles/<slug:slug>/sign-ups/<int:pk>/",
        imports.signup_detail,
        name="signup_detail",
    ),
    path(
        "organize/circles/<slug:slug>/sign-ups/<int:pk>/correct/",
        imports.signup_correct,
        name="signup_correct",
    ),
    # The organizer's review of a round
    path("organize/circles/<slug:slug>/review/", review.round_review, name="round_review"),
    path("organize/circles/<slug:slug>/review/move/", review.move_person, name="move_person"),
    path("organize/circles/<slug:slug>/review/lock/", review.lock_person, name="lock_person"),
    path(
        "organize/circles/<slug:slug>/review/lock-circle/",
        review.lock_circle,
        name="lock_circle",
    ),
    path("organize/circles/<slug:slug>/review/compose/", review.compose_round, name="compose"),
    path(
        "organize/circles/<slug:slug>/review/runs/<int:run_id>/cancel/",
        review.cancel_composition,
        name="cancel_composition",
    ),
    path(
        "organize/circles/<slug:slug>/review/runs/<int:run_id>/progress/",
        review.composition_progress,
        name="composition_progress",
    ),
    path(
        "organize/circles/<slug:slug>/review/carry-over/",
        review.carry_over_waitlist,
        name="carry_over_waitlist",
    ),
    # Invitations: the organizer sends a round's circles; each person answers behind a signed link
    path(
        "organize/circles/<slug:slug>/review/invite/",
        invitations.send_invitations,
        name="send_invitations",
    ),
    path("circles/invitation/<str:token>/", invitations.invitation, name="invitation"),
]
