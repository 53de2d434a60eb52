"""The words recruiters write: touchpoint notes, reasons for stage moves, lessons, offer notes.

Templates are ``str.format_map`` strings over a per-application context (``{first}``, ``{client}``,
``{title}``, ``{manager}``, ``{employer}``, ``{skill}``, ``{city}``, ``{years}``, ``{motive}``) and a few
per-touch values (``{round}``, ``{weekday}``, ``{weeks}``). Notes are keyed by the part of the process
the application was in (``GROUP_OF_STAGE``) and by the kind of contact: a conversation (call, video,
meeting), something we wrote, or something the candidate wrote.
"""

from __future__ import annotations

from homestretch.pipeline.choices import LossReason, Stage

TALK, WROTE, RECEIVED = 0, 1, 2

OUTREACH, SCREENING, INTERVIEWS, CHECKS, OFFER, NOTICE, HOLD, STARTED, NETWORK = range(9)
GROUP_OF_STAGE: dict[str, int] = {
    Stage.SOURCED: OUTREACH,
    Stage.SCREENING: SCREENING,
    Stage.INTERVIEWING: INTERVIEWS,
    Stage.FINAL_INTERVIEW: INTERVIEWS,
    Stage.VERIFICATION: CHECKS,
    Stage.OFFER: OFFER,
    Stage.ACCEPTED: NOTICE,
    Stage.ON_HOLD: HOLD,
    Stage.STARTED: STARTED,
}

