"""Organizers' import of sign-ups: upload, columns, preview with corrections, apply or cancel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from circles.forms import ColumnMappingForm, CorrectionForm, ImportUploadForm
from circles.models import ImportBatch, Round, SignUp
from circles.services import import_apply as import_apply_service
from circles.services.corrections import CORRECTABLE, correct_import, correct_signup
from circles.services.import_files import guess_mapping
from circles.services.imports import (
    PRIVATE_INFERENCES,
    cancel_import,
    earlier_imports_of_the_same_file,
    inference_summary,
    map_columns,
    preview_counts,
    preview_rows,
    start_import,
)
from community.access import organizer_required

GENDER_CHOICES = SignUp.Gender.choices
FORMAT_CHOICES = SignUp.Format.choices


def _batch(slug: str, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("round"), round__slug=slug, pk=pk)


def _next_step(batch: ImportBatch):
    if batch.needs_mapping:
        return redirect("circles:import_columns", slug=batch.round.slug, pk=batch.pk)
    return redirect("circles:import_preview", slug=batch.round.slug, pk=batch.pk)


@organizer_required
def import_upload(request, slug):
    round = get_object_or_404(Round, slug=slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = start_import(
                round, file_name=upload.name, content=upload.read(), uploaded_by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return _next_step(batch)
    return render(request, "circles/import_form.html", {"round": round, "form": form})


@organizer_required
def import_columns(request, slug, pk):
    batch = _batch(slug, pk)
    if batch.file_format != ImportBatch.FileFormat.CSV or not batch.is_pending:
        return _next_step(batch)
    initial = batch.column_mapping or guess_mapping(batch.headers)
    form = ColumnMappingForm(request.POST or None, headers=batch.headers, initial_mapping=initial)
    if request.method == "POST" and form.is_valid():
        try:
            map_columns(batch, mapping=form.mapping())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("circles:import_preview", slug=slug, pk=batch.pk)
    samples = {header: [row.get(header, "") for row in batch.rows[:3]] for header in form.headers}
    columns = [(form[f"column_{n}"], samples[header]) for n, header in enumerate(form.headers)]
    context = {"round": batch.round, "batch": batch, "form": form, "columns": columns}
    return render(request, "circles/import_columns.html", context)


@organizer_required
def import_preview(request, slug, pk):
    batch = _batch(slug, pk)
    if batch.is_pending and batch.needs_mapping:
        return _next_step(batch)
    context = {
        "round": batch.round,
        "batch": batch,
        "counts": preview_counts(batch),
        "summary": inference_summary(batch),
        "rows": preview_rows(batch),
        "earlier": earlier_imports_of_the_same_file(batch),
        "gender_choices": GENDER_CHOICES,
        "format_choices": FORMAT_CHOICES,
    }
    return render(request, "circles/import_preview.html", context)


@organizer_required
@require_POST
def import_apply(request, slug, pk):
    batch = _batch(slug, pk)
    try:
        import_apply_service.start_apply(batch, applied_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _next_step(batch)
    messages.success(request, "Applying the import; this page follows its progress.")
    return redirect("circles:import_preview", slug=slug, pk=batch.pk)


@organizer_required
@require_GET
def import_progress(request, slug, pk):
    return JsonResponse(import_apply_service.progress_payload(_batch(slug, pk)))


@organizer_required
@require_POST
def import_cancel(request, slug, pk):
    batch = _batch(slug, pk)
    try:
        cancel_import(batch, cancelled_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The import is cancelled; nothing was imported.")
    return redirect("circles:round_detail", slug=slug)


@organizer_required
@require_POST
def import_correct(request, slug, pk):
    batch = _batch(slug, pk)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say what the text means.")
        correct_import(batch, **form.cleaned_data, corrected_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Saved: this and every later import will read it that way.")
    return redirect("circles:import_preview", slug=slug, pk=batch.pk)


@organizer_required
def signup_detail(request, slug, pk):
    signup = get_object_or_404(SignUp.objects.select_related("round"), round__slug=slug, pk=pk)
    inferences = {
        kind: inference
        for kind, inference in signup.inferences.items()
        if kind not in PRIVATE_INFERENCES
    }
    context = {
        "round": signup.round,
        "signup": signup,
        "inferences": inferences,
        "format_choices": FORMAT_CHOICES,
        "correctable": [kind for kind in CORRECTABLE if kind not in PRIVATE_INFERENCES],
    }
    return render(request, "circles/signup_detail.html", context)


@organizer_required
@require_POST
def signup_correct(request, slug, pk):
    signup = get_object_or_404(SignUp, round__slug=slug, pk=pk)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid() or form.cleaned_data["kind"] in PRIVATE_INFERENCES:
            raise ValidationError("This cannot be corrected here.")
        correct_signup(signup, **form.cleaned_data, corrected_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Saved, and remembered for every later cleaning.")
    return redirect("circles:signup_detail", slug=slug, pk=signup.pk)
