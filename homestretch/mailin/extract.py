"""Reading a message (or a touch's notes) for the home stretch: other processes and offers, their pay,
deadline and stage, counteroffers, notice period and start date, and whether the competition was asked
about and answered.

Rules, not a model: regular expressions find the sentences and phrases, price-parser reads the numbers
of an amount, dateparser resolves a day ("by Friday") against the moment the message was written.
Everything found is a proposal for the recruiter, never a fact (homestretch.mailin.services).

The rules of a language are one `Language` value; English is the first. Another language is another
`Language` with its own phrases, chosen by `extract(..., language=...)`.

Pure: plain text and a moment in, plain dataclasses out; no Django, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import dateparser
from price_parser import Price

# Symbols and words for currencies, to ISO 4217.
CURRENCY_WORDS = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "USD", "usd": "USD", "us$": "USD", "dollars": "USD", "dollar": "USD",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP", "pound": "GBP", "quid": "GBP",
    "chf": "CHF", "fr.": "CHF", "francs": "CHF",
    "pln": "PLN", "zł": "PLN", "zloty": "PLN",
    "sek": "SEK", "nok": "NOK", "dkk": "DKK", "kr": "SEK",
    "cad": "CAD", "c$": "CAD", "aud": "AUD", "a$": "AUD", "czk": "CZK", "huf": "HUF", "ron": "RON",
    "jpy": "JPY", "¥": "JPY", "inr": "INR", "₹": "INR",
}
_CURRENCY_BEFORE = r"(?P<cur1>US\$|C\$|A\$|[€$£¥₹]|\b(?:EUR|USD|GBP|CHF|PLN|SEK|NOK|DKK|CAD|AUD|CZK|HUF|RON|JPY|INR)\b)"
_CURRENCY_AFTER = (r"(?P<cur2>[€$£]|\b(?:EUR|USD|GBP|CHF|PLN|SEK|NOK|DKK|CAD|AUD|CZK|HUF|RON|JPY|INR|euros?|dollars?"
                   r"|pounds?|quid|francs|zł|zloty|kr)\b)")
_NUMBER = r"(?P<num>\d{1,3}(?:[,.\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)"
_MULT = r"(?P<mult>\s?(?:k|K|m|M)\b|\s?(?:thousand|grand)\b)?"
MONEY = re.compile(
    rf"(?:{_CURRENCY_BEFORE}\s?{_NUMBER}{_MULT})|(?:{_NUMBER.replace('num', 'num2')}"
    rf"{_MULT.replace('mult', 'mult2')}\s?{_CURRENCY_AFTER}?)",
)
PERIODS = (
    ("hour", re.compile(r"^\W{0,3}\s*(?:an?|per|/|each)\s*(?:hour|hr|h)\b|^\s*hourly", re.I)),
    ("day", re.compile(r"^\W{0,3}\s*(?:an?|per|/|each)\s*(?:day|d)\b|^\s*(?:daily|a day)", re.I)),
    ("month", re.compile(r"^\W{0,3}\s*(?:an?|per|/|each)\s*(?:month|mo|mth)\b|^\s*monthly", re.I)),
    ("year", re.compile(r"^\W{0,3}\s*(?:an?|per|/|each)\s*(?:year|yr|annum|y)\b|^\s*(?:annual|yearly|p\.?\s?a\.?"
                        r"|gross|base)", re.I)),
)
WEEKDAYS = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
DAY_PHRASE = (
    rf"(?:(?:this|next|coming)\s+)?{WEEKDAYS}(?:\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?{MONTHS})?)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}(?:\s+\d{{4}})?"
    rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    r"|the\s+\d{1,2}(?:st|nd|rd|th)"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?"
    r"|tomorrow|today|tonight|(?:the )?end of (?:the |this |next )?(?:week|month)|eow|eom"
)


@dataclass(frozen=True)
class Language:
    """The phrases of one language."""

    code: str
    stop_names: frozenset[str]
    offer_cue: re.Pattern[str]
    process_cue: re.Pattern[str]
    counteroffer_cue: re.Pattern[str]
    final_cue: re.Pattern[str]
    offer_stage_cue: re.Pattern[str]
    not_competing: re.Pattern[str]
    company_patterns: tuple[re.Pattern[str], ...]
    deadline_cue: re.Pattern[str]
    notice: re.Pattern[str]
    start: re.Pattern[str]
    asked: re.Pattern[str]
    answer_none: re.Pattern[str]
    answer_declined: re.Pattern[str]
    numbers: dict[str, int]


_NAME = r"(?P<company>[A-Z][\w&'’\-]*(?:\.[A-Za-z]+)?(?:\s+(?:&\s+)?[A-Z][\w&\-]*(?:\.[A-Za-z]+)?){0,3})"
ENGLISH = Language(
    code="en",
    stop_names=frozenset(
        "i we you they he she it the a an my our your their his her this that these those there here also but and "
        "so if just then thanks thank hi hello dear best regards cheers kind ok okay yes no not one two "
        "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
        "august september october november december eur usd gbp chf pln sek nok dkk cad aud re fwd fw subject "
        "linkedin zoom teams google meet slack email e-mail phone call offer interview final hr ceo cto "
        "as of on in at with for from by to meanwhile however still both another other some any all "
        "let looking please sorry update quick good great happy glad fyi btw ps says said apparently news note "
        "two three offers offer decision deadline answer".split()),
    offer_cue=re.compile(
        r"\b(offers?|offered|offering|counter-?\s?offer\w*|package|proposal|contract|came back with)\b", re.I),
    process_cue=re.compile(
        r"\b(interview\w*|final (round|interview|stage)|process(es)?|on-?site|technical test|tech test|"
        r"(second|third|last|first) (round|stage)|talking to|talks with|applied|assessment|case study|"
        r"hiring manager|recruiting|pipeline|answer|accept|decide|decision|invited)\b", re.I),
    counteroffer_cue=re.compile(
        r"\bcounter-?\s?offer\w*|\b(current|present) (employer|company|boss|manager|team)\b.*\b(offer\w*|match\w*|"
        r"raise|promot\w*|retain|keep me|increase)\b|\b(my|our) (boss|manager|employer|company|cto|ceo)\b.*\b("
        r"offer\w*|match\w*|raise|promot\w*|keep me|retention)\b|\bretention (bonus|offer|package)\b", re.I),
    final_cue=re.compile(r"\b(final|last) (round|interview|stage|step)\b|\bfinals?\b", re.I),
    offer_stage_cue=re.compile(r"\b(offer(ed)?|counter-?\s?offer\w*|package|contract)\b", re.I),
    not_competing=re.compile(
        r"\b(we|you|they|i) (also )?offer (a|an|free|flexible|great|good|the|our|lunch|gym|remote|training)\b|"
        r"\boffers? (a|an|free) (gym|lunch|pension|parking|bike|training|yoga)|\bspecial offer\b|"
        r"\b(our|your|the client'?s?) offer\b|\bthank(s| you) for (the|your) offer\b", re.I),
    company_patterns=tuple(re.compile(p) for p in (
        rf"(?i:\b(?:offer|proposal|package|contract|counter-?\s?offer)s?\s+(?:from|by|at|with))\s+{_NAME}",
        rf"{_NAME}\s+(?i:(?:has|have|just|also|finally|already|now)\s+)*(?i:made|sent|gave|extended|offered|came"
        rf" back|want\w* to (?:hire|make)|is offering|are offering|will send|put together|wants?|needs?|expects?"
        rf"|invited|asked)",
        rf"(?i:\boffer\w*\b[^.]{{0,20}}?\bfrom)\s+{_NAME}",
        rf"{_NAME}\s+(?i:at|with|for|offering|offered)\s+(?:[€$£]|\d|EUR|USD|GBP|CHF)",
        rf"{_NAME}(?:'s|’s)\s+(?i:offer|proposal|package|final|process|deadline|counter)",
        rf"(?i:\b(?:interview\w*|final(?: round| interview| stage)?|process|round|stage|talks|talking|on-?site"
        rf"|test|assessment|case study|step|offer|loop|chat|conversations?)\s+(?:with|at|for|from|to))\s+"
        rf"(?:the\s+)?{_NAME}",
        rf"(?i:\b(?:with|at)\s+){_NAME}\b",
        rf"(?i:\b(?:applied|applying)\s+(?:to|at|for))\s+{_NAME}",
    )),
    deadline_cue=re.compile(
        rf"\b(?:by|until|till|before|no later than|deadline(?: is| of)?|expires?(?: on)?|valid until|"
        rf"answer (?:them )?by|respond by|decide by|reply by|sign by|due|answer|decision|response)\s*:?\s+"
        rf"(?P<day>{DAY_PHRASE})", re.I),
    notice=re.compile(
        r"\b(?P<n>\d{1,3}|one|two|three|four|five|six|eight|twelve)[\s-]*(?P<unit>weeks?|months?|days?)['’]?s?\s+"
        r"(?:of\s+)?notice\b|\bnotice(?: period)?\s+(?:is|of|will be|would be)\s+(?:about\s+)?"
        r"(?P<n2>\d{1,3}|one|two|three|four|five|six|eight|twelve)\s*(?P<unit2>weeks?|months?|days?)", re.I),
    start=re.compile(
        rf"\b(?:start|join|begin|available)(?:ing)?\s+(?:on|from|in|by|as of)\s+(?P<day>{DAY_PHRASE})", re.I),
    asked=re.compile(
        r"\b(other|any|another) (process(es)?|offers?|interviews?|opportunit\w+|companies)\b|"
        r"\binterviewing (anywhere|elsewhere)|\banything else (going on|in the pipeline|on the go)|"
        r"\btalking to (other|any) (companies|firms)|\bwhere else are you", re.I),
    answer_none=re.compile(
        r"\bno other (process(es)?|offers?|interviews?|opportunit\w+|companies)\b|"
        r"\bnot (interviewing|talking to anyone|looking|applying) (anywhere )?(else|elsewhere)?\b|"
        r"\b(you are|you're|this is|yours is) (the|my) only\b|\bnothing else (going on|in the pipeline|on)\b|"
        r"\bonly process\b|\bnot in any other process", re.I),
    answer_declined=re.compile(
        r"\b(rather not|prefer not to|'d prefer not to|can't|cannot|won't|not able to|not comfortable)\s+"
        r"(say|share|disclose|go into|discuss|talk about|tell)|\bkeep (that|it|this) (to myself|private|"
        r"confidential)", re.I),
    numbers={"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "twelve": 12},
)
LANGUAGES = {ENGLISH.code: ENGLISH}


@dataclass(frozen=True)
class CompetingFinding:
    company: str
    kind: str  # "external" or "counteroffer" (offers.choices.CompetingKind)
    stage: str  # "interviewing", "final" or "offer" (offers.choices.CompetingStage)
    amount: Decimal | None = None
    currency: str = ""
    period: str = ""
    deadline: date | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Findings:
    competing: tuple[CompetingFinding, ...] = ()
    asked: bool = False  # the writer asked about other processes
    asked_evidence: str = ""  # the sentence that asked
    answer: str = ""  # "disclosed", "none", "declined_to_say" (pipeline.choices.CompetitionAnswer) or ""
    notice_days: int | None = None
    start_date: date | None = None
    notice_evidence: str = ""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str
    period: str
    end: int = field(default=0)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])|\n\s*\n|\n(?=\s*[-*•]\s)|\n(?=[A-Z])")


def sentences(text: str) -> list[str]:
    return [" ".join(part.split()) for part in _SENTENCE_END.split(text) if part.strip()]


def find_money(sentence: str) -> list[Money]:
    """Amounts with their currency and period: "95k EUR", "€95,000 a year", "USD 120k", "£550 a day"."""
    found: list[Money] = []
    for match in MONEY.finditer(sentence):
        groups = match.groupdict()
        number = groups["num"] or groups["num2"]
        mult = (groups["mult"] or groups["mult2"] or "").strip().lower()
        currency_text = (groups["cur1"] or groups["cur2"] or "").lower()
        currency = CURRENCY_WORDS.get(currency_text, currency_text.upper() if len(currency_text) == 3 else "")
        if not currency and not mult:
            continue  # a bare number: a year, a count of days, a percentage
        after = sentence[match.end():match.end() + 3]
        if after.startswith("%") or re.match(r"\s?(days?|weeks?|months?|years?|rounds?|people|%)\b", after):
            continue
        price = Price.fromstring(number)
        if price.amount is None:
            continue
        try:
            amount = Decimal(price.amount)
        except InvalidOperation:
            continue
        if mult in ("k", "thousand", "grand"):
            amount *= 1000
        elif mult == "m":
            amount *= 1_000_000
        if amount <= 0 or amount > Decimal("9999999999"):
            continue
        rest = sentence[match.end():match.end() + 30]
        period = next((name for name, pattern in PERIODS if pattern.search(rest)), "")
        if not period:
            period = "year" if amount >= 10_000 else ("day" if amount >= 150 else "hour")
        found.append(Money(amount=amount.quantize(Decimal("0.01")), currency=currency, period=period,
                           end=match.end()))
    return found


def resolve_day(phrase: str, said_at: datetime) -> date | None:
    """A day in words resolved against the moment it was written: "Friday" is the next Friday, "the
    10th" the next 10th, "end of the month" its last day."""
    text = re.sub(r"^the\s+(?=end\b)", "", phrase.strip().lower())
    base = said_at.replace(tzinfo=None)
    if text in ("end of the month", "end of this month", "end of month", "eom"):
        next_month = (base.replace(day=28) + timedelta(days=4)).replace(day=1)
        return (next_month - timedelta(days=1)).date()
    if re.fullmatch(r"(the )?end of (the |this )?week|eow", text):
        return (base + timedelta(days=(4 - base.weekday()) % 7)).date()
    if text in ("today", "tonight"):
        return base.date()
    match = re.fullmatch(r"the (\d{1,2})(st|nd|rd|th)", text)
    if match:
        day = int(match.group(1))
        candidate = base.date()
        for _ in range(62):
            if candidate.day == day and candidate >= base.date():
                return candidate
            candidate += timedelta(days=1)
        return None
    next_weekday = re.fullmatch(rf"next\s+({WEEKDAYS})", text)
    if next_weekday:
        # "next Friday" said on a Thursday is the Friday of next week; "next Monday" is the coming Monday.
        coming = resolve_day(next_weekday.group(1), said_at)
        if coming is not None and coming.isocalendar()[:2] == base.date().isocalendar()[:2]:
            coming += timedelta(days=7)
        return coming
    text = re.sub(r"^(this|coming)\s+", "", text)
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False,
    })
    if parsed is None:
        return None
    day_found = parsed.date()
    if day_found < base.date() - timedelta(days=1) and not re.search(r"\d{4}", text):
        day_found = day_found.replace(year=day_found.year + 1)
    return day_found


