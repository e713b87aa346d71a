"""Exercise 05: reply rates, messages needed to sign a roster, and a disclosed caption."""

from __future__ import annotations

import pandas as pd

from playbook.analytics.compliance import check_disclosure
from playbook.analytics.planning import outreach_needed
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables

ROSTER = 8
BRAND = "@glowlab"


def _replied(frame: pd.DataFrame):
    return float(frame["replied_at"].notna().mean())


def _caption_rule(answer: object, t: Tables):
    if not isinstance(answer, str):
        return f"Give the caption as text (str), not {type(answer).__name__}."
    result = check_disclosure(answer)  # US rules, as Instagram shows a caption
    if result.status == "compliant":
        return None
    return f"The disclosure checker says {result.status}: {result.reasons}"


EXERCISE = Exercise(
    stem="05_outreach_and_communication",
    module="05_outreach_and_communication",
    minutes=20,
    questions=(
        Question(
            var="reply_rate_personalised",
            practises=("Skill 2", "Job 3"),
            title="reply rate of personalised messages",
            hints=(
                "A message got a reply when `replied_at` is filled in.",
                "Filter `outreach` on `personalised`, then take the mean of `replied_at.notna()`.",
            ),
            solution=(
                'outreach = tables["outreach"]\n'
                'reply_rate_personalised = outreach.loc[outreach["personalised"], '
                '"replied_at"].notna().mean()'
            ),
            expected=lambda t: _replied(t["outreach"][t["outreach"]["personalised"]]),
            mistakes=(
                Mistake(
                    lambda t: _replied(t["outreach"]),
                    "{answer} is the reply rate of every message; keep the personalised ones only.",
                ),
                Mistake(
                    lambda t: float(
                        t["outreach"].loc[t["outreach"]["personalised"], "agreed_at"].notna().mean()
                    ),
                    "{answer} counts deals agreed; a reply is any answer (`replied_at`).",
                ),
            ),
        ),
        Question(
            var="messages_needed",
            practises=("Job 2",),
            title=f"messages to sign {ROSTER} creators",
            hints=(
                "Not every reply becomes a deal: use both the reply rate and the agreed-per-reply rate.",
                f"`planning.outreach_needed({ROSTER}, tables=tables)` uses the rates measured in `outreach`.",
            ),
            solution=(
                f"plan = planning.outreach_needed({ROSTER}, tables=tables)\n"
                'messages_needed = plan["messages_to_send"]'
            ),
            expected=lambda t: int(outreach_needed(ROSTER, tables=t)["messages_to_send"]),
            mistakes=(
                Mistake(
                    lambda t: int(-(-ROSTER // outreach_needed(ROSTER, tables=t)["reply_rate"])),
                    "{answer} assumes every reply signs; divide also by the share of replies that agree.",
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="caption",
            practises=("Job 2", "Skill 1"),
            title="a disclosed caption",
            hints=(
                "The disclosure must be clear (#ad or 'Paid partnership'), not #sp or #collab.",
                "Put it at the start: within the first lines and characters a feed shows before 'more'.",
            ),
            solution=f'caption = "#ad Paid partnership with {BRAND}: my morning routine with the new serum"',
            rule=_caption_rule,
            wrong_examples=(
                (f"Loving my morning routine with {BRAND} #sp", "weak"),
                (f"My morning routine with {BRAND}, the serum I use every day", "missing"),
                ("x" * 140 + " #ad", "late"),
                (42, "Give the caption as text"),
            ),
        ),
    ),
    open_question=OpenQuestion(
        title="what a creative brief must fix in writing",
        model_answer=(
            "Key messages and the one thing to say; must-haves and no-gos; deliverables with formats and "
            "dates; "
            "usage rights and exclusivity with their duration; the disclosure wording and where it goes; "
            "approval rounds; payment terms and what triggers payment."
        ),
    ),
)
