"""The forms that bring work in from the web app: a new application in one form (with a new
candidate, job, client and hiring manager when needed), and the edits of a candidate, a job, a
client with its hiring managers, and of who owns an application.

Forms check what was typed; pipeline/records.py and pipeline/services.py check every rule and write.
A refusal lands beside the field it names (`place_on_form`); a refusal of the new-application
workflow names its record (`candidate.email`), which is the form's `candidate_email`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from homestretch.accounts.models import User
from homestretch.lib.money import Period, currency_choices
from homestretch.lib.refusals import place_on_form
from homestretch.pipeline import records
from homestretch.pipeline.choices import RemotePolicy, Seniority, Stage
from homestretch.pipeline.models import Candidate, Client, HiringManager, Job

from .forms import FastSelect, FastSelectMixin, MoneyFormMixin

# Where a refusal of open_new_application goes on the form when its name is not the form's own.
FIELDS_OF_REFUSALS = {"at": "stage_since"}


def place_refusal(form: forms.BaseForm, refused: ValidationError) -> None:
    """A refusal of the new-application workflow beside its field: `candidate.email` on
    `candidate_email`, `at` on `stage_since`; the rest as place_on_form places it."""
    if hasattr(refused, "error_dict"):
        renamed: dict[str, list[ValidationError]] = {}
        for name, items in refused.error_dict.items():
            field = FIELDS_OF_REFUSALS.get(name, name.replace(".", "_"))
            renamed.setdefault(field, []).extend(items)
        refused = ValidationError(renamed)
    place_on_form(form, refused)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewApplicationForm(FastSelectMixin, MoneyFormMixin, forms.Form):
    """One page: the candidate (picked, or new), the job (picked, or new, for a picked or new client,
    with its hiring manager), the stage it is at today and since when, and the recruiter who owns it.

    `candidate_choices`, `job_choices` and `client_choices` are the (id, label) pairs the pickers
    offer: the records found by the searches and the one already picked. A new record is the blank
    choice: its fields below are read only then."""

    candidate_query = forms.CharField(label="Find a candidate", required=False, max_length=200,
                                      help_text="Name, e-mail or phone; at least two characters.")
    candidate = forms.TypedChoiceField(label="Candidate", required=False, coerce=int, empty_value=None)
    candidate_name = forms.CharField(label="Name", required=False, max_length=200)
    candidate_email = forms.EmailField(label="E-mail", required=False)
    candidate_phone = forms.CharField(label="Phone", required=False, max_length=40)
    candidate_current_title = forms.CharField(label="Current title", required=False, max_length=200)
    candidate_current_employer = forms.CharField(label="Current employer", required=False, max_length=200)
    candidate_location = forms.CharField(label="Location", required=False, max_length=200)
    candidate_consent_to_contact = forms.BooleanField(label="Agreed to be contacted", required=False)

    job_query = forms.CharField(label="Find an open job", required=False, max_length=200,
                                help_text="Title or client; at least two characters.")
    job = forms.TypedChoiceField(label="Job", required=False, coerce=int, empty_value=None)
    job_title = forms.CharField(label="Title", required=False, max_length=200)
    job_seniority = forms.ChoiceField(label="Seniority", choices=Seniority.choices, initial=Seniority.MID)
    job_location = forms.CharField(label="Location", required=False, max_length=200)
    job_remote_policy = forms.ChoiceField(label="Remote policy", choices=RemotePolicy.choices,
                                          initial=RemotePolicy.HYBRID)
    job_base_min = forms.DecimalField(label="Base from", required=False, min_value=0, decimal_places=2)
    job_base_max = forms.DecimalField(label="Base up to", required=False, min_value=0, decimal_places=2)
    job_currency = forms.ChoiceField(label="Currency", choices=currency_choices(), initial="EUR")
    job_period = forms.ChoiceField(label="Per", choices=Period.choices, initial=Period.YEAR)
    client = forms.TypedChoiceField(label="Client", required=False, coerce=int, empty_value=None)
    client_name = forms.CharField(label="New client's name", required=False, max_length=200)
    hiring_manager_name = forms.CharField(label="Hiring manager", required=False, max_length=200,
                                          help_text="Someone already at the client is found by name.")
    hiring_manager_title = forms.CharField(label="Their title", required=False, max_length=200)
    hiring_manager_email = forms.EmailField(label="Their e-mail", required=False)

    stage = forms.ChoiceField(label="Stage today", choices=[(s.value, s.label) for s in records.STARTING_STAGES],
                              initial=Stage.SOURCED)
    stage_since = forms.DateField(label="At this stage since", widget=_date_input())
    recruiter = forms.TypedChoiceField(label="Recruiter", coerce=int)

    def __init__(self, *args, candidate_choices: Iterable[tuple[int, str]] = (),
                 job_choices: Iterable[tuple[int, str]] = (), client_choices: Iterable[tuple[int, str]] = (),
                 recruiter_choices: Iterable[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._choices: dict[str, list[tuple[int | str, str]]] = {}
        self._choose("candidate", [("", "New candidate (below)"), *candidate_choices])
        self._choose("job", [("", "New job (below)"), *job_choices])
        self._choose("client", [("", "New client (name below)"), *client_choices])
        self._choose("recruiter", list(recruiter_choices))

    def offer_candidates(self, choices: list[tuple[int, str]]) -> None:
        """Candidates already recorded, offered in the picker instead of a new one."""
        offered = self._choices["candidate"]
        shown = {str(value) for value, _ in offered}
        self._choose("candidate", [*offered, *((pk, label) for pk, label in choices if str(pk) not in shown)])

    def _choose(self, name: str, choices: list[tuple[int | str, str]]) -> None:
        self._choices[name] = choices
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField), "the pickers are choice fields"
        field.choices = choices
        field.widget = FastSelect(choices=field.choices)


class CandidateForm(FastSelectMixin, MoneyFormMixin, forms.ModelForm):
    """A candidate's details: contact, current employer and pay, location, skills, notes, the legal basis
    for holding them and an objection. (Consent to contact follows the basis: records.save_candidate.)"""

    class Meta:
        model = Candidate
        fields = ["name", "email", "phone", "location", "current_title", "current_employer", "current_base",
                  "current_currency", "current_period", "skills", "years_experience", "source", "notes",
                  "legal_basis", "basis_obtained_at", "basis_obtained_how", "basis_renew_by", "objected_at",
                  "objection_note"]
        labels = {"email": "E-mail", "current_base": "Current base pay", "current_currency": "Currency",
                  "current_period": "Per", "years_experience": "Years of experience",
                  "legal_basis": "Legal basis", "basis_obtained_at": "Basis obtained on",
                  "basis_obtained_how": "Obtained how", "basis_renew_by": "Renew by",
                  "objected_at": "Objected on", "objection_note": "Objection note"}
        help_texts = {"basis_obtained_at": "Today when left empty.",
                      "basis_renew_by": "Left empty: 24 months after for consent, 12 for legitimate interest.",
                      "objected_at": "An objection excludes the candidate from digests, the feed and outreach."}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4}), "objection_note": forms.Textarea(attrs={"rows": 2}),
                   "basis_obtained_at": _date_input(), "basis_renew_by": _date_input(),
                   "objected_at": _date_input()}

    def clean(self):
        data = super().clean()
        # MoneyFormMixin names the currency field `currency`; a candidate's is `current_currency`.
        if data.get("current_base") is not None and not data.get("current_currency"):
            self.add_error("current_currency", "Give the currency of the pay.")
        return data

    def clean_email(self) -> str:
        """Another candidate with this address is said beside the address, naming them (the unique
        constraint would say it above the form)."""
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if email:
            others = records.duplicates_of(name="", email=email, exclude_id=self.instance.pk)
            if others:
                raise ValidationError(f"{others[0].name} already has this e-mail address.", code="duplicate")
        return email


class HiringManagerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HiringManager) -> str:
        return f"{obj.name}, {obj.title}" if obj.title else obj.name


class JobForm(FastSelectMixin, MoneyFormMixin, forms.ModelForm):
    """A job's details and status; closing goes through close_job's rules (services.change_job)."""

    amount_fields = ("base_min", "base_max")

    class Meta:
        model = Job
        fields = ["title", "seniority", "location", "remote_policy", "remote_days", "base_min", "base_max",
                  "currency", "period", "hiring_manager", "skills", "perks", "status"]
        labels = {"base_min": "Base from", "base_max": "Base up to", "period": "Per",
                  "remote_days": "Remote days a week"}
        widgets = {"perks": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"hiring_manager": HiringManagerField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        manager = self.fields["hiring_manager"]
        assert isinstance(manager, forms.ModelChoiceField), "a foreign key is a model choice field"
        manager.queryset = HiringManager.objects.filter(client_id=self.instance.client_id).order_by("name")


class ClientForm(FastSelectMixin, forms.ModelForm):
    website = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Client
        fields = ["name", "industry", "size", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


HiringManagerFormSet = forms.modelformset_factory(
    HiringManager, fields=["name", "title", "email", "phone"], extra=1, can_delete=True,
)


class HandOverForm(FastSelectMixin, forms.Form):
    recruiter = forms.TypedChoiceField(label="Hand to", coerce=int)

    def __init__(self, *args, recruiters: Iterable[User] = (), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["recruiter"]
        assert isinstance(field, forms.ChoiceField), "a choice field"
        field.choices = [(u.pk, u.display_name) for u in recruiters]
        field.widget = FastSelect(choices=field.choices)
