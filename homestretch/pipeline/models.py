"""Clients, their hiring managers and jobs; candidates; applications, their stages and touchpoints."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from homestretch.lib import limits
from homestretch.lib.folding import folded_words
from homestretch.lib.money import DECIMAL_PLACES, MAX_DIGITS, Period, currency_choices, money_constraints
from homestretch.lib.refusals import MISSING, NOT_APPLICABLE, NOT_FOUND, TRANSITION, Refused, on_field

from . import consent, stages
from .choices import (
    BasisObtainedHow,
    CandidateSource,
    Channel,
    ClientSize,
    CompetitionAnswer,
    Direction,
    JobStatus,
    LegalBasis,
    LossReason,
    Outcome,
    RemotePolicy,
    Seniority,
    Stage,
)
from .search import CANDIDATE_SEARCHED, candidate_search_text


def _money_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


def split_skills(skills: str) -> list[str]:
    return [s.strip() for s in skills.split(",") if s.strip()]


# The refusals of the rules below, one wording each (a form or the API places them by field and code).
ALREADY_IN_THE_PROCESS = "This candidate is already in the process for this job."
LESSONS_ONLY_ON_A_CLOSE = (
    "Lessons are noted when the application closes (Started, Declined, Reneged, Withdrawn or Rejected), "
    "not while it is in the process."
)
ANSWER_NEEDS_THE_QUESTION = "An answer about the competition needs the question: mark it as asked, or leave it out."
QUESTION_NEEDS_THE_ANSWER = "Say what the candidate answered."


class Client(models.Model):
    """A company we recruit for."""

    name = models.CharField(max_length=200, unique=True)
    industry = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=16, choices=ClientSize.choices, blank=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HiringManager(models.Model):
    """The person at a client who decides on the hire and on the offer."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="hiring_managers")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["client__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client})"


class Job(models.Model):
    """A role a client wants filled, with its pay band."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="jobs")
    hiring_manager = models.ForeignKey(
        HiringManager, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    title = models.CharField(max_length=200)
    seniority = models.CharField(max_length=16, choices=Seniority.choices, default=Seniority.MID)
    skills = models.CharField(max_length=500, blank=True, help_text="Comma-separated, e.g. Python, Django, AWS")
    location = models.CharField(max_length=200, blank=True)
    base_min = _money_field(null=True, blank=True)
    base_max = _money_field(null=True, blank=True)
    currency = models.CharField(max_length=3, choices=currency_choices(), default="EUR")
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.YEAR)
    remote_policy = models.CharField(max_length=8, choices=RemotePolicy.choices, default=RemotePolicy.HYBRID)
    remote_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(5)], help_text="Days a week from home"
    )
    perks = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.OPEN)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    lessons = models.TextField(blank=True, help_text="What this search taught us, for the next similar one")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client__name", "title"]
        indexes = [
            models.Index(fields=["status", "client"], name="job_status_client"),
            # One per ordering the API's list offers (lib/api.ordered_by): a page reads 50 entries rather than
            # sorting every job (1.6 ms a page on PostgreSQL with the large demo's 3,617).
            models.Index(fields=["title", "id"], name="job_title_id"),
            models.Index(fields=["created_at", "id"], name="job_created_id"),
            models.Index(fields=["updated_at", "id"], name="job_updated_id"),
        ]
        constraints = [
            *money_constraints("job", ["base_min", "base_max"], "currency", required=True),
            on_field("base_min", models.CheckConstraint(
                condition=models.Q(base_min__isnull=True)
                | models.Q(base_max__isnull=True)
                | models.Q(base_min__lte=models.F("base_max")),
                name="job_band_min_le_max",
                violation_error_message="The pay band's minimum cannot exceed its maximum.",
            )),
            on_field("period", models.CheckConstraint(
                condition=models.Q(period__in=Period.values),
                name="job_period_known",
                violation_error_message="Choose a pay period: year, month, day or hour.",
            )),
            on_field("remote_days", models.CheckConstraint(
                condition=models.Q(remote_days__isnull=True) | models.Q(remote_days__lte=5),
                name="job_remote_days_le_5",
                violation_error_message="Remote days are days a week: 0 to 5.",
            )),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.client}"

    def get_absolute_url(self) -> str:
        return reverse("admin:pipeline_job_change", args=[self.pk])

    def clean(self) -> None:
        if self.client_id and self.hiring_manager is not None and self.hiring_manager.client_id != self.client_id:
            raise Refused("hiring_manager", "This hiring manager works at another client.", NOT_FOUND)
        limits.check_amounts({"base_min": self.base_min, "base_max": self.base_max}, self.currency)

    @property
    def skill_list(self) -> list[str]:
        return split_skills(self.skills)

    @property
    def band_midpoint(self):
        if self.base_min is None or self.base_max is None:
            return None
        return (self.base_min + self.base_max) / 2


class SearchTextField(models.TextField):
    """The folded copy of the searched fields, written whenever the record is: by save() and by
    bulk_create (both call pre_save); CandidateQuerySet.bulk_update and Candidate.save(update_fields=…)
    add it when a searched field is written; the demo's fast inserter writes it itself."""

    def pre_save(self, model_instance, add):
        value = candidate_search_text(*(getattr(model_instance, name) or "" for name in CANDIDATE_SEARCHED))
        setattr(model_instance, self.attname, value)
        return value


