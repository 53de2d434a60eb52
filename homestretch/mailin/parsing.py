"""Reading one e-mail: its addresses, date, Message-ID and the new text it adds, within limits.

Pure standard library, no Django, no network: HTML is turned into text by a parser that keeps the
words and drops everything else (scripts, styles, images, links' targets), so that nothing remote
is ever fetched. Attachments are counted and skipped, never decoded: a zip bomb stays a few bytes
of base64 we do not read. The limits are checked before anything is parsed.

`parse_message(raw)` returns a `ParsedMessage` or raises `MessageRefused` with a reason code
(`REFUSAL_REASONS`) safe to log: it never carries an address, a subject or a word of the message.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

# Limits: a message larger than this is refused before it is parsed (a real mail server's usual
# ceiling is 25 MB with attachments; ours reads text, and attachments are not kept).
MAX_MESSAGE_BYTES = 10 * 1024 * 1024
# A personal message has a handful of recipients; a list of thousands is a mailing, not a contact.
MAX_RECIPIENTS = 100
# Parts of a MIME tree: a few for a real message; thousands are an attack on the parser.
MAX_PARTS = 200
# Text read from one message (decoded, before stripping); the rest is cut.
MAX_TEXT_CHARS = 200_000
# What a touch keeps as its notes.
MAX_NOTES_CHARS = 10_000
MAX_SUBJECT_CHARS = 300
MAX_MESSAGE_ID_CHARS = 500

TOO_LARGE = "too_large"
TOO_MANY_RECIPIENTS = "too_many_recipients"
TOO_MANY_PARTS = "too_many_parts"
UNREADABLE = "unreadable"
NO_SENDER = "no_sender"
REFUSAL_REASONS = {
    TOO_LARGE: f"the message is over {MAX_MESSAGE_BYTES // (1024 * 1024)} MB",
    TOO_MANY_RECIPIENTS: f"the message has more than {MAX_RECIPIENTS} recipients",
    TOO_MANY_PARTS: f"the message has more than {MAX_PARTS} MIME parts",
    UNREADABLE: "the message could not be read as an e-mail",
    NO_SENDER: "the message has no sender address",
}


class MessageRefused(Exception):
    """A message not taken in; `reason` is a code of REFUSAL_REASONS, `words` says it for a person."""

    def __init__(self, reason: str, *, size: int = 0):
        self.reason = reason
        self.size = size
        self.words = REFUSAL_REASONS[reason]
        super().__init__(self.words)


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # as sent, without <>; "" when the message has none
    from_address: str  # lower case
    recipients: tuple[str, ...]  # To and Cc, lower case, in order, without repeats
    subject: str
    sent_at: datetime | None  # the Date header, aware; None when missing or unreadable
    new_text: str  # what this message adds: quoted replies and signature stripped
    size: int
    attachments: int
    authentication_results: tuple[str, ...] = ()  # the Authentication-Results headers, topmost first
    forwarded_by: str = ""  # the address that forwarded it, when the message was forwarded in
    fingerprint: str = field(default="")

    @property
    def addresses(self) -> tuple[str, ...]:
        return (self.from_address, *self.recipients)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ADDRESS = re.compile(r"^[^@\s<>\"',;:()\[\]\\]{1,64}@[A-Za-z0-9.\-]{1,253}$")


def clean_line(value: str, limit: int) -> str:
    """A header value on one line: control characters (CR, LF, NUL: header injection) become spaces."""
    return " ".join(_CONTROL.sub(" ", value).split())[:limit]


def normal_address(value: str) -> str:
    """An address in lower case, or "" when it is not one (a display name, a group, garbage)."""
    address = value.strip().strip("<>").lower()
    return address if _ADDRESS.match(address) else ""


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a malformed header that the default policy cannot represent
        return ""
    return "" if value is None else str(value)


def _raw_headers(message: Message, name: str) -> list[str]:
    try:
        return [str(value) for value in (message.get_all(name) or [])]
    except Exception:
        return []


def _addresses(message: Message, *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        values = _raw_headers(message, name)
        if sum(value.count("@") for value in values) > MAX_RECIPIENTS * 2:
            raise MessageRefused(TOO_MANY_RECIPIENTS)
        for _, address in getaddresses(values):
            normal = normal_address(address)
            if normal and normal not in found:
                found.append(normal)
    return found


def _date(message: Message) -> datetime | None:
    value = _header(message, "Date")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:  # "-0000": the time is UTC, the zone unknown (RFC 5322)
        moment = moment.replace(tzinfo=UTC)
    return moment


def _decoded(part: Message) -> str:
    """A text part's words, whatever its charset says (an unknown charset is read as Latin-1)."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw[:MAX_TEXT_CHARS] if isinstance(raw, str) else ""
    payload = payload[: MAX_TEXT_CHARS * 4]
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")[:MAX_TEXT_CHARS]
    except (LookupError, ValueError):
        try:
            return payload.decode("utf-8")[:MAX_TEXT_CHARS]
        except UnicodeDecodeError:
            return payload.decode("latin-1")[:MAX_TEXT_CHARS]


