from django.urls import path

from mentoring.views import availability, bookings, coaches, days, followups, reliability

app_name = "mentoring"

urlpatterns = [
    # Members
    path("coaching/", coaches.coach_list, name="coach_list"),
    path("coaching/coaches/<int:pk>/", coaches.coach_detail, name="coach_detail"),
    path("coaching/coaches/<int:pk>/book/", bookings.booking_create, name="booking_create"),
    # Both sides of a booking
    path("coaching/sessions/", bookings.booking_list, name="booking_list"),
    path("coaching/sessions/<int:pk>/", bookings.booking_detail, name="booking_detail"),
    path("coaching/sessions/<int:pk>/move/", bookings.booking_move, name="booking_move"),
    path("coaching/sessions/<int:pk>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path("coaching/sessions/<int:pk>/outcome/", bookings.booking_outcome, name="booking_outcome"),
    path("coaching/invitations/<str:token>.ics", bookings.booking_ics, name="booking_ics"),
    # Coaches
    path("coaching/availability/", availability.availability_edit, name="availability_edit"),
    path(
        "coaching/availability/rules/<int:pk>/delete/",
        availability.rule_delete,
        name="rule_delete",
    ),
    path(
        "coaching/availability/exceptions/<int:pk>/delete/",
        availability.exception_delete,
        name="exception_delete",
    ),
    # After sessions, follow-ups, reliability (notes, action items, offers, pauses)
    path("coaching/sessions/<int:pk>/note/", followups.booking_note, name="booking_note"),
    path(
        "coaching/sessions/<int:pk>/action-items/",
        followups.booking_action_item,
        name="booking_action_item",
    ),
    path("coaching/members/<int:user_pk>/offer/", followups.offer_create, name="offer_create"),
    path("organize/coaching/reliability/", reliability.reliability_list, name="reliability_list"),
    path(
        "organize/coaching/members/<int:user_pk>/pause/",
        reliability.member_pause,
        name="member_pause",
    ),
    path(
        "organize/coaching/members/<int:user_pk>/unpause/",
        reliability.member_unpause,
        name="member_unpause",
    ),
    # Mentorship days: a coach plans one, members book its sessions
    path("coaching/days/new/", days.day_plan, name="day_plan"),
    path("coaching/days/<int:pk>/", days.day_detail, name="day_detail"),
]
