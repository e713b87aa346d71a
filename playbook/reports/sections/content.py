"""Content: disclosure compliance, top and bottom posts, the audience reached, comment quality."""

from __future__ import annotations

from playbook.reports import figures as rf
from playbook.reports.context import ReportContext
from playbook.reports.figures.report import (
    campaign_posts,
)
from playbook.reports.html import Html, bullets, fmt
from playbook.reports.sections.display import missing_note, note, shown_frame

__all__ = ["audience", "comment_quality", "disclosure_compliance", "top_and_bottom_posts"]


def disclosure_compliance(ctx: ReportContext) -> list[object]:
    """Disclosure status of every sponsored post (`compliance.check_captions`) against the published share."""
    posts = campaign_posts(ctx)
    if not posts["sponsored"].any():
        return [note("No sponsored post to check.")]
    found = rf.disclosure_check(posts)
    if isinstance(found, rf.Missing):
        return missing_note(found)
    s, problems = found
    published = ctx.cite("disclosure_full_compliance_imh_2020")
    ctx.cite("caption_visible_chars_instagram")
    ctx.define("Disclosure status")
    shares = bullets(
        [
            f"{fmt(s['share_compliant'], 'rate')} of {int(s['sponsored_posts'])} sponsored posts compliant; "
            f"published: {fmt(published.value, 'rate')} of sampled posts fully compliant "
            f"({published.source_name}).",
            f"Late {fmt(s['share_late'], 'rate')}, weak {fmt(s['share_weak'], 'rate')}, missing "
            f"{fmt(s['share_missing'], 'rate')}; risky {fmt(s['share_risky'], 'rate')}, to review "
            f"{fmt(s['share_review'], 'rate')} (FTC rules).",
        ]
    )
    columns = [
        ("creator", "handle", "handle"),
        ("post", "post_id", "text"),
        ("status", "status", "text"),
        ("why", "reasons", "text"),
    ]
    return [
        shares,
        shown_frame(problems, columns)
        if len(problems)
        else note("Every sponsored post is disclosed in time."),
    ]


def top_and_bottom_posts(ctx: ReportContext, n: int = 3) -> list[object]:
    """The `n` posts with the most and the fewest engagements: caption excerpt and figures."""
    found = rf.post_ranking(campaign_posts(ctx), n)
    if isinstance(found, rf.Missing):
        return missing_note(found)
    columns = [
        ("post", "post_id", "text"),
        ("creator", "handle", "handle"),
        ("format", "format", "text"),
        ("posted", "posted", "text"),
        ("caption", "caption", "text"),
        ("engagements", "engagements", "count"),
        ("reach", "reach", "count"),
        ("link clicks", "link_clicks", "count"),
    ]
    top, bottom = found
    return [
        Html(f"<h3>Top {len(top)} by engagements</h3>"),
        shown_frame(top, columns),
        Html(f"<h3>Bottom {len(bottom)}</h3>"),
        shown_frame(bottom, columns) if len(bottom) else note("No other post."),
        note(rf.Missing("links to the posts", "a post URL column in posts.csv").sentence()),
    ]


def audience(ctx: ReportContext) -> list[object]:
    """Share of the reached audience in the campaign's target country and age band."""
    c = ctx.tables["campaigns"].set_index("campaign_id").loc[ctx.campaign_id]
    found = rf.audience_vs_target(
        ctx.tables["audience"], campaign_posts(ctx), c.get("target_country"), c.get("target_age")
    )
    if isinstance(found, rf.Missing):
        return missing_note(found)
    shown = found.assign(
        covered=[
            f"{a:,.0f} of {t:,.0f}" for a, t in zip(found["accounts"], found["accounts_total"], strict=True)
        ]
    )
    return [
        shown_frame(
            shown,
            [
                ("dimension", "dimension", "text"),
                ("target", "target", "text"),
                ("share of reach in the target", "share", "rate"),
                ("accounts with audience data", "covered", "text"),
            ],
        ),
        note(
            "Reach-weighted: each post's reach times its account's audience share in the target, over the "
            "reach of posts whose account has audience data (audience.csv, as the platform reports it)."
        ),
        note(
            "Audience credibility (real followers, reach-weighted over the posts' accounts): "
            f"{fmt(rf.audience_credibility(ctx.tables['accounts'], campaign_posts(ctx)), 'rate')}."
        ),
    ]


def comment_quality(ctx: ReportContext) -> list[object]:
    """Comments on the campaign's posts by kind: specific, generic, emoji, pod."""
    found = rf.comment_quality(ctx.tables["comments"], campaign_posts(ctx)["post_id"])
    if isinstance(found, rf.Missing):
        return missing_note(found)
    return [
        shown_frame(
            found,
            [("kind", "kind", "text"), ("comments", "comments", "count"), ("share", "share", "rate")],
        ),
        note(
            "specific: about the content or product; generic: could sit under any post; emoji: emoji only; "
            "pod: from engagement-pod accounts (data dictionary, comments.kind)."
        ),
    ]