def _is_attachment(part: Message) -> bool:
    disposition = (_header(part, "Content-Disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment" or bool(part.get_filename(None) if hasattr(part, "get_filename") else None)


@dataclass
class _Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: int = 0
    forwarded: Message | None = None


def _walk(message: Message) -> _Body:
    body = _Body()
    parts = 0
    for part in message.walk():
        parts += 1
        if parts > MAX_PARTS:
            raise MessageRefused(TOO_MANY_PARTS)
        content_type = part.get_content_type()
        if part.is_multipart():
            continue
        if content_type == "message/rfc822" or (part is not message and isinstance(part.get_payload(), list)):
            continue
        if _is_attachment(part):
            body.attachments += 1  # counted, never decoded: attachments are not stored
            continue
        if content_type == "text/plain":
            body.plain.append(_decoded(part))
        elif content_type == "text/html":
            body.html.append(_decoded(part))
        else:
            body.attachments += 1
    # A message forwarded as an attachment (message/rfc822): the first one is the forwarded message.
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                body.forwarded = inner[0]
            break
    return body


class _TextOfHtml(HTMLParser):
    """The words of an HTML body, laid out in lines. Nothing is fetched and nothing is kept but text:
    scripts, styles, heads, images and quoted blocks (blockquote, Gmail's and Yahoo's quote divs) go."""

    SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "math", "object",
                      "iframe", "blockquote"})
    BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
                       "section", "article", "header", "footer", "hr", "pre"})
    QUOTE_MARKS = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "divrplyfwdmsg", "appendonsend",
                   "protonmail_quote", "zimbra", "outlookmessageheader")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []  # the stack of tags whose content is skipped
        self.stopped = False  # past Outlook's reply header: the rest is the quoted message

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stopped:
            return
        marks = " ".join((value or "") for name, value in attrs if name in ("class", "id")).lower()
        if tag in ("div", "span", "blockquote") and any(mark in marks for mark in self.QUOTE_MARKS):
            if "divrplyfwdmsg" in marks or "appendonsend" in marks:
                self.stopped = True
                return
            self.skipping.append(tag)
            return
        if self.skipping:
            if tag == self.skipping[0] or tag in self.SKIP:
                self.skipping.append(tag)
            return
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and not self.stopped and tag in ("br", "hr"):
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if not self.stopped and tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.stopped:
            self.out.append(data)

    def text(self) -> str:
        joined = "".join(self.out).replace("\xa0", " ")
        lines = [" ".join(line.split()) for line in joined.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """The readable text of an HTML body; never fetches or keeps anything but words."""
    parser = _TextOfHtml()
    try:
        parser.feed(html[:MAX_TEXT_CHARS])
        parser.close()
    except Exception:  # html.parser is lenient; a pathological input still yields no text rather than a crash
        return ""
    return parser.text()


# Where the quoted message starts, in the styles of the common clients.
_QUOTE_HEADERS = [
    re.compile(r"^\s*on\b.{0,300}\bwrote:\s*$", re.I),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"^\s*-{2,}\s*original message\s*-{2,}", re.I),  # Outlook
    re.compile(r"^\s*_{20,}\s*$"),  # Outlook on the web
    re.compile(r"^\s*le\b.{0,300}\ba écrit\s*:\s*$", re.I),  # French
    re.compile(r"^\s*am\b.{0,300}\bschrieb\b.{0,300}:\s*$", re.I),  # German
    re.compile(r"^\s*el\b.{0,300}\bescribió:\s*$", re.I),  # Spanish
    re.compile(r"^\s*op\b.{0,300}\bschreef\b.{0,300}:\s*$", re.I),  # Dutch
    re.compile(r"^\s*-{2,}\s*forwarded message\s*-{2,}", re.I),  # Gmail's forward
    re.compile(r"^\s*begin forwarded message:\s*$", re.I),  # Apple Mail's forward
]
_OUTLOOK_HEADER = re.compile(r"^\s*\*?(from|von|de|van)\s*:\*?\s*\S", re.I)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(sent|date|gesendet|envoyé|to|an|à|subject)\s*:", re.I)
_SIGNATURE_MARKS = [
    re.compile(r"^--\s?$"),  # RFC 3676's signature separator
    re.compile(r"^\s*sent from my \w+", re.I),
    re.compile(r"^\s*(get|sent from) outlook for \w+", re.I),
    re.compile(r"^\s*sent (from|with) (proton ?mail|my mobile|mail for windows)", re.I),
]
_SIGN_OFF = re.compile(
    r"^\s*(best|kind|warm|many thanks|thanks|thank you|cheers|regards|best regards|kind regards|all the best|"
    r"br|mit freundlichen grüßen|cordialement|sincerely|talk soon|speak soon)\b[\w ,.!]{0,25}$", re.I,
)
SIGN_OFF_TAIL_LINES = 7


