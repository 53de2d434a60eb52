"""The candidate search ignores accents and case on SQLite and PostgreSQL alike (issue 17, item 8):
"muller" finds Müller, "ana muller" finds Ana Müller; every writer keeps the folded column."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homestretch.lib.folding import fold, folded_words
from homestretch.pipeline.models import Candidate

pytestmark = pytest.mark.django_db


def test_fold_drops_accents_case_and_extra_spaces():
    assert fold("  Zoë   ØDEGÅRD ") == "zoe odegard"
    assert fold("Łukasz Straße, Æsa Çelik") == "lukasz strasse, aesa celik"
    assert folded_words("Ana  MÜLLER") == ["ana", "muller"]


@pytest.fixture
def people(db):
    return {
        "ana": Candidate.objects.create(name="Ana Müller", email="ana.mueller@example.org", skills="Python"),
        "jose": Candidate.objects.create(name="José Núñez", email="jn@example.org", skills="Kotlin, Spring"),
        "anna": Candidate.objects.create(name="Anna Schmidt", email="anna@example.org", skills="Go"),
        "zoe": Candidate.objects.create(name="zoe mullerova", email="", skills="Rust, Python"),
    }


@pytest.mark.parametrize(("query", "found"), [
    ("muller", ["Ana Müller", "zoe mullerova"]),
    ("MÜLLER", ["Ana Müller", "zoe mullerova"]),
    ("ana muller", ["Ana Müller"]),
    ("muller ana", ["Ana Müller"]),  # every word, in any order
    ("Jose nunez", ["José Núñez"]),
    ("ZOË", ["zoe mullerova"]),
    ("spring", ["José Núñez"]),
    ("ana mueller@example", ["Ana Müller"]),
    ("anna go", ["Anna Schmidt"]),
    ("ana go", []),
])
def test_the_search_page_ignores_accents_and_case(client, alice, people, query, found):
    client.force_login(alice)
    response = client.get(reverse("candidates"), {"q": query})
    assert [c.name for c in response.context["candidates"]] == found


def test_every_writer_keeps_the_folded_column(people):
    ana = people["ana"]
    ana.name = "Ana Öztürk"
    ana.save(update_fields=["name"])
    assert Candidate.objects.get(pk=ana.pk).search_text.startswith("ana ozturk ")
    Candidate.objects.bulk_create([Candidate(name="Émile Zola", email="ez@example.org")])
    assert list(Candidate.objects.search("emile").values_list("name", flat=True)) == ["Émile Zola"]
    jose = people["jose"]
    jose.skills = "Élixir"
    Candidate.objects.bulk_update([jose], ["skills"])
    assert list(Candidate.objects.search("elixir").values_list("name", flat=True)) == ["José Núñez"]
    assert not Candidate.objects.search("kotlin").exists()


def test_the_demo_writes_the_folded_column(transactional_db, now):
    from homestretch.demo.generator import generate
    from homestretch.pipeline.search import candidate_search_text

    generate("small", 1, now=now)
    stored = list(Candidate.objects.values_list("name", "email", "skills", "search_text"))
    assert stored and all(text == candidate_search_text(name, email, skills) for name, email, skills, text in stored)
