from django.urls import path

from circles.views import review

app_name = "circles"

urlpatterns = [
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
]
