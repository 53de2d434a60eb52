"""The recruiter's forms: log a touch (with a quick competing offer), move a stage, record a competing
offer, the candidate's priorities and our offer. Forms only check what was typed; the services
check every rule and write. A refusal from a service lands beside the field it names (by its field,
never by its words: homestretch/lib/refusals.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from homestretch.lib import limits
from homestretch.lib.money import currency_choices
from homestretch.lib.refusals import place_on_form, with_constraint_fields
from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.choices import CompetitionAnswer, JobStatus, LossReason, Stage
from homestretch.pipeline.models import Touchpoint


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal beside the field it names, its code kept; the rest above the form."""
    place_on_form(form, error)


class FastSelect(forms.Select):
    """A select whose options are written in Python: Django renders each option through its own
    template, which for the currency lists (every ISO 4217 code) cost most of the application page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((option["value"] if option["value"] is not None else "", " selected" if option["selected"] else "",
              option["label"])
             for _, group, _ in widget["optgroups"] for option in group),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class FastSelectMixin(forms.BaseForm):
    """Swap every plain select of the form for a FastSelect, keeping its choices and attributes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                fast = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
                fast.is_required = field.widget.is_required
                field.widget = fast


class ConstraintsOnFields(forms.BaseForm):
    """A database constraint about one field (a negative base, a minimum above the target), which a
    ModelForm checks and Django reports above the form, is said beside that field instead
    (lib/refusals.py `CONSTRAINT_FIELDS`). Only errors about the whole form stay above it."""

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError):
            error = with_constraint_fields(error, self.fields)
        super().add_error(field, error)


class MoneyFormMixin(ConstraintsOnFields):
    """An amount needs its currency: say so beside the currency field, not above the form. Every
    amount is at most the ceiling of lib/limits.py, said in words ("An amount is at most
    9,999,999,999 EUR", with the currency chosen on the form), not as a count of digits."""

    amount_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.max_digits = None
                field.validators = [
                    *(v for v in field.validators if not isinstance(v, DecimalValidator | MaxValueValidator)),
                    DecimalValidator(None, field.decimal_places),
                    MaxValueValidator(limits.MAX_AMOUNT, message=limits.amount_over_ceiling()),
                ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if any(data.get(name) is not None for name in self.amount_fields) and not data.get("currency"):
            self.add_error("currency", "Give the currency of the amounts.")
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField) and any(
                    error.code == "max_value" for error in self.errors.as_data().get(name, ())):
                currency = data.get(self._currency_field_of(name)) or ""
                self.errors[name] = self.error_class([limits.amount_over_ceiling(currency)])
        return data

    def _currency_field_of(self, name: str) -> str:
        """The currency of an amount: `rival_base` -> `rival_currency`, `current_base` ->
        `current_currency`, `job_base_min` -> `job_currency`, else the form's `currency`."""
        own = f"{name.split('_', 1)[0]}_currency"
        return own if own in self.fields else "currency"