def quote_start(lines: list[str]) -> int | None:
    """The index of the first line of the quoted part (a reply or forward header, `>` lines), if any."""
    for index, line in enumerate(lines):
        if any(pattern.match(line) for pattern in _QUOTE_HEADERS):
            return index
        # "On Tue, 3 Dec 2024 at 10:00, Alice <a@b>" wrapped before "wrote:"
        if index + 1 < len(lines) and re.match(r"^\s*on\b", line, re.I) and re.match(
                r"^.{0,120}\bwrote:\s*$", lines[index + 1], re.I) and len(line) < 300:
            return index
        if _OUTLOOK_HEADER.match(line) and any(_OUTLOOK_NEXT.match(nxt) for nxt in lines[index + 1:index + 4]):
            return index
        if line.startswith(">") and all(not rest.strip() or rest.startswith(">") for rest in lines[index:]):
            return index
    return None


def strip_reply(text: str) -> str:
    """The new text of a message: without the quoted message it replies to, quoted lines (`>`), and
    its signature (after `-- `, "Sent from my iPhone", or a closing such as "Best regards," followed
    by a few short lines)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = quote_start(lines)
    if start is not None:
        lines = lines[:start]
    lines = [line for line in lines if not line.lstrip().startswith(">")]
    for index, line in enumerate(lines):
        if any(pattern.match(line) for pattern in _SIGNATURE_MARKS):
            lines = lines[:index]
            break
    # A closing with a short block after it (name, title, phone): the signature.
    for index in range(len(lines) - 1, -1, -1):
        tail = [rest for rest in lines[index + 1:] if rest.strip()]
        if len(tail) > SIGN_OFF_TAIL_LINES:
            break
        if _SIGN_OFF.match(lines[index]) and all(len(rest) <= 80 for rest in tail):
            lines = lines[:index]
            break
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()


_FORWARD_HEADER = re.compile(r"^\s*\*?(from|date|sent|to|cc|subject)\s*:\*?\s*(.*)$", re.I)


def _inline_forward(text: str) -> tuple[dict[str, str], str] | None:
    """A message forwarded inline (Gmail's "---------- Forwarded message ---------", Apple's "Begin
    forwarded message:", Outlook's "From: … Sent: …" block right at the top): its headers and text."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if re.match(r"^\s*(-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:)", line, re.I):
            block_start = index + 1
            break
        if line.strip():
            if _OUTLOOK_HEADER.match(line) and index < 5:
                block_start = index
                break
            if index > 20:
                return None
    else:
        return None
    headers: dict[str, str] = {}
    index = block_start
    while index < len(lines) and (not lines[index].strip() and not headers):
        index += 1
    while index < len(lines):
        match = _FORWARD_HEADER.match(lines[index])
        if not match:
            break
        name = match.group(1).lower()
        headers["date" if name == "sent" else name] = match.group(2).strip()
        index += 1
    if "from" not in headers:
        return None
    return headers, "\n".join(lines[index:])


def _body_text(body: _Body) -> str:
    if any(text.strip() for text in body.plain):
        return "\n".join(body.plain)
    return "\n".join(html_to_text(html) for html in body.html)


def fingerprint_of(message_id: str, from_address: str, date: str, subject: str) -> str:
    """What makes two copies the same message: its Message-ID with the sender, date and subject, so that
    a Message-ID reused by another sender (or a forger) is another message, not a duplicate."""
    key = "\x00".join((message_id.strip().lower(), from_address, date.strip(), subject.strip()))
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def parse_message(raw: bytes) -> ParsedMessage:
    """Read one RFC 5322 message, or refuse it (MessageRefused) with a reason safe to log."""
    size = len(raw)
    if size > MAX_MESSAGE_BYTES:
        raise MessageRefused(TOO_LARGE, size=size)
    try:
        message = email.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.default)
    except Exception as error:
        raise MessageRefused(UNREADABLE, size=size) from error
    if not message.keys():
        raise MessageRefused(UNREADABLE, size=size)
    _, sender = parseaddr(_header(message, "From"))
    from_address = normal_address(sender)
    recipients = _addresses(message, "To", "Cc")
    if len(recipients) > MAX_RECIPIENTS:
        raise MessageRefused(TOO_MANY_RECIPIENTS, size=size)
    message_id = clean_line(_header(message, "Message-ID"), MAX_MESSAGE_ID_CHARS).strip("<> ")
    subject = clean_line(_header(message, "Subject"), MAX_SUBJECT_CHARS)
    sent_at = _date(message)
    try:
        body = _walk(message)
    except MessageRefused as refused:
        refused.size = size
        raise
    text = _body_text(body)
    forwarded_by = ""
    attachments = body.attachments
    if body.forwarded is not None:
        inner = body.forwarded
        _, inner_sender = parseaddr(_header(inner, "From"))
        if normal_address(inner_sender):
            forwarded_by = from_address
            from_address = normal_address(inner_sender)
            recipients = _addresses(inner, "To", "Cc")[:MAX_RECIPIENTS]
            sent_at = _date(inner) or sent_at
            subject = clean_line(_header(inner, "Subject"), MAX_SUBJECT_CHARS) or subject
            message_id = clean_line(_header(inner, "Message-ID"), MAX_MESSAGE_ID_CHARS).strip("<> ") or message_id
            inner_body = _walk(inner)
            attachments += inner_body.attachments
            text = _body_text(inner_body)
    else:
        forward = _inline_forward(text) if re.match(r"^\s*(fwd?|fw|wg|tr)\s*:", subject, re.I) else None
        if forward is not None:
            headers, inner_text = forward
            _, inner_sender = parseaddr(headers["from"])
            if normal_address(inner_sender):
                forwarded_by = from_address
                from_address = normal_address(inner_sender)
                recipients = [normal_address(a) for _, a in getaddresses([headers.get("to", ""),
                                                                          headers.get("cc", "")])]
                recipients = [a for a in dict.fromkeys(recipients) if a][:MAX_RECIPIENTS]
                inner_date = _parse_loose_date(headers["date"]) if headers.get("date") else None
                sent_at = inner_date or sent_at
                subject = clean_line(headers.get("subject", ""), MAX_SUBJECT_CHARS) or subject
                message_id = ""  # an inline forward carries none: the fingerprint stands in
                text = inner_text
    if not from_address:
        raise MessageRefused(NO_SENDER, size=size)
    new_text = strip_reply(text)[:MAX_NOTES_CHARS]
    date_text = sent_at.isoformat() if sent_at else ""
    return ParsedMessage(
        message_id=message_id, from_address=from_address, recipients=tuple(recipients), subject=subject,
        sent_at=sent_at, new_text=new_text, size=size, attachments=attachments,
        authentication_results=tuple(clean_line(v, 2000) for v in _raw_headers(message, "Authentication-Results")),
        forwarded_by=forwarded_by,
        fingerprint=fingerprint_of(message_id or hashlib.sha256(new_text.encode()).hexdigest(), from_address,
                                   date_text, subject),
    )


