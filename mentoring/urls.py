from django.urls import path

from mentoring.views import availability, bookings, coaches, days, followups, groups, reliability
from mentoring.views import framework as career

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
    # The career framework: a member's self-assessments, reviews with a mentor, their history;
    # the organizers' anonymous totals
    path("coaching/growth/", career.growth_home, name="growth_home"),
    path("coaching/growth/start/", career.assessment_start, name="assessment_start"),
    path(
        "coaching/growth/assessments/<int:pk>/", career.assessment_detail, name="assessment_detail"
    ),
    path(
        "coaching/growth/assessments/<int:pk>/edit/", career.assessment_edit, name="assessment_edit"
    ),
    path(
        "coaching/growth/assessments/<int:pk>/share/",
        career.assessment_share,
        name="assessment_share",
    ),
    path("coaching/growth/reviews/<int:pk>/", career.review_detail, name="review_detail"),
    path("coaching/growth/reviews/<int:pk>/adjust/", career.review_adjust, name="review_adjust"),
    path("coaching/growth/reviews/<int:pk>/propose/", career.review_propose, name="review_propose"),
    path("coaching/growth/reviews/<int:pk>/reopen/", career.review_reopen, name="review_reopen"),
    path("coaching/growth/reviews/<int:pk>/agree/", career.review_agree, name="review_agree"),
    path("coaching/growth/history/", career.growth_history, name="growth_history"),
    path("organize/framework/", career.framework_totals, name="framework_totals"),
    # Mentoring groups: members ask to join; the group's page is for its coach, its accepted
    # members and organizers; organizers see the groups that need attention
    path("coaching/groups/", groups.group_list, name="group_list"),
    path("coaching/groups/new/", groups.group_create, name="group_create"),
    path("coaching/groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("coaching/groups/<int:pk>/join/", groups.group_join, name="group_join"),
    path("coaching/groups/<int:pk>/leave/", groups.group_leave, name="group_leave"),
    path("coaching/groups/<int:pk>/consent/", groups.group_consent, name="group_consent"),
    path("coaching/groups/<int:pk>/rsvp/", groups.group_rsvp, name="group_rsvp"),
    path("coaching/groups/<int:pk>/end/", groups.group_end, name="group_end"),
    path(
        "coaching/groups/<int:pk>/calendar.ics", groups.group_calendar_file, name="group_calendar"
    ),
    path(
        "coaching/groups/<int:pk>/requests/<int:request_pk>/accept/",
        groups.request_accept,
        name="group_request_accept",
    ),
    path(
        "coaching/groups/<int:pk>/requests/<int:request_pk>/decline/",
        groups.request_decline,
        name="group_request_decline",
    ),
    path(
        "coaching/groups/<int:pk>/requests/<int:request_pk>/release/",
        groups.place_release,
        name="group_place_release",
    ),
    path(
        "coaching/groups/<int:pk>/sessions/<int:number>/note/",
        groups.session_note,
        name="group_session_note",
    ),
    path(
        "coaching/groups/<int:pk>/sessions/<int:number>/attendance/",
        groups.session_attendance,
        name="group_session_attendance",
    ),
    path(
        "coaching/groups/<int:pk>/sessions/<int:number>/cancel/",
        groups.session_cancel,
        name="group_session_cancel",
    ),
    path("organize/mentoring-groups/", groups.flagged_group_list, name="group_flags"),
    # After sessions, follow-ups, reliability (notes, action items, offers, pauses)
    path("coaching/sessions/<int:pk>/note/", followups.booking_note, name="booking_note"),
    path(
        "coaching/sessions/<int:pk>/action-items/",
        followups.booking_action_item,
        name="booking_action_item",
    ),
    path(
        "coaching/sessions/<int:pk>/action-items/<int:item_pk>/done/",
        followups.booking_action_item_done,
        name="booking_action_item_done",
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
    # Mentorship days: a coach plans, changes or cancels one, members book its sessions
    path("coaching/days/new/", days.day_plan, name="day_plan"),
    path("coaching/days/<int:pk>/", days.day_detail, name="day_detail"),
    path("coaching/days/<int:pk>/edit/", days.day_edit, name="day_edit"),
    path("coaching/days/<int:pk>/cancel/", days.day_cancel, name="day_cancel"),
]