class TouchpointForm(FastSelectMixin, MoneyFormMixin, forms.ModelForm):
    """A call, e-mail or meeting, with the questions every contact should answer, and the competing
    process or offer it revealed, if any (the `rival_` fields)."""

    rival_company = forms.CharField(label="Company", required=False, max_length=200)
    rival_kind = forms.ChoiceField(label="Kind", choices=CompetingKind.choices, initial=CompetingKind.EXTERNAL,
                                   required=False)
    rival_stage = forms.ChoiceField(label="Stage", choices=CompetingStage.choices, initial=CompetingStage.INTERVIEWING,
                                    required=False)
    rival_base = forms.DecimalField(label="Base pay a year", required=False, min_value=0, decimal_places=2)
    rival_currency = forms.ChoiceField(label="Currency", choices=[("", "—"), *currency_choices()], required=False)
    rival_deadline = forms.DateField(label="Deadline", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rival_confidential = forms.BooleanField(label="Told in confidence", required=False)

    class Meta:
        model = Touchpoint
        fields = ["channel", "direction", "interest", "competition_asked", "competition_answer",
                  "status_update_given", "notes"]
        labels = {
            "interest": "Interest (1 to 5)",
            "competition_asked": "Asked about competition?",
            "competition_answer": "Their answer",
            "status_update_given": "Gave a status update?",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].widget = FastSelect(choices=[("", "—"), *[(i, str(i)) for i in range(1, 6)]])
        answer = self.fields["competition_answer"]
        assert isinstance(answer, forms.ChoiceField), "a model field with choices is a choice field"
        answer.choices = [("", "—"), *CompetitionAnswer.choices]
        # Most touches are calls we make: one click fewer for the usual case.
        self.fields["channel"].initial = "call"
        self.fields["direction"].initial = "outbound"

    def clean(self):
        # The question and its answer go together: Touchpoint.clean says so, for every entry point.
        super().clean()
        data = self.cleaned_data
        answer = data.get("competition_answer")
        has_rival = any(data.get(f"rival_{name}") for name in ("company", "base", "deadline"))
        if has_rival:
            if not data.get("rival_company"):
                self.add_error("rival_company", "Name the company of the competing process.")
            if answer != CompetitionAnswer.DISCLOSED:
                self.add_error("competition_answer", "A competing process was noted: the answer is 'Disclosed'.")
            if data.get("rival_base") is not None and not data.get("rival_currency"):
                self.add_error("rival_currency", "Give the currency of the pay.")
        return data

    def competing_offer(self, touchpoint: Touchpoint) -> CompetingOffer | None:
        """The competing process typed into the quick-add fields, learned in `touchpoint`."""
        data = self.cleaned_data
        if not data.get("rival_company"):
            return None
        return CompetingOffer(
            candidate_id=touchpoint.candidate_id, kind=data.get("rival_kind") or CompetingKind.EXTERNAL,
            company=data["rival_company"], stage=data.get("rival_stage") or CompetingStage.INTERVIEWING,
            base=data.get("rival_base"), currency=data.get("rival_currency") or "",
            deadline=data.get("rival_deadline"), confidential=data.get("rival_confidential", False),
            learned_at=touchpoint.at, learned_in=touchpoint,
        )


# Stages a recruiter moves to by hand; the rules (stages.check_transition) decide which are allowed.
class StageMoveForm(FastSelectMixin, forms.Form):
    to_stage = forms.ChoiceField(label="Move to", choices=Stage.choices)
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    loss_reason = forms.ChoiceField(label="Why was the candidate lost?", required=False,
                                    choices=[("", "—"), *LossReason.choices])
    # Offered when the move closes the application; the service refuses it on any other move.
    lessons = forms.CharField(label="Lessons for the next similar search", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CloseJobForm(FastSelectMixin, forms.Form):
    """Close a job as Filled or Closed, with what the search taught (services.close_job decides)."""

    status = forms.ChoiceField(label="Close as", choices=[(s.value, s.label) for s in
                                                          (JobStatus.FILLED, JobStatus.CLOSED)])
    lessons = forms.CharField(label="Lessons for the next similar search", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CompetingOfferForm(FastSelectMixin, MoneyFormMixin, forms.ModelForm):
    amount_fields = ("base", "bonus", "equity")

    class Meta:
        model = CompetingOffer
        fields = ["kind", "company", "role", "stage", "base", "bonus", "equity", "currency", "period",
                  "remote_policy", "remote_days", "deadline", "confidential", "notes"]
        labels = {"confidential": "Told in confidence", "base": "Base pay"}
        # A blank bonus or equity is "not known": the total is then never compared with ours.
        help_texts = {"bonus": "Blank when not known; 0 when there is none.",
                      "equity": "Yearly value. Blank when not known; 0 when there is none."}
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 2})}


class PrioritiesForm(FastSelectMixin, MoneyFormMixin, forms.ModelForm):
    amount_fields = ("base_min", "base_target")
    # The model's field takes up to 32,767; the rule (lib/limits.py) is a year at most, in its words.
    notice_days = forms.IntegerField(label="Notice days", required=False, min_value=0,
                                     max_value=limits.MAX_NOTICE_DAYS,
                                     error_messages={"max_value": limits.NOTICE_TOO_LONG})

    class Meta:
        model = Priorities
        fields = ["base_min", "base_target", "currency", "period", "remote_preference", "remote_days",
                  "notice_days", "earliest_start", "must_haves", "importance_pay", "importance_remote",
                  "importance_speed", "importance_title", "importance_growth", "importance_stack"]
        labels = {"base_min": "Minimum base", "base_target": "Target base"}
        widgets = {"earliest_start": forms.DateInput(attrs={"type": "date"}),
                   "must_haves": forms.Textarea(attrs={"rows": 2})}


class OfferForm(FastSelectMixin, MoneyFormMixin, forms.ModelForm):
    """A new offer, or a revision of the open one (which it supersedes)."""

    class Meta:
        model = Offer
        fields = ["status", "base", "bonus", "equity", "currency", "period", "remote_policy", "remote_days",
                  "start_date", "expires_on", "notes"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}),
                   "expires_on": forms.DateInput(attrs={"type": "date"}),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField), "a model field with choices is a choice field"
        status.choices = [(s.value, s.label) for s in (OfferStatus.DRAFT, OfferStatus.APPROVED, OfferStatus.EXTENDED)]


class OfferStatusForm(FastSelectMixin, forms.Form):
    status = forms.ChoiceField(label="New status", choices=[
        (s.value, s.label) for s in (OfferStatus.APPROVED, OfferStatus.EXTENDED, OfferStatus.ACCEPTED,
                                     OfferStatus.DECLINED, OfferStatus.RENEGED, OfferStatus.WITHDRAWN,
                                     OfferStatus.EXPIRED)])
    decline_reason = forms.ChoiceField(label="Why did the candidate say no?", required=False,
                                       choices=[("", "—"), *LossReason.choices])
    won_by = forms.CharField(label="Company that won", required=False, max_length=200)
