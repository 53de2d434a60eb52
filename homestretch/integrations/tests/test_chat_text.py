"""The chat digest's text: every value in it is escaped as Slack's format requires (&, <, >), so a
name cannot ping a channel (`<!channel>`), open a link or break the markup."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from homestretch.integrations.digest import Digest, DigestEntry
from homestretch.integrations.webhook import slack_text

HOSTILE = "Zoë <!channel> & <https://evil.example|click> Co"


def entry(**changes: Any) -> DigestEntry:
    default = DigestEntry(
        application_id=7, candidate="Lena Late", job="Backend Engineer", client="Acme", why="Last contact 4 days ago",
        overdue_days=2, also=(), band="high", score=80, top_action="Call today", url="https://hs.example.com/a/7/",
        shared_why="Last contact 4 days ago", shared_action="Call today",
    )
    return replace(default, **changes)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_recruiter_name_with_a_channel_ping_and_an_ampersand_is_escaped():
    digest = Digest(recruiter_id=1, recruiter_email="z@example.com", recruiter_name=HOSTILE, day=date(2026, 11, 20),
                    entries=(entry(),))
    text = slack_text(digest)
    assert "<!channel>" not in text and "<https://evil" not in text
    assert f"*Homestretch — {escaped(HOSTILE)}'s agenda" in text
    assert "Zoë &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; Co" in text


def test_every_value_of_an_entry_is_escaped():
    hostile = entry(candidate=HOSTILE, job=HOSTILE, client=HOSTILE, shared_why=HOSTILE, shared_action=HOSTILE,
                    band="<!here>", url="https://hs.example.com/a/7/?x=1&y=<2>")
    digest = Digest(recruiter_id=1, recruiter_email="z@example.com", recruiter_name="Alice", day=date(2026, 11, 20),
                    entries=(hostile,))
    text = slack_text(digest)
    # The only markup left is ours: the bold heading and the one link per entry.
    assert text.count("<") == 1 and text.count(">") == 1
    assert "<https://hs.example.com/a/7/?x=1&amp;y=&lt;2&gt;|" in text
    assert "risk &lt;!here&gt;" in text
    assert text.count(escaped(HOSTILE)) == 5