# TOUCH_NOTES[group][kind] -> templates
TOUCH_NOTES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (  # OUTREACH
        (
            "Intro call with {first}: {years} years of {skill}, currently at {employer}. "
            "Would move for {motive}.",
            "First chat: {first} is fine at {employer} but curious about {client}; "
            "wants the salary range first.",
            "Quick call; {first} asked how big the {client} team is and who they would report to.",
            "Intro call: {first} knows {client} from a meetup talk and liked the engineering blog.",
        ),
        (
            "Messaged {first} about the {title} role at {client}.",
            "Sent {first} the {title} job description and the {client} engineering blog.",
            "Followed up on my message about {client}; mentioned the {skill} stack.",
            "Reached out: {client} is hiring a {title} in {city}.",
        ),
        (
            "{first} replied: interested, asked for the salary range and remote days.",
            "{first} wrote back: open to a chat this week, prefers late afternoons.",
            "{first} sent an updated CV.",
            "{first} replied: not before the end of the quarter, but happy to talk.",
        ),
    ),
    (  # SCREENING
        (
            "Screening call: {years} years of {skill}; the notice period is the sticking point. "
            "Wants {motive}.",
            "Screened {first} for {client}: strong on {skill}, looking for {motive}.",
            "Went through {first}'s CV line by line and presented {client} and the {title} role.",
            "Video screen: clear communicator, knows what they want: {motive}.",
            "Talked through {first}'s salary expectations and notice period.",
            "Call about the {client} team and the product roadmap; {first} had good questions.",
        ),
        (
            "Sent {first}'s profile to {manager} at {client}.",
            "Shared the interview process at {client}: three rounds over about two weeks.",
            "Asked {first} for two time slots for the first interview.",
        ),
        (
            "{first} confirmed the salary expectations by e-mail.",
            "{first} asked whether {client} pays for certifications.",
            "{first} sent availability for next week.",
        ),
    ),
    (  # INTERVIEWS
        (
            "Prepped {first} for the {round} with {manager}: focus on {skill} and concrete examples.",
            "Debrief after the {round}: {first} liked the team, less sure about the on-call rota.",
            "Debrief after the {round}: went well; {first} found the {skill} questions fair.",
            "Call after the {round}: {first} wants to hear more about the roadmap before going further.",
            "Coffee with {first} near the {client} office after the {round}.",
            "Quick check-in: {first} is waiting for the date of the {round}.",
            "Talked {first} through what {manager} looks for in the {round}.",
        ),
        (
            "Confirmed the {round} with {client} for {weekday}.",
            "Passed on the feedback from {manager}: positive, next step is the {round}.",
            "Sent {first} a short brief on {manager} and the team before the {round}.",
            "Moved the {round} to {weekday} at {first}'s request.",
        ),
        (
            "{first} asked to move the {round} to {weekday}.",
            "{first} sent thanks after the {round}; keen to hear back soon.",
            "{first} asked how many candidates are still in the process.",
        ),
    ),
    (  # CHECKS
        (
            "Walked {first} through the reference checks; two referees from {employer} agreed.",
            "Call: references are in and {client} is preparing the offer. Talked about the notice period.",
            "Pre-offer call: checked the salary expectations once more before {client} writes the offer.",
        ),
        (
            "Sent the background check form from {client}.",
            "Reminded {first} to send the referees' details.",
            "Told {first} the references came back positive.",
        ),
        (
            "{first} sent the referees' contact details.",
            "{first} asked when the offer will come.",
        ),
    ),
    (  # OFFER
        (
            "Walked {first} through the {client} offer line by line; {first} wants a day to think.",
            "Offer call: {first} likes the role; the base is the open question.",
            "Call: {first} asked whether {client} can move on remote days.",
            "Talked through the start date and how to resign at {employer}.",
            "Met {first} for coffee to go through the offer and the team.",
            "Check-in on the offer: {first} is talking it over and will come back by {weekday}.",
        ),
        (
            "Sent the written offer from {client}; answer expected by {weekday}.",
            "Chased the answer on the offer, gently.",
            "Sent {first} the benefits summary from {client}.",
        ),
        (
            "{first} asked for the offer in writing and the details of the bonus.",
            "{first} wrote: needs until {weekday} to decide.",
            "{first} asked whether the start date can move by two weeks.",
        ),
    ),
    (  # NOTICE
        (
            "Notice-period check-in: {first} resigned at {employer}; the conversation went fine.",
            "Check-in: {first} is counting down to the start at {client} and asked about the first week.",
            "Call: {employer} asked {first} to stay; prepared how to say no politely.",
            "Lunch with {first}: excited about {client}, met the future team at a meetup.",
            "Check-in call: all quiet at {employer}; the start date stands.",
        ),
        (
            "Sent the onboarding pack and first-day details from {client}.",
            "Invited {first} to the {client} team drinks on {weekday}.",
            "Checked in during the notice period; all fine.",
        ),
        (
            "{first} sent the signed contract back.",
            "{first} asked about the laptop and equipment for day one.",
            "{first} confirmed the start date.",
        ),
    ),
    (  # HOLD
        (
            "Told {first} the role at {client} is on hold; we expect news in {weeks} weeks.",
            "Hold check-in: {first} is still interested in {client} but keeping options open.",
        ),
        (
            "Update to {first}: no news yet from {client} on the budget.",
            "Checked whether {first} is still available if {client} restarts the process.",
        ),
        ("{first} asked whether there is any news from {client}.",),
    ),
    (  # STARTED
        (
            "First-week check-in: {first} is settling in well at {client}.",
            "One-month check-in: {first} is happy; the team is as described.",
            "Check-in after the start: {first} misses the old team a little, otherwise good.",
        ),
        ("Sent congratulations on the first day at {client}.",),
        ("{first} sent a photo from the first day at {client}.",),
    ),
    (  # NETWORK: no application
        (
            "Met {first} at a {skill} meetup; not looking now, open to a chat in a few months.",
            "Catch-up call: {first} is fine at {employer}; would move for {motive}.",
            "Coffee with {first}: shared market pay for {skill} engineers in {city}.",
        ),
        (
            "Sent {first} our salary report for {city}.",
            "Congratulated {first} on the work anniversary at {employer}.",
        ),
        ("{first} asked whether we have roles with {skill} in {city}.",),
    ),
)

# Interview rounds: the early ones while interviewing, the last ones at the final interview.
ROUNDS: tuple[str, ...] = (
    "first interview", "technical interview", "system design round", "pair-programming session",
    "take-home review",
)
FINAL_ROUNDS: tuple[str, ...] = ("final round", "meeting with the CTO", "culture chat", "final panel")
# When every template of a kind has been used (twice; once for what the candidate sends), these follow.
GENERIC_NOTES: tuple[tuple[str, ...], ...] = (
    ("Quick check-in call with {first}; nothing new on either side.",
     "Catch-up call: {first} is fine, no news."),
    ("Sent {first} a short update.", "Followed up by message; nothing urgent."),
    ("{first} replied: thanks for the update.", "Short message from {first}: all good."),
)
WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