class CandidateQuerySet(models.QuerySet):
    def search(self, query: str) -> CandidateQuerySet:
        """Candidates whose name, e-mail or skills hold every word of `query`, whatever the accents and
        case ("ana muller" finds Ana Müller): one LIKE per word over the folded column, on any database."""
        found = self
        for word in folded_words(query):
            found = found.filter(search_text__contains=word)
        return found

    def not_objected(self) -> CandidateQuerySet:
        """Candidates who have not objected: the only ones anyone is prompted to contact."""
        return self.filter(objected_at__isnull=True)

    def renewals_due(self, on) -> CandidateQuerySet:
        """Candidates whose legal basis must be renewed within consent.RENEWAL_NOTICE_DAYS of `on`, or
        is overdue: soonest first."""
        return (self.exclude(legal_basis="").filter(basis_renew_by__lte=consent.renewals_due_until(on))
                .order_by("basis_renew_by", "name", "id"))

    def bulk_update(self, objs, fields, batch_size=None):
        fields = list(fields)
        if "search_text" not in fields and set(fields) & set(CANDIDATE_SEARCHED):
            objs = list(objs)
            for candidate in objs:
                candidate.search_text = candidate_search_text(
                    *(getattr(candidate, name) or "" for name in CANDIDATE_SEARCHED))
            fields.append("search_text")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Candidate(models.Model):
    """A person we place. Personal data: shown to signed-in users only, never logged."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=200, blank=True)
    current_employer = models.CharField(max_length=200, blank=True)
    current_title = models.CharField(max_length=200, blank=True)
    current_base = _money_field(null=True, blank=True)
    current_currency = models.CharField(max_length=3, choices=currency_choices(), blank=True)
    current_period = models.CharField(max_length=8, choices=Period.choices, default=Period.YEAR)
    skills = models.CharField(max_length=500, blank=True, help_text="Comma-separated")
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=CandidateSource.choices, blank=True)
    notes = models.TextField(blank=True)
    # Kept in step with the legal basis (consent.reconcile): consent to contact is the basis "consent".
    consent_to_contact = models.BooleanField(default=False)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    # Why we may hold the candidate's data (docs/data-rights.md, Consent). The database defaults let the
    # demo's and the benchmarks' bulk inserters leave them out.
    legal_basis = models.CharField(max_length=24, choices=LegalBasis.choices, blank=True, default="",
                                   db_default="")
    basis_obtained_at = models.DateTimeField(null=True, blank=True,
                                             help_text="When the legal basis was obtained")
    basis_obtained_how = models.CharField(max_length=16, choices=BasisObtainedHow.choices, blank=True, default="",
                                          db_default="", help_text="How the legal basis was obtained")
    basis_renew_by = models.DateField(null=True, blank=True,
                                      help_text="When the legal basis must be renewed (by default from the basis)")
    objected_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When the candidate objected to being contacted")
    objection_note = models.TextField(blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = SearchTextField(blank=True, default="", db_default="", editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(Lower("name"), name="candidate_name_lower"),
            # The API's orderings, each with the id as its tie-breaker in the same direction: a page reads
            # its rows from the index instead of sorting every candidate (benchmarks/README.md).
            models.Index(fields=["name", "id"], name="candidate_name_id"),
            models.Index(fields=["created_at", "id"], name="candidate_created_id"),
            models.Index(fields=["updated_at", "id"], name="candidate_updated_id"),
            # Today's renewals due: a range over the renew-by day.
            models.Index(fields=["basis_renew_by"], name="candidate_basis_renew_by"),
        ]
        constraints = [
            *money_constraints("candidate", ["current_base"], "current_currency", required=False),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="candidate_email_unique",
                violation_error_message="Another candidate already has this e-mail address.",
                violation_error_code="duplicate",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(CANDIDATE_SEARCHED):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field is validated, so " Priya@X.org " is cleaned, not refused.
        self.email = (self.email or "").strip().lower()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        limits.check_amounts({"current_base": self.current_base}, self.current_currency)
        errors: dict[str, list[ValidationError]] = {}
        for _rule, refused in consent.refusals(self):
            errors.setdefault(refused.field, []).extend(refused.error_dict[refused.field])
        if errors:
            raise ValidationError(errors)

    @property
    def objected(self) -> bool:
        """Whether the candidate objected: nobody is prompted to contact them (pipeline/consent.py)."""
        return self.objected_at is not None

    @property
    def skill_list(self) -> list[str]:
        return split_skills(self.skills)


class Application(models.Model):
    """A candidate in the process for one job, owned by one recruiter."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="applications")
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SOURCED)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    # Where an application on hold was, so that it can resume there.
    stage_before_hold = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    lessons = models.TextField(blank=True, help_text="What this application taught us")
    # Derived data computed from this application (its risk snapshot) is valid while computed from
    # the current value: every write to what the risk reads adds one, in SQL, through
    # homestretch.pipeline.changes, in the writer's transaction (docs/architecture.md, Derived tables).
    generation = models.PositiveIntegerField(
        default=0, db_default=0, editable=False,
        help_text="Changes counted to what the application's risk is computed from",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["stage", "recruiter"], name="application_stage_recruiter"),
            models.Index(fields=["job", "stage"], name="application_job_stage"),
            models.Index(fields=["closed_at"], name="application_closed_at"),
            # The API's orderings, the id as tie-breaker in the same direction (see Candidate).
            models.Index(fields=["created_at", "id"], name="application_created_id"),
            models.Index(fields=["stage_entered_at", "id"], name="application_stage_entered_id"),
            models.Index(fields=["updated_at", "id"], name="application_updated_id"),
            # The risk snapshots' expiry probe: an acceptance dated later today (risk/snapshots.py).
            models.Index(fields=["accepted_at"], name="application_accepted_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "job"],
                name="application_candidate_job_unique",
                violation_error_message=ALREADY_IN_THE_PROCESS,
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values),
                name="application_stage_known",
                violation_error_message="Unknown stage.",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=sorted(stages.CLOSED), closed_at__isnull=False)
                | (~models.Q(stage__in=sorted(stages.CLOSED)) & models.Q(closed_at__isnull=True)),
                name="application_closed_at_iff_closed",
                violation_error_message="A closed application needs its closing time, an open one has none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.job}"

    def save(self, *args, **kwargs) -> None:
        """Write every field but `generation`, which only changes.count_change writes (in SQL, as
        generation + 1): a row loaded before a change was counted and saved after it would otherwise
        write back the old count, and a snapshot computed from the old facts would hold again."""
        if not self._state.adding and not kwargs.get("force_insert"):
            fields = kwargs.get("update_fields")
            if fields is None:
                fields = [field.attname for field in self._meta.concrete_fields if not field.primary_key]
            kwargs["update_fields"] = [name for name in fields if name != "generation"]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Lessons are what a closed application taught: noted on the move that closes it (or later,
        # while it is closed), never while it is in the process. A reopened application keeps those
        # of its close as they are.
        # At creation the body alone breaks the rule (bad input); later it is the stage the application
        # is at that refuses them (a conflict with the record as it stands).
        if self.lessons.strip() and not self.is_closed and self.lessons != self._stored_lessons():
            raise Refused("lessons", LESSONS_ONLY_ON_A_CLOSE, NOT_APPLICABLE if self._state.adding else TRANSITION)

    def _stored_lessons(self) -> str:
        if self._state.adding:
            return ""
        return Application.objects.filter(pk=self.pk).values_list("lessons", flat=True).first() or ""

    @property
    def outcome(self) -> Outcome:
        return stages.outcome_of(self.stage)

    @property
    def is_closed(self) -> bool:
        return stages.is_closed(self.stage)

    def stage_rules(self) -> stages.StageRules:
        return stages.StageRules(
            stage=self.stage,
            stage_before_hold=self.stage_before_hold or None,
            was_accepted=self.accepted_at is not None,
        )


class StageChange(models.Model):
    """One move of an application between stages; the full history is kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    loss_reason = models.CharField(max_length=24, choices=LossReason.choices, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["application", "at"], name="stagechange_application_at"),
            # The risk snapshots' expiry probe: the few changes dated later today, whoever they concern.
            models.Index(fields=["at"], name="stagechange_at"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} -> {self.to_stage}"


class Touchpoint(models.Model):
    """One contact with a candidate: a call, e-mail, message, meeting or video call."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="touchpoints")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="touchpoints"
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="touchpoints"
    )
    at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    notes = models.TextField(blank=True)
    interest = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The candidate's interest in this job, 1 (none) to 5 (very keen)",
    )
    competition_asked = models.BooleanField(default=False)
    competition_answer = models.CharField(max_length=16, choices=CompetitionAnswer.choices, blank=True)
    status_update_given = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["application", "at"], name="touchpoint_application_at"),
            models.Index(fields=["candidate", "at"], name="touchpoint_candidate_at"),
            models.Index(fields=["-at", "-id"], name="touchpoint_newest_first"),  # the back office's list
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interest__isnull=True) | models.Q(interest__gte=1, interest__lte=5),
                name="touchpoint_interest_1_to_5",
                violation_error_message="Interest is a level from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=models.Q(competition_asked=True, competition_answer__in=CompetitionAnswer.values)
                | models.Q(competition_asked=False, competition_answer=""),
                name="touchpoint_answer_iff_asked",
                violation_error_message="Give the answer when competition was asked about, and only then.",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values) & models.Q(direction__in=Direction.values),
                name="touchpoint_channel_direction_known",
                violation_error_message="Unknown channel or direction.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_direction_display().lower()} at {self.at:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.candidate_id and self.application is not None and self.application.candidate_id != self.candidate_id:
            errors["application"] = ValidationError("This application belongs to another candidate.", code=NOT_FOUND)
        # The question and its answer go together (the touchpoint_answer_iff_asked constraint says so too,
        # about the whole record; these name the field to fix).
        if self.competition_answer and not self.competition_asked:
            errors["competition_asked"] = ValidationError(ANSWER_NEEDS_THE_QUESTION, code=MISSING)
        elif self.competition_asked and not self.competition_answer:
            errors["competition_answer"] = ValidationError(QUESTION_NEEDS_THE_ANSWER, code=MISSING)
        if errors:
            raise ValidationError(errors)


