"""Who may read and change what, through the one access helper per object type.

Alice owns the application; Bob is her teammate (North) and may change it; Charlie is in another
team (South) and may read it but not change it; Victor is a viewer and reads only; Ada is an admin
and does everything. Signed-out and deactivated people see nothing. The shared records (clients,
hiring managers, jobs, candidates) are the organisation's: every recruiter may edit them.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from homestretch.accounts.models import User
from homestretch.offers import access as offers_access
from homestretch.offers.access import get_competing_offer_for_user, get_offer_for_user, get_priorities_for_user
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline import access as pipeline_access
from homestretch.pipeline.access import (
    get_application_for_user,
    get_candidate_facts_for_user,
    get_candidate_for_user,
    get_client_for_user,
    get_hiring_manager_for_user,
    get_job_for_user,
    get_touchpoint_for_user,
    visible_applications,
)
from homestretch.pipeline.choices import Channel, Direction
from homestretch.pipeline.models import Candidate, Job, Touchpoint
from homestretch.pipeline.services import open_application

pytestmark = pytest.mark.django_db

READERS = ["alice", "bob", "charlie", "victor", "ada"]

# Who may change records that belong to the team owning the application (North).
TEAM_CHANGERS = {"alice", "bob", "ada"}
# Who may change the organisation's shared records.
SHARED_CHANGERS = {"alice", "bob", "charlie", "ada"}


@pytest.fixture
def touchpoint(application, alice, now) -> Touchpoint:
    return Touchpoint.objects.create(candidate=application.candidate, application=application, recruiter=alice,
                                     at=now, channel=Channel.CALL, direction=Direction.OUTBOUND)


@pytest.fixture
def candidate_touchpoint(application, alice, now) -> Touchpoint:
    """A contact with Alice's candidate that is about no application in particular."""
    return Touchpoint.objects.create(candidate=application.candidate, recruiter=alice, at=now,
                                     channel=Channel.MESSAGE, direction=Direction.INBOUND)


@pytest.fixture
def offer(application, alice, now) -> Offer:
    return Offer.objects.create(application=application, base=Decimal("90000"), currency="EUR", created_at=now)


@pytest.fixture
def competing_offer(application, now) -> CompetingOffer:
    return CompetingOffer.objects.create(candidate=application.candidate, company="Globex", learned_at=now)


@pytest.fixture
def priorities(application, now) -> Priorities:
    return Priorities.objects.create(candidate=application.candidate, as_of=now)


@pytest.fixture
def inactive(teams) -> User:
    """Alice's former teammate, whose account was deactivated."""
    return User.objects.create_user(email="dora@example.com", password="correct horse battery",
                                    team=teams["north"], is_active=False)


# helper -> (fixture giving the object, who may change it, what the refusal calls it)
HELPERS = {
    "client": (get_client_for_user, lambda f: f("job").client, SHARED_CHANGERS, "client"),
    "hiring_manager": (
        get_hiring_manager_for_user, lambda f: f("job").hiring_manager, SHARED_CHANGERS, "hiring manager",
    ),
    "job": (get_job_for_user, lambda f: f("job"), SHARED_CHANGERS, "job"),
    "candidate": (get_candidate_for_user, lambda f: f("application").candidate, SHARED_CHANGERS,
                  "candidate"),
    "candidate_facts": (
        get_candidate_facts_for_user, lambda f: f("application").candidate, TEAM_CHANGERS,
        "candidate's offers and priorities",
    ),
    "application": (get_application_for_user, lambda f: f("application"), TEAM_CHANGERS, "application"),
    "touchpoint": (get_touchpoint_for_user, lambda f: f("touchpoint"), TEAM_CHANGERS, "touchpoint"),
    "candidate_touchpoint": (
        get_touchpoint_for_user, lambda f: f("candidate_touchpoint"), TEAM_CHANGERS, "touchpoint",
    ),
    "offer": (get_offer_for_user, lambda f: f("offer"), TEAM_CHANGERS, "offer"),
    "competing_offer": (
        get_competing_offer_for_user, lambda f: f("competing_offer"), TEAM_CHANGERS, "competing offer",
    ),
    "priorities": (
        get_priorities_for_user, lambda f: f("priorities"), TEAM_CHANGERS, "candidate's priorities",
    ),
}
NAMES_IN_404 = {
    "candidate_facts": "candidate", "candidate_touchpoint": "touchpoint", "hiring_manager": "hiring manager",
    "competing_offer": "competing offer",
}


def _case(request, helper_name: str):
    helper, get_object, changers, what = HELPERS[helper_name]
    return helper, get_object(request.getfixturevalue), changers, what


