from django.urls import path

from circles.views import (
    circle_manage,
    health,
    imports,
    invitations,
    leaving,
    meetings,
    renewals,
    review,
    rounds,
    self_organized,
    signups,
)

app_name = "circles"

urlpatterns = [
    # Members
    path("circles/", signups.open_round_list, name="open_round_list"),
    path("circles/<slug:slug>/sign-up/", signups.signup_edit, name="signup_edit"),
    path("circles/<slug:slug>/sign-up/withdraw/", signups.signup_withdraw, name="signup_withdraw"),
    # Organizers
    path("organize/circles/", rounds.round_list, name="round_list"),
    path("organize/circles/new/", rounds.round_create, name="round_create"),
    # before the round pages: "dashboard" is not a round (services.rounds.RESERVED_SLUGS)
    path("organize/circles/dashboard/", health.dashboard, name="dashboard"),
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
        "organize/circles/<slug:slug>/import/<int:pk>/progress/",
        imports.import_progress,
        name="import_progress",
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
    # A circle's members: its page, the vote on the meeting time, RSVP, notes, who came, the ICS
    path("circles/c/<int:pk>/", meetings.circle_detail, name="circle_detail"),
    path("circles/c/<int:pk>/vote/", meetings.circle_vote, name="circle_vote"),
    path("circles/c/<int:pk>/pick/", meetings.circle_pick_time, name="circle_pick_time"),
    path("circles/c/<int:pk>/rsvp/", meetings.circle_rsvp, name="circle_rsvp"),
    path("circles/c/<int:pk>/calendar.ics", meetings.circle_calendar, name="circle_calendar"),
    path(
        "circles/c/<int:pk>/meetings/<int:number>/note/",
        meetings.meeting_note,
        name="meeting_note",
    ),
    path(
        "circles/c/<int:pk>/meetings/<int:number>/attendance/",
        meetings.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "circles/c/<int:pk>/meetings/<int:number>/cancel/",
        meetings.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "circles/c/<int:pk>/meetings/<int:number>/move/",
        meetings.meeting_move,
        name="meeting_move",
    ),
    path("circles/c/<int:pk>/cancel-series/", meetings.series_cancel, name="series_cancel"),
    path("circles/rsvp/<str:token>/", meetings.rsvp_link, name="rsvp_link"),
    # After composition: members leaving, places filled from the waitlist, circles merged and ended
    path("circles/c/<int:pk>/leave/", leaving.circle_leave, name="circle_leave"),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/",
        circle_manage.circle_manage,
        name="circle_manage",
    ),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/backfills/<int:backfill_id>/confirm/",
        circle_manage.backfill_confirm,
        name="backfill_confirm",
    ),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/backfills/<int:backfill_id>/dismiss/",
        circle_manage.backfill_dismiss,
        name="backfill_dismiss",
    ),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/places/<int:member_id>/look-again/",
        circle_manage.backfill_look_again,
        name="backfill_look_again",
    ),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/merge/",
        circle_manage.circle_merge,
        name="circle_merge",
    ),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/end/",
        circle_manage.circle_end,
        name="circle_end",
    ),
    # After composition: health, the dashboard, renewal, circles members propose
    path("organize/circles/<slug:slug>/people/", health.round_people_list, name="round_people"),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/health/",
        health.circle_health_page,
        name="circle_health",
    ),
    path(
        "organize/circles/<slug:slug>/circles/<int:pk>/renewal/",
        renewals.circle_renewal_ask,
        name="circle_renewal_ask",
    ),
    path("circles/renew/<str:token>/", renewals.renewal_answer, name="renewal_answer"),
    path("circles/<slug:slug>/propose/", self_organized.circle_propose, name="circle_propose"),
    path(
        "circles/<slug:slug>/forming/<int:pk>/join/",
        self_organized.circle_join,
        name="circle_join",
    ),
    path(
        "circles/<slug:slug>/forming/<int:pk>/leave/",
        self_organized.circle_leave_forming,
        name="circle_leave_forming",
    ),
    # Invitations: the organizer sends a round's circles; each person answers behind a signed link
    path(
        "organize/circles/<slug:slug>/review/invite/",
        invitations.send_invitations,
        name="send_invitations",
    ),
    path("circles/invitation/<str:token>/", invitations.invitation, name="invitation"),
]
