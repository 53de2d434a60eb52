"""Similar past searches for one job among 10,000 closed jobs (the issue's target: under 200 ms).

The demo data sets hold fewer closed jobs (the large one about 2,700), so the benchmark adds closed
jobs drawn from the data set's own titles, skills, seniorities, locations and clients until there are
10,000 (500 on the small data set, to keep the test quick), inside a transaction that is rolled back at
the end: the cached benchmark database is left as it was.

Figures, each beside its reference:
- warm: `similar_jobs` with the index cached in the process (the usual case: one build per change of
  the closed jobs), beside the very statements it sends replayed with a plain cursor;
- cold: the same after the cache is dropped, so the closed jobs are read and the TF-IDF index fitted,
  beside its statements replayed;
- ranking alone: `most_similar` over the cached index, beside a bare scikit-learn `cosine_similarity`
  of the prepared matrix with the job's vector and an argsort (what any TF-IDF search must do).
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

import numpy as np
from django.db import transaction
from sklearn.metrics.pairwise import cosine_similarity

from benchmarks import BenchContext, Figure, capture_statements, median_seconds, register, replay
from homestretch.pipeline.choices import JobStatus
from homestretch.pipeline.models import Client, Job, split_skills
from homestretch.similar.services import CLOSED_JOB_STATUSES, closed_jobs_index, forget_index, job_text, similar_jobs

CLOSED_JOBS = {"large": 10_000, "small": 500}


def _fill_closed_jobs(target: int, seed: int) -> int:
    """Add closed jobs like the data set's own until there are `target`; the number added."""
    have = Job.objects.filter(status__in=CLOSED_JOB_STATUSES).count()
    missing = max(0, target - have)
    rng = Random(seed)
    jobs = list(Job.objects.values_list("title", "skills", "seniority", "location", "currency"))
    skills = sorted({skill for _, text, *_ in jobs for skill in split_skills(text)})
    client_ids = list(Client.objects.values_list("id", flat=True))
    made = []
    for i in range(missing):
        title, _, seniority, location, currency = rng.choice(jobs)
        made.append(Job(
            client_id=rng.choice(client_ids), title=title, skills=", ".join(rng.sample(skills, min(len(skills), 4))),
            seniority=seniority, location=rng.choice(jobs)[3], currency=currency,
            status=rng.choice(CLOSED_JOB_STATUSES), opened_on=date(2024, 1, 1) + timedelta(days=i % 600),
            closed_on=date(2024, 3, 1) + timedelta(days=i % 600),
        ))
    Job.objects.bulk_create(made, batch_size=2000)
    return missing


def _the_job() -> Job:
    """The open job with the most applications: the page a recruiter is most likely on."""
    from django.db.models import Count

    job = (Job.objects.filter(status=JobStatus.OPEN).annotate(n=Count("applications")).order_by("-n", "id")
           .first())
    if job is None:
        raise RuntimeError("the data set has no open job")
    return job


@register("similar_search")
def similar_search(ctx: BenchContext) -> list[Figure]:
    target = CLOSED_JOBS.get(ctx.scale, CLOSED_JOBS["small"])
    figures: list[Figure] = []
    with transaction.atomic():
        added = _fill_closed_jobs(target, ctx.seed)
        closed = Job.objects.filter(status__in=CLOSED_JOB_STATUSES).count()
        job = _the_job()
        found = similar_jobs(job.pk)

        def cold() -> None:
            forget_index()
            similar_jobs(job.pk)

        cold_statements = capture_statements(cold)
        cold_time = median_seconds(cold, ctx.repeat)
        cold_bare = median_seconds(lambda: replay(cold_statements), ctx.repeat)
        similar_jobs(job.pk)  # warm the cache again
        warm_statements = capture_statements(lambda: similar_jobs(job.pk))
        warm_time = median_seconds(lambda: similar_jobs(job.pk), ctx.repeat)
        warm_bare = median_seconds(lambda: replay(warm_statements), ctx.repeat)

        index = closed_jobs_index()
        text = job_text(job)
        vector = index.vector(text)

        def bare_cosine() -> list[int]:
            scores = cosine_similarity(index.matrix, vector).ravel()
            return np.argsort(-scores)[:5].tolist()

        ranking = median_seconds(lambda: index.most_similar(text, limit=5), ctx.repeat)
        bare_ranking = median_seconds(bare_cosine, ctx.repeat)
        transaction.set_rollback(True)  # leave the cached data set as it was
    forget_index()

    notes = f"{closed:,} closed jobs ({added:,} added for the benchmark, rolled back); {len(found)} similar found"
    figures.append(Figure(
        benchmark="similar_search", name=f"similar jobs for one job, warm index ({closed:,} closed jobs)",
        value=warm_time, unit="s", reference_name=f"bare SQL, same {len(warm_statements)} statements",
        reference_value=warm_bare, runs=ctx.repeat, notes=notes,
    ))
    figures.append(Figure(
        benchmark="similar_search", name=f"similar jobs for one job, cold: index built ({closed:,} closed jobs)",
        value=cold_time, unit="s", reference_name=f"bare SQL, same {len(cold_statements)} statements",
        reference_value=cold_bare, runs=ctx.repeat, notes=notes,
    ))
    figures.append(Figure(
        benchmark="similar_search", name=f"ranking alone over the cached index ({closed:,} rows)",
        value=ranking, unit="s", reference_name="bare cosine_similarity + argsort", reference_value=bare_ranking,
        runs=ctx.repeat, notes=notes,
    ))
    return figures