def _company(sentence: str, language: Language, excluded: set[str]) -> str:
    return next(iter(_companies(sentence, language, excluded)), "")


_JOINED = re.compile(rf"^\s*(?:and|&|as well as|plus)\s+(?:with\s+|at\s+)?{_NAME}")


def _companies(sentence: str, language: Language, excluded: set[str]) -> list[str]:
    """The first company a pattern finds, then those joined to it ("with Vandelay and Wonka Industries")."""
    for pattern in language.company_patterns:
        for match in pattern.finditer(sentence):
            name = _clean_name(match.group("company"), language, excluded)
            if not name:
                continue
            found = [name]
            joined = _JOINED.match(sentence[match.end("company"):])
            if joined:
                other = _clean_name(joined.group("company"), language, excluded)
                if other and other.lower() != name.lower():
                    found.append(other)
            return found
    return []


def _clean_name(raw: str, language: Language, excluded: set[str]) -> str:
    """A company's name without the sentence's words around it ("FYI Massive Dynamic" is Massive Dynamic);
    "" when nothing is left, or when it is one of ours or a currency."""
    words = raw.strip(" .,'’-").split()
    while words and words[0].lower().strip(".,") in language.stop_names:
        words = words[1:]
    while words and words[-1].lower().strip(".,") in language.stop_names:
        words = words[:-1]
    name = " ".join(words).strip(" .,'’")
    if not name or name.lower() in language.stop_names or name.lower() in excluded:
        return ""
    if re.fullmatch(r"[A-Z]{1,3}", name) and name.lower() in CURRENCY_WORDS:
        return ""
    return name


