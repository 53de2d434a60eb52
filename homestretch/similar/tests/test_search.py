"""The TF-IDF ranking on plain data: no database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from homestretch.similar.search import FIELD_WEIGHTS, MIN_SIMILARITY, JobText, SimilarityIndex

PAST = [
    JobText(1, "Senior Backend Engineer", "Python, Django, PostgreSQL", "senior", "Munich"),
    JobText(2, "Frontend Developer", "React, TypeScript", "senior", "Berlin"),
    JobText(3, "Data Scientist", "Python, SQL, Pandas", "mid", "Berlin"),
    JobText(4, "Junior QA Tester", "Selenium, Cypress", "junior", "Hamburg"),
    JobText(5, "Backend Engineer", "Go, Kafka", "mid", "Berlin"),
]
NEW = JobText(99, "Senior Backend Engineer", "Python, Django, PostgreSQL", "senior", "Berlin")


def test_same_title_and_skills_in_another_city_ranks_first():
    matches = SimilarityIndex(PAST).most_similar(NEW, limit=5)
    assert matches[0].job_id == 1
    # Everything but the location alike: the weights of title, skills and seniority.
    assert matches[0].score == round(1 - FIELD_WEIGHTS["location"], 3)
    # A different role in the same city and at the same seniority comes after, if at all.
    assert all(match.score < matches[0].score for match in matches[1:])
    assert 2 not in [match.job_id for match in matches]  # Frontend: only seniority and city in common


def test_the_job_itself_is_never_among_its_similar_jobs():
    index = SimilarityIndex(PAST)
    assert 1 not in [match.job_id for match in index.most_similar(PAST[0], limit=5)]
    assert [match.job_id for match in index.most_similar(PAST[0], limit=1)] == [5]  # "Backend Engineer"


def test_a_job_with_nothing_in_common_gets_nothing():
    index = SimilarityIndex(PAST)
    assert index.most_similar(JobText(98, "Pastry Chef", "Baking, Chocolate", "lead", "Paris"), limit=5) == []
    # Seniority and location alone are not a similar search.
    assert index.most_similar(JobText(97, "Office Manager", "Excel", "senior", "Berlin"), limit=5) == []
    assert FIELD_WEIGHTS["seniority"] + FIELD_WEIGHTS["location"] < MIN_SIMILARITY


def test_skills_are_whole_tokens_and_empty_fields_never_match():
    index = SimilarityIndex([JobText(1, "Engineer", "Google Cloud", "", ""), JobText(2, "Engineer", "Cloud", "", "")])
    assert [m.job_id for m in index.most_similar(JobText(9, "Engineer", "Cloud", "", ""), limit=2)] == [2, 1]
    scores = index.scores(JobText(9, "Engineer", "Cloud", "", ""))
    assert scores[0] < scores[1]


def test_no_closed_jobs_or_no_words_gives_an_empty_list():
    assert SimilarityIndex([]).most_similar(NEW, limit=5) == []
    assert SimilarityIndex([JobText(1, "", "", "", "")]).most_similar(NEW, limit=5) == []


def test_ties_go_to_the_more_recent_job():
    twins = [JobText(3, "Data Engineer", "Spark", "mid", "Oslo"), JobText(7, "Data Engineer", "Spark", "mid", "Oslo")]
    assert [m.job_id for m in SimilarityIndex(twins).most_similar(twins[0], limit=5)] == [7]
    assert [m.job_id for m in SimilarityIndex(twins).most_similar(NEW, limit=5)] == []
    same = JobText(9, "Data Engineer", "Spark", "mid", "Oslo")
    assert [m.job_id for m in SimilarityIndex(twins).most_similar(same, limit=5)] == [7, 3]


words = st.sampled_from(["Senior", "Data", "Engineer", "Backend", "Python", "Go", "Lead", "QA", "C++", "C#"])
jobs = st.builds(
    JobText, st.integers(1, 10_000), st.lists(words, max_size=4).map(" ".join),
    st.lists(words, max_size=4).map(", ".join), st.sampled_from(["", "junior", "senior"]),
    st.sampled_from(["", "Berlin", "Oslo, Norway"]),
)


@given(st.lists(jobs, max_size=12, unique_by=lambda job: job.job_id), jobs)
def test_scores_are_between_0_and_1_best_first_and_above_the_minimum(past, job):
    matches = SimilarityIndex(past).most_similar(job, limit=5)
    assert len(matches) <= 5
    assert all(MIN_SIMILARITY - 1e-6 <= m.score <= 1 + 1e-6 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert job.job_id not in [m.job_id for m in matches]