@pytest.mark.parametrize("user_name", READERS)
@pytest.mark.parametrize("helper_name", HELPERS)
def test_every_signed_in_user_reads_everything(request, helper_name, user_name):
    helper, obj, _changers, _what = _case(request, helper_name)
    assert helper(request.getfixturevalue(user_name), obj.pk) == obj


@pytest.mark.parametrize("user_name", READERS)
@pytest.mark.parametrize("helper_name", HELPERS)
def test_who_may_change_what(request, helper_name, user_name):
    helper, obj, changers, what = _case(request, helper_name)
    user = request.getfixturevalue(user_name)
    if user_name in changers:
        assert helper(user, obj.pk, for_change=True) == obj
    else:
        with pytest.raises(PermissionDenied, match=re.escape(f"You may read this {what} but not change it.")):
            helper(user, obj.pk, for_change=True)


@pytest.mark.parametrize("for_change", [False, True])
@pytest.mark.parametrize("user_name", ["inactive", "anonymous"])
@pytest.mark.parametrize("helper_name", HELPERS)
def test_signed_out_and_deactivated_people_see_nothing(request, helper_name, user_name, for_change):
    helper, obj, _changers, _what = _case(request, helper_name)
    user = AnonymousUser() if user_name == "anonymous" else request.getfixturevalue(user_name)
    with pytest.raises(PermissionDenied, match="Sign in to see this."):
        helper(user, obj.pk, for_change=for_change)


@pytest.mark.parametrize("pk", [987654, "abc", "1; DROP TABLE", None, 2**70])
@pytest.mark.parametrize("helper_name", HELPERS)
def test_a_missing_or_malformed_id_is_not_found(request, helper_name, pk):
    helper, _obj, _changers, _what = _case(request, helper_name)
    name = NAMES_IN_404.get(helper_name, helper_name)
    with pytest.raises(Http404, match=f"No {name} with id "):
        helper(request.getfixturevalue("ada"), pk, for_change=True)


@pytest.mark.parametrize("helper_name", HELPERS)
def test_a_missing_id_is_not_found_even_for_someone_who_could_not_change_it(request, helper_name):
    helper, _obj, _changers, _what = _case(request, helper_name)
    with pytest.raises(Http404):
        helper(request.getfixturevalue("victor"), 987654, for_change=True)


# --- The candidate's facts follow the teams that have the candidate -------------------------


def test_a_newly_sourced_candidate_s_facts_may_be_changed_by_any_recruiter(db, alice, charlie, victor):
    newcomer = Candidate.objects.create(name="Nina Novak")
    priorities = Priorities.objects.create(candidate=newcomer)
    for recruiter in (alice, charlie):
        assert get_candidate_facts_for_user(recruiter, newcomer.pk, for_change=True) == newcomer
        assert get_priorities_for_user(recruiter, priorities.pk, for_change=True) == priorities
    with pytest.raises(PermissionDenied):
        get_candidate_facts_for_user(victor, newcomer.pk, for_change=True)


def test_a_candidate_in_two_teams_pipelines_may_be_changed_by_both(application, charlie, job, now):
    other_job = Job.objects.create(client=job.client, title="Data Engineer", currency="EUR")
    open_application(candidate=application.candidate, job=other_job, recruiter=charlie, by=charlie, at=now)
    competing = CompetingOffer.objects.create(candidate=application.candidate, company="Initech", learned_at=now)
    for recruiter in (application.recruiter, charlie):
        assert get_competing_offer_for_user(recruiter, competing.pk, for_change=True) == competing
    # ... but each team still changes only its own application.
    with pytest.raises(PermissionDenied):
        get_application_for_user(charlie, application.pk, for_change=True)


def test_the_team_follows_the_recruiter_who_owns_the_application(application, alice, bob, charlie, teams):
    User.objects.filter(pk=alice.pk).update(team=teams["south"])
    assert get_application_for_user(charlie, application.pk, for_change=True) == application
    with pytest.raises(PermissionDenied):
        get_application_for_user(bob, application.pk, for_change=True)


# --- Lists ----------------------------------------------------------------------------------


@pytest.mark.parametrize("user_name", READERS)
def test_every_signed_in_user_lists_every_application(request, application, user_name):
    assert list(visible_applications(request.getfixturevalue(user_name))) == [application]


def test_a_deactivated_user_lists_nothing(inactive, application):
    with pytest.raises(PermissionDenied):
        visible_applications(inactive)


def test_the_helpers_load_the_application_in_one_query(application, alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = get_application_for_user(alice, application.pk, for_change=True)
        assert found.recruiter.team.name == "North"
        assert found.job.client.name == "Acme Cloud"


def test_the_matrix_covers_every_helper():
    helpers = {name for module in (pipeline_access, offers_access) for name in dir(module)
               if name.startswith("get_") and name.endswith("_for_user")}
    assert helpers == {helper.__name__ for helper, *_ in HELPERS.values()}