class TouchSummary(models.Model):
    """What the touches of one application, or of one candidate alone, add up to: kept up to date by
    every writer of touchpoints through pipeline/changes.py (touch_summaries.py computes it), so that
    scoring thousands of applications "now" reads one small row each instead of aggregating a million
    touchpoints.

    Exactly one of `application` and `candidate` is set: `candidate` holds the touches logged on the
    candidate without an application (a call about all their processes).
    """

    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="touch_summary"
    )
    candidate = models.OneToOneField(
        Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="lone_touch_summary"
    )
    touchpoints = models.PositiveIntegerField()
    last_contact_at = models.DateTimeField()
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_competition_asked_at = models.DateTimeField(null=True, blank=True)
    last_competition_answer = models.CharField(max_length=16, choices=CompetitionAnswer.choices, blank=True)
    latest_interest = models.PositiveSmallIntegerField(null=True, blank=True)
    previous_interest = models.PositiveSmallIntegerField(null=True, blank=True)
    last_status_update_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, candidate__isnull=True)
                | models.Q(application__isnull=True, candidate__isnull=False),
                name="touchsummary_application_xor_candidate",
                violation_error_message="A touch summary belongs to an application or to a candidate alone.",
            ),
        ]

    def __str__(self) -> str:
        owner = f"application {self.application_id}" if self.application_id else f"candidate {self.candidate_id}"
        return f"{self.touchpoints} touches of {owner}"


class CandidateCountPart(models.Model):
    """On PostgreSQL, the number of candidates kept as parts that add up to it (pipeline/candidate_count.py):
    triggers on the candidates' table add one part per statement that inserts or deletes candidates, in the
    statement's own transaction, and the worker folds the parts into one. No writer waits on another's part,
    and the API's list of candidates reads its total in a sum of a few rows instead of counting them all.
    Empty and unused on SQLite."""

    delta = models.BigIntegerField()

    class Meta:
        db_table = "pipeline_candidate_count_part"

    def __str__(self) -> str:
        return f"{self.delta:+d} candidates"
