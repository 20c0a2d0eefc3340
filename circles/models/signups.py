"""Sign-ups to a round, the imports they may come from, and the corrections cleaning remembers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from circles import domain

from .lookups import HasSlot
from .places import MeetingPlace
from .rounds import Round


class SignUpQuerySet(models.QuerySet):
    def active(self):
        """The sign-ups composition considers: neither withdrawn nor folded into another."""
        return self.filter(status=SignUp.Status.ACTIVE)

    def on_waitlist(self):
        return self.active().exclude(circle_memberships__status__in=SignUp.placed_member_statuses())

    def free_at(self, slot: int):
        """Those who marked this half-hour of the UTC week available."""
        return self.filter(slots__has_slot=slot)


class SignUp(MeetingPlace):
    """One person's sign-up to one round: what they answered and what cleaning made of it.

    The raw answers are kept as given (in the import's JSON Lines shape), beside the cleaned values
    composition uses. Gender and under-represented are private: used only for composition, never
    shown to other members; organizers see them only as aggregates.
    """

    class Source(models.TextChoices):
        SITE = "site", "Signed up on the site"
        IMPORT = "import", "Imported"

    class Status(models.TextChoices):
        ACTIVE = "active", "Signed up"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DUPLICATE = "duplicate", "Duplicate of another sign-up"

    class Format(models.TextChoices):
        IN_PERSON = domain.Format.IN_PERSON.value, "In person"
        VIDEO = domain.Format.VIDEO.value, "Video"
        EITHER = domain.Format.EITHER.value, "Either"

    class Gender(models.TextChoices):
        WOMAN = domain.Gender.WOMAN.value, "Woman"
        MAN = domain.Gender.MAN.value, "Man"
        NON_BINARY = domain.Gender.NON_BINARY.value, "Non-binary"
        NOT_STATED = domain.Gender.NOT_STATED.value, "Not stated"

    PRIVATE_FIELDS = ("gender", "underrepresented")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="signups")
    # Imported people may not be members (yet); a site sign-up always has its user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="circle_signups",
    )
    source = models.CharField(max_length=10, choices=Source, default=Source.SITE)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    import_batch = models.ForeignKey(
        "circles.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signups",
        help_text="The import that last created or updated this sign-up.",
    )
    external_id = models.CharField(
        "id in the import", max_length=100, blank=True, help_text="The import's `id` column."
    )
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=150, blank=True)
    company = models.CharField(max_length=150, blank=True)
    title = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    topics = models.TextField("topics to discuss", blank=True)

    # As given, in the JSON Lines shape of an import row ("id", "city", "availability", ...).
    raw = models.JSONField("answers as given", default=dict, blank=True)

    # Cleaned (circles.domain.SignUp).
    company_key = models.CharField(max_length=150, blank=True, db_index=True)
    format = models.CharField(max_length=20, choices=Format, default=Format.EITHER)
    timezone = models.CharField(max_length=64, blank=True)
    utc_offset_minutes = models.SmallIntegerField(
        "UTC offset (minutes)", default=0, help_text="At the round's first-meeting date."
    )
    slots = models.JSONField(
        "available half-hours",
        default=list,
        blank=True,
        help_text="Half-hours of the UTC week (0 is Monday 00:00 UTC, 335 Sunday 23:30 UTC).",
    )
    role_kind = models.CharField(max_length=30, blank=True)  # "CTO", "VP Eng", ... or ""
    company_size = models.CharField(max_length=20, blank=True)  # "1-50", ... or ""
    seniority = models.PositiveSmallIntegerField(default=0, help_text="0 (unknown) to 3.")

    # Private (see the class docstring).
    gender = models.CharField(max_length=20, choices=Gender, blank=True)
    underrepresented = models.BooleanField(default=False)

    # What cleaning inferred: {field: {"raw", "value", "confidence", "note"}}, and what it could not.
    inferences = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text="The sign-up this one was folded into (the latest submission wins).",
    )
    superseded_note = models.CharField(
        max_length=200, blank=True, help_text='e.g. "an earlier submission with the same email".'
    )

    # The waitlist: why composition could not place this person, and whether to keep them off.
    waitlist_reason = models.TextField(blank=True)
    locked_on_waitlist = models.BooleanField(default=False)
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_to",
        help_text="The sign-up to an earlier round this one continues (the unplaced carry over).",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["round", "name", "pk"]
        verbose_name = "sign-up"
        constraints = [
            models.UniqueConstraint(
                "round",
                Lower("email"),
                condition=~Q(email=""),
                name="signup_one_per_email_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "external_id"],
                condition=~Q(external_id=""),
                name="signup_one_per_external_id_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=Q(user__isnull=False),
                name="signup_one_per_user_per_round",
            ),
            models.CheckConstraint(
                condition=Q(seniority__lte=3), name="signup_seniority_at_most_3"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="signup_round_status")]

    def __str__(self) -> str:
        return self.name or self.email or self.external_id or f"sign-up {self.pk}"

    @staticmethod
    def placed_member_statuses() -> list[str]:
        from .circles import CircleMember

        return list(CircleMember.CURRENT)

    @property
    def domain_id(self) -> str:
        """The id composition knows this sign-up by."""
        return str(self.pk)

    def to_domain(self) -> domain.SignUp:
        """The cleaned sign-up as composition takes it."""
        return domain.SignUp(
            id=self.domain_id,
            name=self.name,
            company_key=self.company_key,
            format=domain.Format(self.format),
            place=self.place,
            timezone=self.timezone,
            utc_offset_minutes=self.utc_offset_minutes,
            slots=frozenset(self.slots),
            gender=domain.Gender(self.gender),
            underrepresented=self.underrepresented,
            role_kind=self.role_kind,
            company_size=self.company_size,
            seniority=self.seniority,
        )

    def set_cleaned(self, cleaned: domain.SignUp) -> None:
        """Copy cleaning's result onto the row (not saved), each text cut to its column."""
        self.set_place(cleaned.place)
        values = {
            "company_key": cleaned.company_key,
            "format": cleaned.format.value,
            "timezone": cleaned.timezone,
            "gender": cleaned.gender.value,
            "role_kind": cleaned.role_kind,
            "company_size": cleaned.company_size,
        }
        for name, value in values.items():
            setattr(self, name, value[: self._meta.get_field(name).max_length])
        self.utc_offset_minutes = cleaned.utc_offset_minutes
        self.slots = sorted(cleaned.slots)
        self.underrepresented = cleaned.underrepresented
        self.seniority = cleaned.seniority


# Registered on this one field (https://docs.djangoproject.com/en/5.2/howto/custom-lookups/).
SignUp._meta.get_field("slots").register_lookup(HasSlot)


class AliasQuerySet(models.QuerySet):
    def as_mapping(self) -> dict[str, dict[str, str]]:
        """{kind: {normalised raw text: value}}, as `clean_signups(aliases=...)` takes them."""
        mapping: dict[str, dict[str, str]] = {}
        for kind, raw, value in self.values_list("kind", "raw", "value"):
            mapping.setdefault(kind, {})[raw] = value
        return mapping


class Alias(models.Model):
    """An organizer's correction of what cleaning inferred, applied to every later cleaning."""

    class Kind(models.TextChoices):
        PLACE = "place", "Place"
        MEETING_AREA = "meeting_area", "Meeting area"
        COMPANY = "company", "Company"
        TIMEZONE = "timezone", "Timezone"
        GENDER = "gender", "Gender"
        FORMAT = "format", "Format"

    kind = models.CharField(max_length=20, choices=Kind)
    raw = models.CharField(
        "text as written", max_length=200, help_text="Normalised (circles.cleaning.normalise)."
    )
    value = models.CharField("means", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AliasQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "raw"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["kind", "raw"], name="alias_one_per_kind_and_text")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.raw!r} → {self.value!r}"


