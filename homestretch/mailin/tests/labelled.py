"""A labelled set of messages written for the project: what a recruiter would read in each about other
processes and offers (company, amount with currency, deadline). Varied phrasing, false friends ("we offer
a gym", our own client's offer), amounts in k and with symbols, dates in words. Every message is dated
Thursday 19 November 2026, 16:05 UTC, so "by Friday" is 20 November.

Used by test_extractor.py (precision and recall asserted) and by benchmarks/mailin_extractor.py (printed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

SAID_AT = datetime(2026, 11, 19, 16, 5, tzinfo=UTC)
CURRENT_EMPLOYER = "Globex"
OUR_COMPANIES = ("Acme Cloud",)


@dataclass(frozen=True)
class Rival:
    company: str
    amount: int | None = None
    currency: str = ""
    deadline: date | None = None


@dataclass(frozen=True)
class Labelled:
    text: str
    rivals: tuple[Rival, ...] = field(default_factory=tuple)


def d(day: int, month: int = 11) -> date:
    return date(2026 if month >= 11 else 2027, month, day)


def L(text: str, *rivals: Rival) -> Labelled:  # noqa: N802  # reads like a row of the table
    return Labelled(text, tuple(rivals))


LABELLED: tuple[Labelled, ...] = (
    # Offers with pay and a deadline, in many phrasings.
    L("Initech made me an offer yesterday, 95,000 EUR a year, and they want an answer by Friday.",
      Rival("Initech", 95000, "EUR", d(20))),
    L("Quick update: I got an offer from Hooli, $150k base. I need to reply by next Monday.",
      Rival("Hooli", 150000, "USD", d(23))),
    L("Umbrella's offer is €102k plus bonus, deadline 4 December.", Rival("Umbrella", 102000, "EUR", d(4, 12))),
    L("Just so you know, Stark Industries offered 88k EUR. They gave me until Wednesday to decide.",
      Rival("Stark Industries", 88000, "EUR", d(25))),
    L("Wayne Enterprises came back with an offer of £85,000 per annum, valid until 30 November.",
      Rival("Wayne Enterprises", 85000, "GBP", d(30))),
    L("I received an offer from Soylent yesterday: 70.000 EUR gross. They expect an answer by the end of the week.",
      Rival("Soylent", 70000, "EUR", d(20))),
    L("The offer from Cyberdyne is 110k USD with a 10% bonus. Deadline is Tuesday.",
      Rival("Cyberdyne", 110000, "USD", d(24))),
    L("Tyrell has made me an offer: CHF 130,000 a year. I have to sign by 2 December.",
      Rival("Tyrell", 130000, "CHF", d(2, 12))),
    L("Massive Dynamic offered me 92k€. They need my answer tomorrow.", Rival("Massive Dynamic", 92000, "EUR", d(20))),
    L("Got the written offer from Vandelay today - 78,500 EUR/year. Expires on 27 November.",
      Rival("Vandelay", 78500, "EUR", d(27))),
    L("Pied Piper is offering 120k USD, and they want to hear back before Monday.",
      Rival("Pied Piper", 120000, "USD", d(23))),
    L("An offer came in from Oscorp: 600 EUR a day as a contractor, answer by Friday.",
      Rival("Oscorp", 600, "EUR", d(20))),
    L("Dunder Mifflin sent me an offer for £62k. I'd have to accept by 1 December.",
      Rival("Dunder Mifflin", 62000, "GBP", d(1, 12))),
    L("I have an offer at Gringotts for 98.000 € plus equity; they gave me until next Friday.",
      Rival("Gringotts", 98000, "EUR", d(27))),
    L("Bluth Company's package is 75k EUR base. Decision needed by the end of the month.",
      Rival("Bluth Company", 75000, "EUR", d(30))),
    L("Good news on my side too: Nakatomi made an offer, 105,000 USD, deadline December 3rd.",
      Rival("Nakatomi", 105000, "USD", d(3, 12))),
    L("Aperture extended an offer yesterday. It's 89k EUR and they want a yes or no by Tuesday.",
      Rival("Aperture", 89000, "EUR", d(24))),
    L("I've got an offer from Wonka Industries (€81,000 a year). Their deadline is Monday.",
      Rival("Wonka Industries", 81000, "EUR", d(23))),
    L("Offer from Prestige Worldwide: 95 000 EUR. Must respond by 26 November.",
      Rival("Prestige Worldwide", 95000, "EUR", d(26))),
    L("So, Monarch Solutions offered me 140k $, but I have until 5 December to say yes.",
      Rival("Monarch Solutions", 140000, "USD", d(5, 12))),
    L("Hi Alice,\nOmni Consumer Products made me an offer at 83k EUR.\nThey want an answer by Friday.\nThanks",
      Rival("Omni Consumer Products", 83000, "EUR", d(20))),
    L("Virtucon offered 115,000 CHF. I must decide by next Wednesday.", Rival("Virtucon", 115000, "CHF", d(25))),
    L("I got an offer from Zorg! 72k EUR per year, answer by Monday the 23rd.", Rival("Zorg", 72000, "EUR", d(23))),
    L("Weyland offered 99k. The currency is EUR, by the way. Deadline: Friday.",
      Rival("Weyland", None, "", d(20))),
    # Pay without a deadline, a deadline without pay.
    L("Hooli offered me 145k USD yesterday.", Rival("Hooli", 145000, "USD")),
    L("I'm in the final round with Initech next week.", Rival("Initech")),
    L("Stark Industries want an answer by Monday, no numbers yet.", Rival("Stark Industries", None, "", d(23))),
    L("Just had my final interview with Cyberdyne. They said they'd send an offer soon.", Rival("Cyberdyne")),
    L("Umbrella made an offer of 90k EUR, no deadline mentioned.", Rival("Umbrella", 90000, "EUR")),
    L("I'm interviewing at Soylent, second round on Tuesday.", Rival("Soylent")),
    L("Tyrell's offer came in at €97.5k.", Rival("Tyrell", 97500, "EUR")),
    L("Hooli gave me until Friday to accept.", Rival("Hooli", None, "", d(20))),
    L("I'm talking to Pied Piper as well, early stage.", Rival("Pied Piper")),
    L("Massive Dynamic invited me to an onsite with their team next week.", Rival("Massive Dynamic")),
    L("I have a technical test with Vandelay on Monday.", Rival("Vandelay")),
    L("The process with Nakatomi is moving fast; final round on 25 November.", Rival("Nakatomi")),
    L("Aperture offered me £70k, which is a bit less than I'd like.", Rival("Aperture", 70000, "GBP")),
    L("I'm also in process with Wayne Enterprises.", Rival("Wayne Enterprises")),
    L("Gringotts came back with 85k EUR for the senior role.", Rival("Gringotts", 85000, "EUR")),
    L("Oscorp offered a day rate of 550 EUR a day.", Rival("Oscorp", 550, "EUR")),
    # Counteroffers from the current employer.
    L("My current employer offered me a raise to 80k EUR to stay.", Rival("Globex", 80000, "EUR")),
    L("Globex made a counteroffer yesterday: 85,000 EUR. I told them I'd think about it until Monday.",
      Rival("Globex", 85000, "EUR", d(23))),
    L("My boss found out and offered to match: 90k €.", Rival("Globex", 90000, "EUR")),
    L("I got a counter-offer from my company, £75k, and they want an answer by Friday.",
      Rival("Globex", 75000, "GBP", d(20))),
    L("My manager offered a promotion and 10% more if I stay.", Rival("Globex")),
    # Two rivals in one message.
    L("Initech offered 95k EUR, deadline Friday. I'm also in the final round with Hooli.",
      Rival("Initech", 95000, "EUR", d(20)), Rival("Hooli")),
    L("Two offers now: Umbrella at €100k and Cyberdyne at €104k. Umbrella wants an answer by Monday.",
      Rival("Umbrella", 100000, "EUR", d(23)), Rival("Cyberdyne", 104000, "EUR")),
    L("Stark Industries offered 120k USD. Oscorp offered 125k USD with a deadline of 1 December.",
      Rival("Stark Industries", 120000, "USD"), Rival("Oscorp", 125000, "USD", d(1, 12))),
    L("I'm interviewing with Vandelay and Wonka Industries.\nVandelay's offer is 70k EUR, answer by Tuesday.",
      Rival("Vandelay", 70000, "EUR", d(24)), Rival("Wonka Industries")),
    L("My current company matched at 88k EUR. Meanwhile Tyrell offered 95k EUR.",
      Rival("Globex", 88000, "EUR"), Rival("Tyrell", 95000, "EUR")),
    # Quoted replies, signatures and HTML leftovers around the fact.
    L("Hi Alice,\n\nNakatomi offered 101,000 USD. Deadline is Monday.\n\nBest regards,\nPriya\n+49 170 000000",
      Rival("Nakatomi", 101000, "USD", d(23))),
    L("Thanks for checking in!\nHooli's offer: $160,000 base, they need an answer by Wednesday.\n\nCheers, Sam",
      Rival("Hooli", 160000, "USD", d(25))),
    L("Sure. Weyland made me an offer: EUR 93,000. Answer by 30 November.",
      Rival("Weyland", 93000, "EUR", d(30))),
    L("FYI Massive Dynamic made an offer of 5,500 EUR a month. They want an answer by Friday.",
      Rival("Massive Dynamic", 5500, "EUR", d(20))),
    L("Got an offer from Soylent: 65k GBP. They asked me to confirm by 3 Dec.",
      Rival("Soylent", 65000, "GBP", d(3, 12))),
    L("Zorg offered 4.800 EUR per month, answer by next Monday.", Rival("Zorg", 4800, "EUR", d(23))),
    L("Monarch Solutions made an offer - 115k USD base + RSUs. Deadline next Tuesday.",
      Rival("Monarch Solutions", 115000, "USD", d(24))),
    L("Good morning! Pied Piper made me an offer of 130.000 USD. I must answer them by December 2.",
      Rival("Pied Piper", 130000, "USD", d(2, 12))),
    L("The offer from Dunder Mifflin is GBP 58,000, they gave me until Monday.",
      Rival("Dunder Mifflin", 58000, "GBP", d(23))),
    L("I am in the last round with Bluth Company.", Rival("Bluth Company")),
    L("Prestige Worldwide offered me 85k EUR yesterday and I have until the 1st to decide.",
      Rival("Prestige Worldwide", 85000, "EUR", d(1, 12))),
    # False friends and messages with no rival at all.
    L("We offer a gym, free lunch and 30 days of holiday."),
    L("The client can offer 90k EUR and three remote days."),
    L("Thanks for the offer of a call, Tuesday works for me."),
    L("No other processes at the moment, you're my only one."),
    L("I'd rather not say where else I'm interviewing."),
    L("Can we move the call to Friday? I have a dentist appointment."),
    L("I saw the job ad on LinkedIn; the salary range of 80k to 95k EUR looks fine."),
    L("Thank you for your offer, I will read it tonight."),
    L("Our offer letter is attached; please sign by Friday."),
    L("My notice period is 3 months, so I could start on 1 March."),
    L("Is the 95k EUR base negotiable?"),
    L("The interview with Acme Cloud went well, thanks for preparing me."),
    L("I'm not interviewing anywhere else."),
    L("They offer free parking and a yearly training budget of 2,000 EUR."),
    L("Happy to join the final round on Monday."),
    L("Let me know by Friday if the client wants to meet."),
    L("I spent 5 years at my current company and I'm ready for a change."),
    L("Special offer: 20% off our recruiting webinar until Friday!"),
    L("The hiring manager at Acme Cloud said they'd send an offer soon."),
    L("Nothing else going on, I'm focused on this one."),
    L("I'm looking for at least 90k EUR."),
    L("Could you send me the job description again?"),
    L("I will be on holiday from 1 December to 10 December."),
    L("Please call me after 5 pm, I'm in meetings all day."),
)


# Written after the rules were tuned on LABELLED and never used to change them: the honest figure.
HELD_OUT: tuple[Labelled, ...] = (
    L("Hey! Contoso just sent over their offer: 87,000 EUR yearly. I'd need to get back to them by Tuesday.",
      Rival("Contoso", 87000, "EUR", d(24))),
    L("Fabrikam offered me a senior role at $132k. Their deadline is 2 December.",
      Rival("Fabrikam", 132000, "USD", d(2, 12))),
    L("I'm at the final interview stage with Northwind Traders.", Rival("Northwind Traders")),
    L("Litware made an offer of £71,500, they want an answer by next Monday.",
      Rival("Litware", 71500, "GBP", d(23))),
    L("Adventure Works offered 93k EUR, but I prefer your client.", Rival("Adventure Works", 93000, "EUR")),
    L("Tailspin Toys want me to decide by Friday; the offer is 79k EUR.", Rival("Tailspin Toys", 79000, "EUR", d(20))),
    L("After the last round, Proseware came back with 102,000 USD.", Rival("Proseware", 102000, "USD")),
    L("My employer counter-offered with 84k EUR to keep me.", Rival("Globex", 84000, "EUR")),
    L("I have a second interview with Wingtip next Wednesday.", Rival("Wingtip")),
    L("Woodgrove Bank offered 650 EUR per day, valid until 27 November.", Rival("Woodgrove Bank", 650, "EUR", d(27))),
    L("No news from anyone else, I'm only in your process."),
    L("We offer flexible hours and a learning budget."),
    L("The client offered 92k EUR, that works for me."),
    L("Lucerne Publishing made me an offer yesterday (95k CHF). I have until the end of the week.",
      Rival("Lucerne Publishing", 95000, "CHF", d(20))),
    L("Coho Winery's offer: 66,000 GBP, answer by 30 November.", Rival("Coho Winery", 66000, "GBP", d(30))),
    L("Fourth Coffee and Graphic Design Institute both invited me to final rounds.",
      Rival("Fourth Coffee"), Rival("Graphic Design Institute")),
    L("I'll be travelling next week, so calls are easier on Friday."),
    L("Blue Yonder offered 118k USD. Trey Research offered 121k USD, deadline Monday.",
      Rival("Blue Yonder", 118000, "USD"), Rival("Trey Research", 121000, "USD", d(23))),
    L("Relecloud's package is 5,200 EUR a month.", Rival("Relecloud", 5200, "EUR")),
    L("My current company offered me a promotion to stay; no numbers yet.", Rival("Globex")),
)
