"""What a spreadsheet's columns mean: the fields an import fills, the headers of common exports that
name them, how each value is read, and the stage names of other systems. One table of each.

Column names are compared as the history import compares them (`history.columns.normalise`:
without case, spaces or punctuation), and numbers, currencies and text are read by its readers, so a
value reads the same in both imports. Dates are read in the order the file shows
(`lib/file_dates.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import TextChoices

from homestretch.history.columns import (
    BadValue,
    normalise,
    read_amount,
    read_currency,
    read_decimal,
    read_text,
    storable,
)
from homestretch.pipeline.choices import LossReason, Seniority, Stage


class Kind(StrEnum):
    """What one row of the file is."""

    CANDIDATES = "candidates"
    JOBS = "jobs"
    APPLICATIONS = "applications"


# --- Reading one value ----------------------------------------------------------------------------


def read_name(text: str) -> str:
    return read_text(text)


def read_email(text: str) -> str:
    value = storable(text).strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:"):]
    if len(value) > 254 or "@" not in value or " " in value:
        raise BadValue("is not an e-mail address")
    return value


def read_phone(text: str) -> str:
    value = " ".join(storable(text).split())
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]  # a number cell written by a spreadsheet: 4915112345678.0
    if len(value) > 40:
        raise BadValue("is longer than 40 characters")
    return value


def read_skills(text: str) -> str:
    skills = [skill.strip() for part in storable(text).split(";") for skill in part.split(",") if skill.strip()]
    value = ", ".join(skills)
    if len(value) > 500:
        raise BadValue("is longer than 500 characters")
    return value


def read_whole_years(text: str) -> int:
    try:
        number = read_decimal(text)
    except BadValue:
        raise BadValue("is not a number of years") from None
    if number < 0 or number >= 100:
        raise BadValue("is not a number of years")
    return int(number.to_integral_value())


def read_amount_with_symbol(text: str) -> Decimal:
    """An amount as a spreadsheet shows it: '€ 85.000', '85,000 USD', '$120k' (k for thousands)."""
    cleaned = storable(text).strip()
    cleaned = "".join(ch for ch in cleaned if not ch.isalpha() or ch in "kK")
    thousands = cleaned.rstrip().endswith(("k", "K"))
    cleaned = cleaned.rstrip().rstrip("kK")
    cleaned = "".join(ch for ch in cleaned if ch.isdigit() or ch in ".,-+ \u00a0\u202f")
    if not cleaned.strip():
        raise BadValue("is not an amount")
    if _DOT_GROUPED.fullmatch(cleaned.strip()):
        cleaned = cleaned.replace(".", "")  # 61.500 is sixty-one thousand five hundred, as pay always is
    amount = read_amount(cleaned)
    return amount * 1000 if thousands else amount


_DOT_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")


def currency_in(text: str) -> str:
    """The currency an amount's text names, by code or symbol ('' when none)."""
    for symbol, code in (("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("$", "USD")):
        if symbol in text:
            return code
    letters = "".join(ch for ch in text.upper() if ch.isalpha())
    return letters if len(letters) == 3 else ""


def _choice(choices: type[TextChoices], what: str, aliases: dict[str, str] | None = None) -> Callable[[str], str]:
    by_word = {normalise(value): value for value in choices.values}
    by_word |= {normalise(label): value for value, label in choices.choices}
    by_word |= {normalise(word): value for word, value in (aliases or {}).items()}

    def read(text: str) -> str:
        value = by_word.get(normalise(text))
        if value is None:
            raise BadValue(f"is not {what} ({', '.join(str(label) for label in choices.labels)})")
        return value
    return read


read_seniority = _choice(Seniority, "a seniority", {"intermediate": Seniority.MID, "medior": Seniority.MID,
                                                     "staff": Seniority.PRINCIPAL, "entry": Seniority.JUNIOR})
read_loss_reason = _choice(LossReason, "a loss reason", {"salary": LossReason.COMPENSATION,
                                                         "pay": LossReason.COMPENSATION,
                                                         "other offer": LossReason.COMPETING_OFFER})

# --- Stage names ----------------------------------------------------------------------------------

# How other systems name the stages (Greenhouse, Lever, Workable, Recruitee, spreadsheets). Every
# stage's own value and label is read too. An admin adds or changes names in the back office
# (Spreadsheet import › Stage names), which win over these.
DEFAULT_STAGE_NAMES: dict[str, tuple[str, ...]] = {
    Stage.SOURCED: ("New", "Applied", "Application", "Lead", "Prospect", "Sourcing", "Application Review",
                    "New Applicant", "Contacted"),
    Stage.SCREENING: ("Screen", "Phone Screen", "Recruiter Screen", "Screening Call", "Shortlisted", "Review",
                      "Qualified"),
    Stage.INTERVIEWING: ("Interview", "Interviews", "Technical Interview", "First Interview", "Second Interview",
                         "Assessment", "Onsite", "On-site", "Hiring Manager Interview", "Case Study"),
    Stage.FINAL_INTERVIEW: ("Final", "Final Round", "Final Interview", "Last Round"),
    Stage.VERIFICATION: ("Reference Check", "References", "Background Check", "Checks"),
    Stage.OFFER: ("Offer Extended", "Offer Made", "Offer Sent", "Offered", "Make Offer"),
    Stage.ACCEPTED: ("Offer Accepted", "Signed", "Contract Signed"),
    Stage.STARTED: ("Hired", "Placed", "Joined", "Onboarded", "Start", "Placement"),
    Stage.DECLINED: ("Offer Declined", "Turned Down"),
    Stage.RENEGED: ("Backed Out", "No Show", "Did Not Join"),
    Stage.WITHDRAWN: ("Withdrew", "Candidate Withdrew", "Dropped Out"),
    Stage.REJECTED: ("Disqualified", "Not Selected", "Unsuitable", "Archived", "Client Rejected"),
    Stage.ON_HOLD: ("Hold", "Paused", "Parked"),
}


def stage_names(custom: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """{normalised name: stage}: the stages' own names and labels, the defaults, then `custom`
    (name, stage) pairs (the StageName table), each later one winning."""
    names = {normalise(value): value for value in Stage.values}
    names |= {normalise(label): value for value, label in Stage.choices}
    names |= {normalise(name): str(stage) for stage, words in DEFAULT_STAGE_NAMES.items() for name in words}
    names |= {normalise(name): stage for name, stage in custom}
    return names


# --- The fields -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str  # as the upload page shows it
    read: Callable[[str], object] | None  # None: read by the importer (dates, stages: they need the file)
    column_names: tuple[str, ...]


CANDIDATE_FIELDS: tuple[Field, ...] = (
    Field("candidate_name", "Candidate name", read_name, ("Name", "Full Name", "Candidate", "Candidate Name",
                                                          "Candidate Full Name", "Applicant", "Applicant Name")),
    Field("first_name", "First name", read_name, ("First Name", "Given Name", "Firstname", "Forename")),
    Field("last_name", "Last name", read_name, ("Last Name", "Surname", "Family Name", "Lastname")),
    Field("email", "E-mail", read_email, ("Email", "E-mail", "Email Address", "E-mail Address", "Candidate Email",
                                          "Primary Email", "Personal Email", "Mail")),
    Field("phone", "Phone", read_phone, ("Phone", "Phone Number", "Mobile", "Mobile Phone", "Candidate Phone",
                                         "Telephone", "Tel", "Cell", "Primary Phone")),
    Field("location", "Candidate location", read_text, ("Location", "Candidate Location", "City", "Based In")),
    Field("current_employer", "Current company", read_text, ("Current Company", "Current Employer", "Employer",
                                                              "Company Name Current", "Current Organisation",
                                                              "Current Organization")),
    Field("current_title", "Current job title", read_text, ("Current Title", "Current Job Title",
                                                            "Current Position", "Headline", "Current Role")),
    Field("current_base", "Current pay", read_amount_with_symbol, ("Current Salary", "Current Pay",
                                                                   "Current Base", "Current CTC", "Salary")),
    Field("current_currency", "Current pay's currency", read_currency, ("Current Currency", "Salary Currency")),
    Field("skills", "Skills", read_skills, ("Skills", "Key Skills", "Tags", "Technologies")),
    Field("years_experience", "Years of experience", read_whole_years, ("Years of Experience", "Years Experience",
                                                                        "Experience", "YOE", "Experience Years")),
)
JOB_FIELDS: tuple[Field, ...] = (
    Field("client", "Client", read_text, ("Client", "Client Name", "Customer", "Account", "Hiring Company",
                                          "Company", "Employer Client")),
    Field("job_title", "Job title", read_text, ("Job", "Job Title", "Job Name", "Position", "Role", "Opening",
                                                "Requisition", "Vacancy", "Title")),
    Field("job_location", "Job location", read_text, ("Job Location", "Office", "Work Location")),
    Field("seniority", "Seniority", read_seniority, ("Seniority", "Level", "Job Level")),
    Field("base_min", "Pay band minimum", read_amount_with_symbol, ("Salary Min", "Base Min", "Pay Min",
                                                                    "Min Salary", "Salary From", "Band Min")),
    Field("base_max", "Pay band maximum", read_amount_with_symbol, ("Salary Max", "Base Max", "Pay Max",
                                                                    "Max Salary", "Salary To", "Band Max")),
    Field("currency", "Pay band's currency", read_currency, ("Currency", "Job Currency", "Salary Currency")),
)
APPLICATION_FIELDS: tuple[Field, ...] = (
    Field("stage", "Stage", None, ("Stage", "Status", "Current Stage", "Pipeline Stage", "Application Status",
                                   "Application Stage", "Step", "Disposition")),
    Field("stage_date", "Date it got to the stage", None, ("Stage Date", "Stage Changed", "Stage Changed On",
                                                          "Status Date", "Last Stage Change", "Moved On",
                                                          "Date Moved", "Date")),
    Field("applied_on", "Date it was opened", None, ("Applied", "Applied On", "Applied Date", "Application Date",
                                                    "Date Applied", "Created", "Created On", "Date Added",
                                                    "Added On", "Sourced On")),
    Field("recruiter_email", "Recruiter's e-mail", read_email, ("Recruiter", "Recruiter Email", "Recruiter E-mail",
                                                                "Owner", "Owner Email", "Recruiter Owner",
                                                                "Assigned To")),
    Field("loss_reason", "Loss reason", read_loss_reason, ("Loss Reason", "Rejection Reason", "Disqualify Reason",
                                                           "Reason Lost", "Decline Reason")),
)
# Which fields a kind of file may have: an application row names its candidate and its job.
FIELDS_OF: dict[Kind, tuple[Field, ...]] = {
    Kind.CANDIDATES: CANDIDATE_FIELDS,
    Kind.JOBS: JOB_FIELDS,
    Kind.APPLICATIONS: CANDIDATE_FIELDS + JOB_FIELDS + APPLICATION_FIELDS,
}
FIELD_BY_NAME: dict[str, Field] = {field.name: field for field in CANDIDATE_FIELDS + JOB_FIELDS + APPLICATION_FIELDS}
DATE_FIELDS = frozenset({"stage_date", "applied_on"})
# A candidates file names the candidate's own title and company plainly ("Title", "Company"); a jobs
# or applications file means the job's and the client's by them.
_CANDIDATE_ONLY_NAMES = {"current_title": ("Title", "Job Title"), "current_employer": ("Company",)}
IGNORE = "ignore"  # `--map "COLUMN=ignore"` leaves a column out even when its name looks known


def recognise(column: str, kind: Kind) -> str | None:
    """The field of `kind` a column's header stands for, or None."""
    key = normalise(column)
    if kind == Kind.CANDIDATES:
        for name, headers in _CANDIDATE_ONLY_NAMES.items():
            if key in {normalise(header) for header in headers}:
                return name
    for field in FIELDS_OF[kind]:
        if key == normalise(field.name) or key in {normalise(name) for name in field.column_names}:
            return field.name
    return None


def guess_kind(header: Iterable[str]) -> Kind:
    """What a file's rows are, from its headers: a stage makes applications; a job without a
    candidate, jobs; anything else, candidates."""
    found = {recognise(name, Kind.APPLICATIONS) for name in header}
    if "stage" in found:
        return Kind.APPLICATIONS
    candidate = {"candidate_name", "first_name", "email", "phone"} & found
    if not candidate and "job_title" in found:
        return Kind.JOBS
    return Kind.CANDIDATES
