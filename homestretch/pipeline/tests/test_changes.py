"""pipeline.changes: what a write concerns is counted on exactly those applications, in one UPDATE, and
nothing but count_change ever writes the count."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homestretch.pipeline import changes, services
from homestretch.pipeline.models import Application, Candidate, Job, Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def searches(application, alice, charlie, job, now):
    """Priya's application (alice's), a second of hers for another job, and Omar's (charlie's) for it."""
    other_job = Job.objects.create(client=job.client, title="Data Engineer")
    return {
        "priya": application,
        "priya_data": services.open_application(candidate=application.candidate, job=other_job, recruiter=alice,
                                                by=alice, at=now),
        "omar": services.open_application(candidate=Candidate.objects.create(name="Omar"), job=other_job,
                                          recruiter=charlie, by=charlie, at=now),
    }


def generations(searches) -> dict[str, int]:
    by_id = dict(Application.objects.values_list("id", "generation"))
    return {name: by_id[application.pk] for name, application in searches.items()}


@pytest.mark.parametrize(("concerns", "counted"), [
    (lambda s: {"application_ids": [s["priya"].pk]}, {"priya"}),
    (lambda s: {"candidate_ids": [s["priya"].candidate_id]}, {"priya", "priya_data"}),
    (lambda s: {"job_ids": [s["omar"].job_id]}, {"priya_data", "omar"}),
    (lambda s: {"team_ids": [s["omar"].recruiter.team_id]}, {"omar"}),
    (lambda s: {"job_ids": Job.objects.filter(pk=s["omar"].job_id).values("id")}, {"priya_data", "omar"}),
    (lambda s: {"application_ids": [None], "candidate_ids": []}, set()),
], ids=["application", "candidate", "job", "team", "job by subquery", "nothing"])
def test_a_change_is_counted_on_exactly_the_applications_it_concerns(searches, concerns, counted):
    assert changes.count_change(**concerns(searches)) == len(counted)
    assert generations(searches) == {name: int(name in counted) for name in searches}


def test_a_touch_counts_for_every_search_of_its_candidate(searches, alice, now):
    services.log_touchpoint(Touchpoint(application=searches["priya"], recruiter=alice, at=now, channel="call",
                                       direction="outbound"))
    assert generations(searches) == {"priya": 1, "priya_data": 1, "omar": 0}


def test_a_save_never_writes_back_the_count(searches, alice, now):
    """A row loaded before a change was counted, then saved (a page, the API, the back office), keeps the
    count: otherwise a snapshot computed before the change would hold again."""
    loaded = Application.objects.get(pk=searches["priya"].pk)
    services.log_touchpoint(Touchpoint(application=searches["priya"], recruiter=alice,
                                       at=now - timedelta(hours=1), channel="call", direction="outbound"))
    loaded.lessons = "Call before the final interview"
    loaded.save()
    assert Application.objects.get(pk=loaded.pk).generation == 1
    loaded.save(update_fields=["lessons", "generation"])
    assert Application.objects.get(pk=loaded.pk).generation == 1
