"""The TF-IDF index of closed jobs and the ranking of the jobs most like one job: pure, no database.

A job is four fields, each turned into its own TF-IDF vector and the four put side by side:

- the title as words and pairs of words ("senior backend engineer" -> "backend", "backend engineer", …):
  pairs make "data engineer" closer to "data engineer" than to "data scientist" or "backend engineer";
- the skills as whole tokens split on commas ("Google Cloud" is one skill, not "google" and "cloud");
- the seniority as one token;
- the location as whole tokens split on commas ("Berlin, Germany" -> "berlin", "germany").

Each field's vector is L2-normalised and scaled by the square root of its weight, so
the dot product of two jobs is the weighted sum of the four per-field cosine similarities, a number
from 0 to 1 that reads as "this share of what describes the role is alike". Title and skills carry the
weight (0.4 each): they say what the role is. Seniority and location (0.1 each) only separate similar
roles: a Senior Data Engineer in Munich is the best lesson for one in Berlin, a Junior QA in Berlin is
not. A field left empty contributes 0, never a match. IDF makes a rare skill ("Kafka") count for more
than a common one ("Git").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

FIELD_WEIGHTS: dict[str, float] = {"title": 0.4, "skills": 0.4, "seniority": 0.1, "location": 0.1}
# A closed job is shown only from this similarity: a close match, the same kind of role. Seniority and
# location together weigh 0.2, so a job sharing only those is far below it; generic title words
# ("Senior … Engineer") and a shared language are not enough either: a Senior Security Engineer in Paris
# and a Senior Backend Engineer in Pune, sharing "senior", "engineer" and Python, score 0.23 to 0.28.
# Measured on 1,500 closed jobs drawn from the demo's catalogue, 200 searched against all (tests/test_search.py):
# at 0.40, 0.02 % of the jobs of another role family pass (0.8 % at 0.25), while 28 % of the same
# family's do (same and other family, by the demo's role families). Below it: "no close match".
MIN_SIMILARITY = 0.40

# Words of a title: letters and digits, keeping "c++", "c#" and ".net" whole.
_TITLE_WORD_PATTERN = r"(?u)(?:\.net|[\w][\w+#]*)"
# Words that say nothing about the role.
_SPACES = re.compile(r"\s+")
_TITLE_STOP_WORDS = ["a", "an", "and", "for", "in", "of", "the", "to", "with", "m", "f", "d", "w"]


@dataclass(frozen=True, slots=True)
class JobText:
    """What the index reads of a job."""

    job_id: int
    title: str
    skills: str = ""
    seniority: str = ""
    location: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    job_id: int
    score: float


def _comma_tokens(value: str) -> list[str]:
    """Whole items of a comma-separated list, lower-cased, inner spaces collapsed."""
    return [token for part in _SPACES.sub(" ", value.lower()).split(",") if (token := part.strip())]


def _single_token(value: str) -> list[str]:
    token = " ".join(value.split()).lower()
    return [token] if token else []


def _counters() -> dict[str, CountVectorizer]:
    return {
        "title": CountVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=_TITLE_WORD_PATTERN,
                                 stop_words=_TITLE_STOP_WORDS, lowercase=True),
        "skills": CountVectorizer(analyzer=_comma_tokens),
        "seniority": CountVectorizer(analyzer=_single_token),
        "location": CountVectorizer(analyzer=_comma_tokens),
    }


def _field(job: JobText, name: str) -> str:
    return getattr(job, name) or ""


class SimilarityIndex:
    """The closed jobs as one sparse matrix, one row per job; ranks them against any job."""

    def __init__(self, jobs: Sequence[JobText]) -> None:
        self.job_ids = np.array([job.job_id for job in jobs], dtype=np.int64)
        self._row_of = {job_id: row for row, job_id in enumerate(self.job_ids.tolist())}
        # Per field: the token counter and the IDF weighting (together what TfidfVectorizer does; apart, so
        # that each distinct text is tokenised once: titles, seniorities and cities repeat a lot).
        self._fields: dict[str, tuple[CountVectorizer, TfidfTransformer]] = {}
        # Per field: the IDF a word no closed job has would get (smoothed: document frequency 0).
        self._unseen_idf: dict[str, float] = {}
        blocks = []
        for name, counter in _counters().items():
            distinct: dict[str, int] = {}
            rows = [distinct.setdefault(_field(job, name), len(distinct)) for job in jobs]
            try:
                counts = counter.fit_transform(list(distinct))[rows]
            except ValueError:
                # No closed job has a word in this field (or there are no closed jobs): it cannot match.
                continue
            weighting = TfidfTransformer()  # smoothed IDF, L2-normalised rows, as TfidfVectorizer's defaults
            self._fields[name] = (counter, weighting)
            self._unseen_idf[name] = float(np.log(1 + len(distinct)) + 1)
            blocks.append(weighting.fit_transform(counts).astype(np.float32) * np.float32(np.sqrt(FIELD_WEIGHTS[name])))
        self.matrix = (sparse.hstack(blocks, format="csr", dtype=np.float32) if blocks
                       else sparse.csr_matrix((len(jobs), 0), dtype=np.float32))

    def __len__(self) -> int:
        return len(self.job_ids)

    def vector(self, job: JobText) -> sparse.csr_matrix:
        """The job's row in the index's space.

        Words the index never saw match nothing, but they still weigh in the job's length: each field
        is normalised over all of its words, the unseen ones at the IDF of a word no closed job has. A
        Senior Security Engineer searched among closed jobs that never had "security" is mostly what
        none of them is, not a "Senior … Engineer" who matches every one of them.
        """
        blocks = []
        for name, (counter, weighting) in self._fields.items():
            text = _field(job, name)
            counts = counter.transform([text])
            raw = counts.multiply(weighting.idf_).tocsr()
            unseen = [token for token in counter.build_analyzer()(text) if token not in counter.vocabulary_]
            length = np.sqrt(raw.multiply(raw).sum() + sum(count ** 2 for count in Counter(unseen).values())
                             * self._unseen_idf[name] ** 2)
            scaled = raw / length if length > 0 else raw
            blocks.append(sparse.csr_matrix(scaled, dtype=np.float32) * np.float32(np.sqrt(FIELD_WEIGHTS[name])))
        if not blocks:
            return sparse.csr_matrix((1, 0), dtype=np.float32)
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    def scores(self, job: JobText) -> np.ndarray:
        """The similarity of every indexed job to `job`, in the index's row order."""
        if self.matrix.shape[1] == 0 or len(self) == 0:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray((self.matrix @ self.vector(job).T).todense()).ravel()

    def most_similar(self, job: JobText, *, limit: int, min_similarity: float = MIN_SIMILARITY) -> list[Match]:
        """The indexed jobs most like `job`, best first, without `job` itself, none below `min_similarity`.

        Ties (the same score) go to the more recent job, i.e. the higher id, so that the order is stable.
        """
        if limit < 1 or len(self) == 0:
            return []
        scores = self.scores(job)
        own_row = self._row_of.get(job.job_id)
        if own_row is not None:
            scores[own_row] = -1.0
        candidates = np.flatnonzero(scores >= min_similarity)
        if candidates.size == 0:
            return []
        # Sort by score, then by id, both descending; lexsort takes its last key as the primary one.
        order = candidates[np.lexsort((-self.job_ids[candidates], -scores[candidates]))][:limit]
        return [Match(job_id=int(self.job_ids[row]), score=round(float(scores[row]), 3)) for row in order]

