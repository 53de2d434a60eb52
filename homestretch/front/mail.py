"""The mail-in pages: upload an .eml on an application or candidate page, the Unmatched mail list (attach
to a candidate or dismiss), a recruiter's other addresses, and the proposals read from mail ("From the
e-mail of 3 Dec: Globex offer, 95,000 EUR a year, answer by 6 Dec — Add / Edit / Dismiss").

Thin: every record through the access helpers, every change through homestretch.mailin.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homestretch.accounts.access import require, require_reader
from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.mailin import parsing
from homestretch.mailin import services as mail_services
from homestretch.mailin.choices import MailStatus, Via
from homestretch.mailin.models import MailMessage, Proposal, RecruiterAddress
from homestretch.pipeline.access import can_change_application, get_application_for_user, get_candidate_for_user
from homestretch.pipeline.choices import CompetitionAnswer
from homestretch.pipeline.models import Application, Candidate

from .forms import CompetingOfferForm, attach_errors

UNMATCHED_LIMIT = 100


class UploadForm(forms.Form):
    eml = forms.FileField(label="E-mail file (.eml)",
                          help_text=f"As saved from the mail client; at most {parsing.MAX_MESSAGE_BYTES // 2**20} MB.")

    def clean_eml(self):
        upload = self.cleaned_data["eml"]
        if upload.size > parsing.MAX_MESSAGE_BYTES:
            raise ValidationError(parsing.REFUSAL_REASONS[parsing.TOO_LARGE].capitalize() + ".", code="out_of_range")
        return upload


class AttachForm(forms.Form):
    candidate = forms.CharField(label="Candidate's e-mail or id", max_length=320)

    def clean_candidate(self) -> Candidate:
        value = self.cleaned_data["candidate"].strip().lstrip("#")
        found = None
        if value.isdigit():
            found = Candidate.objects.filter(pk=int(value)).first()
        elif "@" in value:
            found = Candidate.objects.annotate(lower=Lower("email")).filter(lower=value.lower()).first()
        if found is None:
            raise ValidationError("No candidate with this e-mail or id.", code="invalid")
        return found


class AddressForm(forms.Form):
    address = forms.EmailField(label="Another address you write from", max_length=254)


def _upload(request: AuthenticatedHttpRequest, candidate: Candidate, back: str) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        raw = form.cleaned_data["eml"].read(parsing.MAX_MESSAGE_BYTES + 1)
        try:
            result = mail_services.receive(raw, via=Via.UPLOAD, now=timezone.now(), uploaded_by=request.user,
                                           candidate=candidate)
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            if result.refused:
                form.add_error("eml", f"Not taken in: {result.refused_words}.")
            elif result.duplicates and not result.messages:
                messages.info(request, "This e-mail was taken in before; nothing changed.")
                return redirect(back)
            elif result.messages and result.messages[0].status == MailStatus.UNMATCHED:
                form.add_error("eml", result.messages[0].get_unmatched_reason_display() + ".")
            else:
                count = len(result.touchpoints)
                messages.success(request, f"E-mail logged as {count} touch{'es' if count != 1 else ''}.")
                return redirect(back)
    return render(request, "mailin/upload.html", {"form": form, "candidate": candidate, "back": back}, status=422)


@require_POST
def upload_on_application(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = get_application_for_user(request.user, application_id, for_change=True)
    back = reverse("application", kwargs={"application_id": application.pk}) + "#timeline"
    return _upload(request, application.candidate, back)


@require_POST
def upload_on_candidate(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, candidate_id)
    require(request.user.team_id is not None, "candidate's mail")
    return _upload(request, candidate, reverse("candidate", kwargs={"candidate_id": candidate.pk}))


def unmatched(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's Unmatched mail (and their team's), with their other addresses."""
    require_reader(request.user)
    listed = list(mail_services.unmatched_for(request.user).select_related("recruiter")[:UNMATCHED_LIMIT])
    return render(request, "mailin/unmatched.html", {
        "unmatched": listed, "limit": UNMATCHED_LIMIT, "attach_form": AttachForm(),
        "address_form": AddressForm(),
        "addresses": list(RecruiterAddress.objects.filter(user=request.user)),
        "here": "mail-unmatched",
    })


def _unmatched_message(request: AuthenticatedHttpRequest, message_id: int) -> MailMessage:
    message = mail_services.unmatched_for(request.user).filter(pk=message_id).first()
    if message is None:
        raise Http404(f"No unmatched message with id {message_id}.")
    return message


@require_POST
def attach(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _unmatched_message(request, message_id)
    form = AttachForm(request.POST)
    if form.is_valid():
        try:
            touches = mail_services.attach(message, form.cleaned_data["candidate"], by=request.user,
                                           now=timezone.now())
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"Attached to {form.cleaned_data['candidate'].name}: "
                                      f"{len(touches)} touch{'es' if len(touches) != 1 else ''} logged.")
            return redirect("mail-unmatched")
    return render(request, "mailin/attach.html", {"message": message, "form": form}, status=422)


