"""The career framework pages: self-assessment, the review with a mentor, the member's history,
and the organizers' anonymous totals.

An assessment is the member's alone (404 for anyone else, organizers included); a review is seen by
the member and the mentor it was shared with.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.access import member_required, organizer_required
from mentoring.framework_forms import AdjustForm, ScoresForm, ShareForm, StartAssessmentForm
from mentoring.models import Assessment, FrameworkVersion, Review, Skill
from mentoring.services import assessments as service
from mentoring.services import growth
from mentoring.services.framework import competencies_of


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@member_required
def growth_home(request):
    version = FrameworkVersion.objects.current()
    context = {
        "assessments": Assessment.objects.filter(member=request.user).select_related(
            "direction", "version", "review"
        ),
        "to_review": Review.objects.filter(mentor=request.user)
        .exclude(status=Review.Status.AGREED)
        .select_related("assessment__member", "assessment__direction"),
        "start_form": StartAssessmentForm(version=version) if version else None,
    }
    return render(request, "mentoring/growth_home.html", context)


@require_POST
@member_required
def assessment_start(request):
    form = StartAssessmentForm(request.POST, version=service.current_version())
    if not form.is_valid():
        messages.error(request, "Pick a direction to assess yourself against.")
        return redirect("mentoring:growth_home")
    assessment = service.start_assessment(request.user, direction=form.cleaned_data["direction"])
    return redirect("mentoring:assessment_edit", assessment.pk)


def _own_assessment(request, pk) -> Assessment:
    queryset = Assessment.objects.filter(member=request.user).select_related(
        "direction", "version", "review__mentor"
    )
    return get_object_or_404(queryset, pk=pk)


def _sections(form: ScoresForm, competencies) -> list:
    """[(competency, [(level label, [(skill, score field, example field)])])] for the template."""
    return [
        (
            competency,
            [
                (
                    label,
                    [(s, *form.field_pair(s)) for s in competency.skills.all() if s.level == level],
                )
                for level, label in Skill.Level.choices
            ],
        )
        for competency in competencies
    ]


@member_required
def assessment_edit(request, pk):
    assessment = _own_assessment(request, pk)
    if hasattr(assessment, "review"):
        return redirect("mentoring:assessment_detail", assessment.pk)
    competencies = competencies_of(assessment.version)
    initial = {s.skill_id: (s.score, s.example) for s in assessment.scores.all()}
    form = ScoresForm(request.POST or None, competencies=competencies, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        finish = "finish" in request.POST
        try:
            service.save_scores(
                assessment,
                by=request.user,
                scores=form.scores(),
                examples=form.examples(),
                finish=finish,
            )
        except ValidationError as error:
            _refused(request, error)
            return redirect("mentoring:assessment_edit", assessment.pk)
        if finish:
            return redirect("mentoring:assessment_detail", assessment.pk)
        messages.success(request, "Draft saved. Come back to finish it whenever you like.")
        return redirect("mentoring:assessment_edit", assessment.pk)
    context = {"assessment": assessment, "form": form, "sections": _sections(form, competencies)}
    return render(request, "mentoring/assessment_form.html", context)


@member_required
def assessment_detail(request, pk):
    assessment = _own_assessment(request, pk)
    review = getattr(assessment, "review", None)
    mentors = service.eligible_mentors(request.user)
    context = {
        "assessment": assessment,
        "review": review,
        "result": service.assessment_result(assessment),
        "share_form": ShareForm(mentors=mentors) if assessment.is_complete and not review else None,
    }
    return render(request, "mentoring/assessment_detail.html", context)


@require_POST
@member_required
def assessment_share(request, pk):
    assessment = _own_assessment(request, pk)
    form = ShareForm(request.POST, mentors=service.eligible_mentors(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of your mentors.")
        return redirect("mentoring:assessment_detail", assessment.pk)
    try:
        review = service.share_assessment(
            assessment, by=request.user, coach=form.cleaned_data["coach"]
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect("mentoring:assessment_detail", assessment.pk)
    messages.success(request, f"Shared with {review.mentor}. We have emailed them.")
    return redirect("mentoring:review_detail", review.pk)


def _review(request, pk) -> Review:
    """A review the signed-in person is the member or the mentor of; 404 for anyone else."""
    queryset = Review.objects.filter(
        Q(assessment__member=request.user) | Q(mentor=request.user)
    ).select_related("assessment__member", "assessment__direction", "assessment__version", "mentor")
    return get_object_or_404(queryset, pk=pk)


@login_required
def review_detail(request, pk):
    review = _review(request, pk)
    is_mentor = review.mentor_id == request.user.pk
    context = {
        "review": review,
        "assessment": review.assessment,
        "is_mentor": is_mentor,
        "can_adjust": is_mentor and review.status == Review.Status.OPEN,
        "result": service.assessment_result(review.assessment),
        "score_choices": AdjustForm.base_fields["score"].choices,
    }
    return render(request, "mentoring/review_detail.html", context)


@require_POST
@login_required
def review_adjust(request, pk):
    review = _review(request, pk)
    form = AdjustForm(request.POST, version=review.assessment.version)
    back = reverse("mentoring:review_detail", args=[review.pk])
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect(back)
    data = form.cleaned_data
    try:
        adjusted = service.adjust_score(
            review,
            by=request.user,
            skill=data["skill"],
            score=data["score"],
            comment=data["comment"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _adjusted(review, data["skill"], undone=adjusted is None))
    return redirect(f"{back}#skill-{data['skill'].pk}")


def _adjusted(review: Review, skill: Skill, *, undone: bool) -> str:
    if not undone:
        return f"Adjusted: {skill}"
    member = review.assessment.member
    return f"Back to {member.get_full_name() or member.email}'s own score: {skill}"


def _review_step(step):
    """A POST that moves a review on (propose, reopen, agree), then back to the review."""

    @require_POST
    @login_required
    def view(request, pk):
        review = _review(request, pk)
        try:
            step(review, by=request.user)
        except ValidationError as error:
            _refused(request, error)
        return redirect("mentoring:review_detail", review.pk)

    view.__name__ = step.__name__
    return view


review_propose = _review_step(service.propose_review)
review_reopen = _review_step(service.reopen_review)
review_agree = _review_step(service.agree_review)


@member_required
def growth_history(request):
    reviews = list(growth.agreed_reviews(request.user))
    names = growth.competency_names(reviews)
    by_pk = {str(r.pk): r for r in reviews}
    older = by_pk.get(request.GET.get("from")) or (reviews[-2] if len(reviews) > 1 else None)
    newer = by_pk.get(request.GET.get("to")) or (reviews[-1] if reviews else None)
    latest = reviews[-1] if reviews else None
    result = service.assessment_result(latest.assessment) if latest else None
    context = {
        "reviews": reviews,
        "names": names,
        "rows": growth.history_rows(reviews, names),
        "progress_chart": growth.progress_chart(reviews) if reviews else None,
        "levels_chart": growth.levels_chart(reviews, names) if reviews else None,
        "older": older,
        "newer": newer,
        "comparison": growth.compare_reviews(older, newer, names)
        if older and newer and older != newer
        else None,
        "latest": latest,
        "result": result,
        "coaches": growth.coaches_for(request.user, result) if result else [],
    }
    return render(request, "mentoring/growth_history.html", context)


@organizer_required
def framework_totals(request):
    return render(request, "mentoring/framework_totals.html", {"totals": growth.anonymous_totals()})