def _stage(sentence: str, language: Language) -> str:
    if language.offer_stage_cue.search(sentence):
        return "offer"
    if language.final_cue.search(sentence):
        return "final"
    return "interviewing"


def _number(word: str, language: Language) -> int:
    return int(word) if word.isdigit() else language.numbers.get(word.lower(), 0)


def extract(
    text: str, *, said_at: datetime, current_employer: str = "", our_companies: tuple[str, ...] = (),
    language: str = "en",
) -> Findings:
    """What `text` (the new text of a message, or a touch's notes), written at `said_at`, says about
    other processes and offers. `our_companies` (the clients of the candidate's own applications, the
    agency) are never taken for a competitor; `current_employer` names a counteroffer."""
    rules = LANGUAGES[language]
    excluded = {name.lower() for name in our_companies if name} | ({current_employer.lower()} if current_employer
                                                                   else set())
    competing: dict[str, CompetingFinding] = {}
    notice_days: int | None = None
    start_date: date | None = None
    notice_evidence = ""
    asked = answered_none = declined = False
    asked_evidence = ""
    parts = [(clause, sentence) for sentence in sentences(text) for clause in _clauses(sentence)]
    last_company = ""
    for index, (sentence, whole) in enumerate(parts):
        if rules.asked.search(sentence) and "?" in sentence:
            asked = True
            asked_evidence = asked_evidence or whole
        if rules.answer_none.search(sentence):
            answered_none = True
        if rules.answer_declined.search(sentence):
            declined = True
        notice = rules.notice.search(sentence)
        if notice and notice_days is None:
            count = _number(notice.group("n") or notice.group("n2"), rules)
            unit = (notice.group("unit") or notice.group("unit2")).lower()
            notice_days = count * (30 if unit.startswith("month") else 7 if unit.startswith("week") else 1) or None
            notice_evidence = sentence[:500]
        start = rules.start.search(sentence)
        if start and start_date is None and not rules.deadline_cue.search(sentence[:start.start()]):
            start_date = resolve_day(start.group("day"), said_at)
            notice_evidence = notice_evidence or sentence[:500]

        # A clause of a sentence naming several offers ("Umbrella at €100k and Cyberdyne at €104k") reads
        # the sentence's cues.
        is_counter = bool(rules.counteroffer_cue.search(sentence))
        is_offer = bool(rules.offer_cue.search(whole)) and not rules.not_competing.search(whole)
        is_process = bool(rules.process_cue.search(whole))
        deadline_match = rules.deadline_cue.search(sentence)
        money = find_money(sentence)
        if not (is_counter or is_offer or is_process):
            # A sentence of its own with the deadline or pay of the offer just named ("They want an answer
            # by Friday.", "It's 95k.").
            if last_company and (deadline_match or money) and last_company in competing:
                previous = competing[last_company]
                competing[last_company] = _merged(previous, money, deadline_match, said_at, sentence)
            continue
        if is_counter:
            named = _company(sentence, rules, excluded - ({current_employer.lower()} if current_employer else set()))
            company = current_employer or named or "Current employer"
            kind = "counteroffer"
            if named and named.lower() != current_employer.lower() and not re.search(
                    r"counter-?\s?offer", sentence, re.I):
                company, kind = named, "external"
        else:
            names = _companies(sentence, rules, excluded)
            company = names[0] if names else ""
            kind = "external"
            for other in names[1:]:
                competing.setdefault(other.lower(), CompetingFinding(
                    company=other, kind="external", stage=_stage(sentence, rules), evidence=sentence[:500]))
            if not company:
                if last_company and last_company in competing and (money or deadline_match):
                    competing[last_company] = _merged(competing[last_company], money, deadline_match, said_at,
                                                      sentence)
                continue
        key = company.lower()
        finding = competing.get(key) or CompetingFinding(company=company, kind=kind, stage=_stage(sentence, rules),
                                                         evidence=sentence[:500])
        if _stage_rank(_stage(sentence, rules)) > _stage_rank(finding.stage):
            finding = CompetingFinding(**{**finding.__dict__, "stage": _stage(sentence, rules)})
        competing[key] = _merged(finding, money, deadline_match, said_at, sentence)
        last_company = key
        # A deadline in the next sentence belongs to this offer ("Globex offered 95k. I must answer by Friday.")
        if index + 1 < len(parts) and competing[key].deadline is None:
            following_text = parts[index + 1][0]
            following = rules.deadline_cue.search(following_text)
            if following and not _company(following_text, rules, excluded):
                competing[key] = _merged(competing[key], [], following, said_at, following_text)
    answer = ""
    if competing:
        answer = "disclosed"
    elif declined:
        answer = "declined_to_say"
    elif answered_none:
        answer = "none"
    return Findings(competing=tuple(competing.values()), asked=asked, asked_evidence=asked_evidence, answer=answer,
                    notice_days=notice_days, start_date=start_date, notice_evidence=notice_evidence)