INTEREST_NOTES: dict[int, tuple[str, ...]] = {
    1: ("Interest is gone, it seems.", "Sounds lukewarm at best."),
    2: ("Interest cooling.", "Less keen than last time."),
    3: ("Interested but comparing options.", "Still interested, not excited."),
    4: ("Keen.", "Interest is good."),
    5: ("Very keen.", "Really excited about it."),
}
COMPETITION_DISCLOSED: tuple[str, ...] = (
    "Asked about other processes: {company}, {stage}{pay}.",
    "Other processes: {company} ({stage}{pay}).",
    "{first} mentioned {company}: {stage}{pay}.",
)
COMPETITION_CONFIDENTIAL: tuple[str, ...] = (
    "Asked about other processes; in confidence: {company}, {stage}{pay}.",
    "{first} told me in confidence about {company}: {stage}{pay}.",
)
COUNTEROFFER_DISCLOSED: tuple[str, ...] = (
    "{employer} made a counteroffer{pay}.",
    "Counteroffer from {employer}{pay}; {first} is thinking about it.",
)
COUNTEROFFER_CONFIDENTIAL: tuple[str, ...] = (
    "In confidence: {employer} made a counteroffer{pay}.",
    "{first} told me in confidence that {employer} countered{pay}.",
)
COMPETITION_NONE: tuple[str, ...] = (
    "Asked about other processes: none at the moment.",
    "No other processes, says {first}.",
)
COMPETITION_DECLINED: tuple[str, ...] = (
    "Asked about other processes; {first} preferred not to say.",
    "Would not say whether other processes are running.",
)
WHY_WE_ASK = " Explained that we ask so we can push the client on pay and speed, not to use it against them."
STATUS_UPDATES: tuple[str, ...] = (
    "Gave a status update: {client} decides this week.",
    "Updated {first} on where {client} stands.",
    "Told {first} the next step and when to expect it.",
)

COMPETING_STAGE_WORDS: dict[str, str] = {
    "applied": "applied", "interviewing": "interviewing", "final": "final round",
    "offer": "offer on the table", "accepted": "accepted", "closed": "dropped",
}
COMPETING_NOTES: tuple[str, ...] = (
    "", "", "", "Final round next week.", "Verbal offer only so far.",
    "{first} prefers our role, but the pay gap is real.", "Fully remote, which {first} likes.",
    "Includes a signing bonus.", "Bigger title: lead.",
)