class ImportBatch(models.Model):
    """An uploaded file of sign-ups: mapped, previewed, then applied or cancelled.

    The file's rows are kept only until the batch is applied or cancelled; the checksum and the
    counts stay, so a second upload of the same file is recognised.
    """

    class FileFormat(models.TextChoices):
        CSV = "csv", "CSV"
        JSONL = "jsonl", "JSON Lines"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        QUEUED = "queued", "Waiting for a worker to apply it"
        APPLYING = "applying", "Being applied"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed to apply"
        CANCELLED = "cancelled", "Cancelled"

    IN_PROGRESS = (Status.QUEUED, Status.APPLYING)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 of the file", max_length=64, db_index=True)
    file_format = models.CharField(max_length=10, choices=FileFormat)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    # CSV only: the file's header row, and which of our fields each header feeds ({header: field}).
    headers = models.JSONField(default=list, blank=True)
    column_mapping = models.JSONField(default=dict, blank=True)
    # The file's rows as read: for JSON Lines already in our shape, for CSV {header: text} (the
    # mapping turns them into our shape). Then what cleaning made of each row.
    rows = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    # Applying runs in a worker: rows written so far (each batch of rows commits with this count,
    # so a restarted run resumes after it), and which claim of the task is writing them.
    rows_done = models.PositiveIntegerField(default=0)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attempt = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker has claimed applying it."
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker applying it last wrote a batch of rows."
    )
    error = models.TextField(blank=True, help_text="Why applying it failed, for the admin.")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import"
        verbose_name_plural = "imports"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def progress(self) -> int:
        """Percent of the rows written."""
        return min(100, self.rows_done * 100 // self.row_count) if self.row_count else 0

    @property
    def needs_mapping(self) -> bool:
        return self.file_format == self.FileFormat.CSV and not self.column_mapping