def _parse_loose_date(value: str) -> datetime | None:
    """A date as a mail client prints it in a forward ("Tue, 3 Dec 2024 10:00:00 +0100", or
    "Tuesday, December 3, 2024 10:00 AM")."""
    try:
        moment = parsedate_to_datetime(value)
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in ("%A, %B %d, %Y %I:%M %p", "%A, %B %d, %Y at %I:%M %p", "%a, %b %d, %Y at %I:%M %p",
                    "%d %B %Y at %H:%M", "%a, %d %b %Y at %H:%M"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def dmarc_passed(authentication_results: tuple[str, ...], authserv_id: str) -> bool:
    """Whether the topmost Authentication-Results header written by our own mail server (its authserv-id,
    RFC 8601) says the sender's domain passed DMARC, or DKIM when there is no DMARC verdict. Headers
    from other servers, and any further down (which a sender can forge), are not believed."""
    for value in authentication_results:
        server = value.split(";", 1)[0].strip().lower()
        if server.split()[0:1] != [authserv_id.lower()]:
            continue
        verdicts = value.lower()
        if re.search(r"\bdmarc=(\w+)", verdicts):
            return re.search(r"\bdmarc=pass\b", verdicts) is not None
        return re.search(r"\bdkim=pass\b", verdicts) is not None
    return False