# StageChange.reason, keyed by what happened. {company} is the competitor that won, when any.
LOSS_REASONS: dict[tuple[str, str], tuple[str, ...]] = {
    (Stage.WITHDRAWN, LossReason.COMPENSATION): (
        "Salary expectations well above the band at {client}.",
        "The band at {client} is below what {first} earns today.",
    ),
    (Stage.WITHDRAWN, LossReason.COMPETING_OFFER): (
        "Accepted an offer from {company} first.",
        "Went with {company}, which moved faster.",
    ),
    (Stage.WITHDRAWN, LossReason.COUNTEROFFER): ("Decided to stay at {employer} after a counteroffer.",),
    (Stage.WITHDRAWN, LossReason.REMOTE_OR_LOCATION): (
        "Not willing to be in the office three days a week.",
        "Does not want to commute to {city} after all.",
    ),
    (Stage.WITHDRAWN, LossReason.ROLE_FIT): (
        "The role is more maintenance than {first} wants.",
        "Wants a more hands-on role than this one.",
    ),
    (Stage.WITHDRAWN, LossReason.PROCESS_TOO_SLOW): (
        "Lost patience: three weeks without feedback from {client}.",
        "Process too slow; {first} stopped waiting.",
    ),
    (Stage.WITHDRAWN, LossReason.COMPANY_REPUTATION): (
        "Heard about layoffs at {client} and pulled out.",
        "Put off by reviews of the engineering culture at {client}.",
    ),
    (Stage.WITHDRAWN, LossReason.PERSONAL): ("Personal reasons; not changing jobs this year.",),
    (Stage.WITHDRAWN, LossReason.OTHER): (
        "Stopped answering; no reply to three messages.",
        "Decided to go freelance.",
    ),
    (Stage.DECLINED, LossReason.COMPENSATION): (
        "Declined: the offer is below what {first} expects for the role.",
        "Declined: base too low for the market.",
    ),
    (Stage.DECLINED, LossReason.COMPETING_OFFER): (
        "Declined our offer and took the one from {company}, with more base.",
        "Declined: signed with {company}.",
    ),
    (Stage.DECLINED, LossReason.COUNTEROFFER): (
        "Declined: accepted {employer}'s counteroffer.",
        "Declined: {employer} matched the offer and added a promotion.",
    ),
    (Stage.DECLINED, LossReason.REMOTE_OR_LOCATION): (
        "Declined: {client} would not go beyond two remote days.",
    ),
    (Stage.DECLINED, LossReason.ROLE_FIT): ("Declined: the lead role turned out to have no reports.",),
    (Stage.DECLINED, LossReason.PROCESS_TOO_SLOW): (
        "Declined: the offer came too late; {first} had signed elsewhere.",
    ),
    (Stage.DECLINED, LossReason.COMPANY_REPUTATION): ("Declined after hearing about layoffs at {client}.",),
    (Stage.DECLINED, LossReason.PERSONAL): ("Declined for personal reasons.",),
    (Stage.DECLINED, LossReason.OTHER): ("Declined without giving a clear reason.",),
    (Stage.RENEGED, LossReason.COUNTEROFFER): (
        "Reneged after {employer} matched and added a promotion.",
        "Reneged during the notice period: stays at {employer} with a counteroffer.",
    ),
    (Stage.RENEGED, LossReason.COMPETING_OFFER): (
        "Reneged: signed with {company} during the notice period.",
    ),
    (Stage.RENEGED, LossReason.COMPENSATION): ("Reneged: a better-paid offer came in late.",),
    (Stage.RENEGED, LossReason.PERSONAL): ("Reneged for personal reasons two weeks before the start.",),
    (Stage.RENEGED, LossReason.OTHER): ("Reneged without an explanation.",),
}
REJECTIONS_EARLY: tuple[str, ...] = (
    "Not enough hands-on {skill} experience for {client}.",
    "{client} prefers someone with more product experience.",
    "Salary expectations above the band.",
    "Profile too junior for what {manager} wants.",
)
REJECTIONS_INTERVIEWS: tuple[str, ...] = (
    "Did not pass the technical interview.",
    "Feedback from {manager}: good on {skill}, weak on system design.",
    "{client} went with a stronger candidate.",
    "Take-home exercise below the bar.",
)
REJECTIONS_CHECKS: tuple[str, ...] = (
    "References did not confirm the lead experience.",
    "{client} stopped after the reference checks.",
)
REJECTIONS_OFFER: tuple[str, ...] = ("{client} withdrew the offer after a budget freeze.",)
REJECTION_FILLED = "{client} hired another candidate for this role."
REJECTION_CANCELLED = "{client} cancelled the search."
REJECTION_AFTER_HOLD = "The role stayed frozen; {client} closed it."
HOLD_REASONS: tuple[str, ...] = (
    "{client} paused hiring until the budget review.",
    "{manager} is away for three weeks.",
    "{first} is travelling for three weeks.",
    "{client} is reorganising the team.",
)
RESUME_REASONS: tuple[str, ...] = (
    "Budget approved; back in process.", "Back from the break; interviews resume.", "",
)
EXTRA_ROUND_REASONS: tuple[str, ...] = (
    "{client} asked for an extra technical round.", "Second look at system design.",
)
# StageChange.reason of a start: what won the candidate (every close says why, a hire too).
START_REASONS: tuple[str, ...] = (
    "Started at {client}: the {skill} work and the team won it.",
    "Started: {manager} sold the role at the final round.",
    "Started at {client}; the offer beat {employer} on pay and remote days.",
    "Started: a short process and a clear offer, while other processes were still interviewing.",
    "Started at {client} after a smooth notice period; weekly check-ins kept {first} warm.",
)

JOB_LESSONS: tuple[str, ...] = (
    "Candidates for this profile in {city} expected {low}-{high} {currency}; the first band was too low and "
    "cost us two finalists.",
    "Two finalists lost to counteroffers: talk about the resignation conversation before the offer.",
    "A three-week process beat {company}: keep the interview loop short.",
    "{client} needs remote flexibility to compete: on-site only lost half the pipeline.",
    "Referrals converted best for this search; ask placed candidates early.",
    "{manager} decides fast when the profile is pre-screened on {skill}; send fewer, better CVs.",
)
APPLICATION_LESSONS: tuple[str, ...] = (
    "Should have asked about other processes earlier: learned of {company} only at the end.",
    "The counteroffer came after the resignation: rehearse that conversation next time.",
    "Went quiet for a week during the notice period; keep the weekly check-in.",
    "Pay was not the issue, remote days were. Ask about priorities at the screening.",
    "{client} took eleven days to send the offer; push for a date at the final round.",
)
OFFER_NOTES: tuple[str, ...] = (
    "", "", "", "", "Signing bonus to cover the annual bonus {first} gives up.",
    "Includes relocation support.",
    "{client} agreed to three remote days.", "Start date flexible by two weeks.",
)
CANDIDATE_NOTES: tuple[str, ...] = (
    "", "", "", "", "", "Prefers calls after 5 pm.", "Referred by a placed candidate.",
    "Speaks at {skill} meetups.",
    "Open-source maintainer.", "Prefers e-mail to calls.", "Happy to relocate within the country.",
)