@require_POST
def dismiss(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _unmatched_message(request, message_id)
    try:
        mail_services.dismiss(message, by=request.user, now=timezone.now())
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Dismissed.")
    return redirect("mail-unmatched")


@require_POST
def add_address(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = AddressForm(request.POST)
    if form.is_valid():
        try:
            mail_services.add_address(request.user, form.cleaned_data["address"], now=timezone.now())
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, "Address added: mail from it is yours.")
            return redirect("mail-unmatched")
    return render(request, "mailin/unmatched.html", {
        "unmatched": list(mail_services.unmatched_for(request.user).select_related("recruiter")[:UNMATCHED_LIMIT]),
        "limit": UNMATCHED_LIMIT, "attach_form": AttachForm(), "address_form": form,
        "addresses": list(RecruiterAddress.objects.filter(user=request.user)), "here": "mail-unmatched",
    }, status=422)


@require_POST
def remove_address(request: AuthenticatedHttpRequest, address_id: int) -> HttpResponse:
    RecruiterAddress.objects.filter(pk=address_id, user=request.user).delete()
    messages.success(request, "Address removed.")
    return redirect("mail-unmatched")


# --- Proposals on the application page ---------------------------------------------------------------


def _proposal(request: AuthenticatedHttpRequest, application_id: int,
              proposal_id: int) -> tuple[Application, Proposal]:
    application = get_application_for_user(request.user, application_id, for_change=True)
    team_id = application.recruiter.team_id
    proposal = None if team_id is None else Proposal.objects.filter(
        pk=proposal_id, candidate_id=application.candidate_id, team_id=team_id).first()
    if proposal is None:
        raise Http404(f"No proposal with id {proposal_id} for this application.")
    return application, proposal


def _application_url(application: Application) -> str:
    return reverse("application", kwargs={"application_id": application.pk}) + "#mail-proposals"


@require_POST
def accept_proposal(request: AuthenticatedHttpRequest, application_id: int, proposal_id: int) -> HttpResponse:
    application, proposal = _proposal(request, application_id, proposal_id)
    try:
        mail_services.accept(proposal.pk, by=request.user, now=timezone.now(),
                             answer=request.POST.get("answer", "")[:32])
    except ValidationError as refused:
        if proposal.kind == "competing_offer":  # say where, on the form to complete
            return _edit_page(request, application, proposal, refused=refused)
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Added.")
    return redirect(_application_url(application))


@require_POST
def dismiss_proposal(request: AuthenticatedHttpRequest, application_id: int, proposal_id: int) -> HttpResponse:
    application, proposal = _proposal(request, application_id, proposal_id)
    try:
        mail_services.dismiss_proposal(proposal.pk, by=request.user, now=timezone.now())
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Dismissed.")
    return redirect(_application_url(application))


def _edit_page(request: AuthenticatedHttpRequest, application: Application, proposal: Proposal, *,
               form: CompetingOfferForm | None = None, refused: ValidationError | None = None) -> HttpResponse:
    if form is None:
        initial = mail_services.competing_offer_of(proposal)
        form = CompetingOfferForm(prefix="competing", initial={
            name: getattr(initial, name) for name in CompetingOfferForm.Meta.fields})
        if refused is not None:
            form = CompetingOfferForm({f"competing-{k}": ("" if v is None else v) for k, v in form.initial.items()
                                       if v not in (False,)}, prefix="competing")
            form.is_valid()
            attach_errors(form, refused)
    return render(request, "mailin/proposal_edit.html", {"application": application, "proposal": proposal,
                                                         "form": form}, status=422 if refused else 200)


def edit_proposal(request: AuthenticatedHttpRequest, application_id: int, proposal_id: int) -> HttpResponse:
    """The competing offer as read, in the competing-offer form, to correct before adding it."""
    application, proposal = _proposal(request, application_id, proposal_id)
    if proposal.kind != "competing_offer" or proposal.status != "proposed":
        return redirect(_application_url(application))
    if request.method != "POST":
        return _edit_page(request, application, proposal)
    form = CompetingOfferForm(request.POST, prefix="competing")
    if form.is_valid():
        rival = form.save(commit=False)
        rival.candidate_id = application.candidate_id
        rival.learned_at = proposal.said_at
        rival.learned_in = proposal.touchpoint
        try:
            mail_services.accept(proposal.pk, by=request.user, now=timezone.now(), competing=rival)
        except ValidationError as refused:
            rival.pk = None
            attach_errors(form, refused)
        else:
            messages.success(request, f"Competing process at {rival.company} added.")
            return redirect(_application_url(application))
    return _edit_page(request, application, proposal, form=form)


def proposals_context(user, application: Application) -> dict:
    """What the application page's "From the e-mail" block shows: the open proposals of the page's team
    (one query), and whether the user may act on them and upload mail."""
    may_change = can_change_application(user, application)
    proposals = list(mail_services.proposals_for(application.candidate_id, application.recruiter.team_id)
                     .select_related("message", "question")[:20]) if may_change else []
    # Newest first, and within one message the competing offers before the answer and the notice period.
    order = {"competing_offer": 0, "competition_answer": 1, "competition_asked": 1, "notice": 2}
    proposals.sort(key=lambda proposal: (-proposal.said_at.timestamp(), order.get(proposal.kind, 3)))
    return {"application": application, "proposals": proposals, "can_change": may_change,
            "upload_form": UploadForm(), "answer_choices": CompetitionAnswer.choices}