def _clauses(sentence: str) -> list[str]:
    """A sentence with several amounts, cut after each amount that another name follows."""
    amounts = list(MONEY.finditer(sentence))
    if len(amounts) < 2:
        return [sentence]
    clauses, start = [], 0
    for match in amounts[:-1]:
        if re.match(r"^\s*(?:,|;|and|&)\s+(?:\w+\s+)?[A-Z]", sentence[match.end():]):
            clauses.append(sentence[start:match.end()])
            start = match.end()
    clauses.append(sentence[start:])
    return [clause for clause in clauses if clause.strip()]


def _stage_rank(stage: str) -> int:
    return {"interviewing": 1, "final": 2, "offer": 3}.get(stage, 0)


def _merged(finding: CompetingFinding, money: list[Money], deadline_match: re.Match[str] | None, said_at: datetime,
            sentence: str) -> CompetingFinding:
    values = dict(finding.__dict__)
    if money and finding.amount is None:
        first = money[0]
        values.update(amount=first.amount, currency=first.currency, period=first.period)
        if values["stage"] != "offer" and re.search(r"\b(offer\w*|package)\b", sentence, re.I):
            values["stage"] = "offer"
    if deadline_match and finding.deadline is None:
        values["deadline"] = resolve_day(deadline_match.group("day"), said_at)
    return CompetingFinding(**values)
