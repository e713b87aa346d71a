"""Capstone step 5: the one-page team playbook: render it (HTML or Markdown, learner text escaped), save it
atomically, and the builder app."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from playbook.analytics.campaign_plan import (
    ACTIVITIES,
    HOLDOUT_PLANS,
    REVIEW_CADENCES,
    ROLES,
    CampaignPlan,
    PlaybookChoices,
    playbook_warnings,
)
from playbook.analytics.kpis import OBJECTIVE_KPIS
from playbook.analytics.planning import OBJECTIVES
from playbook.analytics.vetting import SUSPECTED_BELOW
from playbook.course.base import LABEL_STYLE
from playbook.course.base import fmt as _fmt
from playbook.data.io import atomic_write_text

Tables = Mapping[str, pd.DataFrame]

Sections = list[tuple[str, list[tuple[str, str]]]]  # (heading, [(label, text)]) of the playbook page
REPORT_DIR: Path = Path.cwd() / "reports" / "capstone"  # beside the notebook JupyterLab runs; git-ignored
_DEFAULT_ACCOUNTABLE = ("head of influencer",) * 2 + ("campaign manager",) * 3 + ("analyst",) * 2
_WIDE = {"width": "600px"}  # layout of text fields

__all__ = ["REPORT_DIR", "PlaybookBuilder", "plan_figures", "render_playbook", "save_text_atomically"]


def _md(text: object) -> str:
    """Text safe to put in Markdown: HTML special characters as entities (so no tag survives), the
    characters that start emphasis, code, links, images, headings or tables backslash-escaped, and line
    breaks kept as Markdown hard breaks."""
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_\[\]{}#|!~])", r"\\\1", escaped).replace("\n", "  \n")


def _sections(choices: PlaybookChoices, figures: Mapping[str, str]) -> Sections:
    """The document as (heading, [(label, text)]) in reading order; text is raw (escaped when rendered)."""
    c = choices
    roles = [
        (a, f"A: {c.accountable.get(a) or 'nobody'}; R: {c.responsible.get(a) or 'nobody'}")
        for a in ACTIVITIES
    ]
    weights = ", ".join(f"{k} {v:.2f}" for k, v in c.fit_weights.items()) or "default weights"
    holdout = (
        "no holdout: returns are attributed, not proven incremental"
        if c.holdout_plan == "no holdout"
        else f"{c.holdout_plan}, {c.holdout_share:.0%} held out for {c.holdout_days} days"
    )
    return [
        (
            "1. Strategy (job 1)",
            [
                ("Goals", c.goals or "(not written yet)"),
                ("Objective", c.objective),
                ("KPIs", ", ".join(c.kpis) or "(none chosen)"),
                ("With paid ads and PR", c.paid_and_pr or "(not written yet)"),
            ],
        ),
        ("2. Team and roles (RACI summary)", roles),
        (
            "3. Vetting rules (job 2)",
            [
                ("Audience quality", f"worst account scores at least {c.min_quality:.0f} of 100"),
                ("Brand fit", f"at least {c.min_fit:.0f} of 100; {weights}"),
            ],
        ),
        (
            "4. Outreach and relationships (job 3)",
            [
                (
                    "Cadence",
                    f"{c.follow_ups} follow-up(s), {c.follow_up_days} days apart; up to "
                    f"{c.new_messages_per_day} new creators a day; "
                    f"{'personalised' if c.personalised else 'template'} first message",
                ),
                ("Long-term relationships", c.relationship_notes or "(not written yet)"),
            ],
        ),
        (
            "5. Approval and payment (job 2)",
            [
                (
                    "Draft review",
                    f"within {c.approval_days} working days, at most {c.max_revisions} revision rounds",
                ),
                (
                    "Payment",
                    f"{c.upfront_share:.0%} on signing, the rest {c.payment_days} days after invoice",
                ),
            ],
        ),
        (
            "6. Measurement (job 4)",
            [
                (
                    "Attribution",
                    f"creator code first, else tracked link within {c.attribution_window_days} days",
                ),
                ("Incrementality", holdout),
            ],
        ),
        (
            "7. Trend watch (job 5)",
            [
                ("Review", c.trend_cadence),
                ("Trend to test next", c.trend_to_test or "(none chosen)"),
                ("Notes", c.trend_notes or "(not written yet)"),
            ],
        ),
        ("8. Figures from our plan", list(figures.items())),
    ]


_STYLE = (
    "body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.4}"
    "th{text-align:left;vertical-align:top;padding-right:1em;width:14em}h2{margin-top:1.2em}"
)
_NO_WARNINGS = ["No conflicts found."]


def _playbook_markdown(title: str, sections: Sections, warnings: list[str]) -> str:
    lines = [f"# {_md(title)}: team playbook", ""]
    for heading, items in sections:
        lines += [f"## {_md(heading)}", ""] + [f"- **{_md(k)}:** {_md(v)}" for k, v in items] + [""]
    lines += ["## Check before you adopt it", ""] + [f"- {_md(w)}" for w in warnings or _NO_WARNINGS]
    return "\n".join(lines) + "\n"


def _playbook_html(title: str, sections: Sections, warnings: list[str]) -> str:
    esc = html.escape
    body = [f"<h1>{esc(title)}: team playbook</h1>"]
    for heading, items in sections:
        rows = "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(v).replace(chr(10), '<br>')}</td></tr>" for k, v in items
        )
        body.append(f"<h2>{esc(heading)}</h2><table>{rows}</table>")
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings or _NO_WARNINGS)
    body.append(f"<h2>Check before you adopt it</h2><ul>{items}</ul>")
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )


def render_playbook(
    choices: PlaybookChoices, figures: Mapping[str, str] | None = None, fmt: str = "html"
) -> str:
    """The one-page team playbook as a standalone HTML page (`fmt="html"`) or Markdown (`fmt="markdown"`).

    Every piece of text the learner typed is escaped (HTML entities; Markdown punctuation backslashed), so
    it is shown as written and can never add markup or scripts. Warnings from `playbook_warnings` close
    the page.
    """
    if fmt not in ("html", "markdown"):
        raise ValueError(f"fmt must be 'html' or 'markdown'; got {fmt!r}")
    sections, warnings = _sections(choices, dict(figures or {})), playbook_warnings(choices)
    write = _playbook_markdown if fmt == "markdown" else _playbook_html
    return write(choices.team_name, sections, warnings)


def save_text_atomically(path: str | Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` through a temporary file in the same directory, then rename: the file
    is either the old one or the complete new one, never half written. Creates missing directories."""
    return atomic_write_text(Path(path).expanduser().resolve(), text)


def plan_figures(
    plan: CampaignPlan,
    expected: pd.DataFrame,
    outreach: Mapping[str, Any] | None = None,
    shortlisted: int | None = None,
    comparison: pd.DataFrame | None = None,
    report: Any = None,
) -> dict[str, str]:
    """The figures of the learner's plan for the playbook, as label -> text (all computed, none typed)."""
    out = {
        "Brand / objective": f"{plan.brand_id} / {plan.objective}",
        "Budget": f"{plan.budget:,.0f} USD on {', '.join(plan.platforms)} (tiers: {plan.preset})",
    }
    for metric in ("impressions", "engagements", "clicks", "conversions"):
        r = expected.loc[metric]
        out[f"Forecast {metric}"] = f"{r['low']:,.0f} to {r['high']:,.0f} (typical {r['typical']:,.0f})"
    if outreach is not None:
        out["Outreach"] = (
            f"{outreach['messages_to_send']} messages to sign {outreach['target_creators']} creators "
            f"(about {outreach['sending_days']} working days of sending)"
        )
    if shortlisted is not None:
        out["Shortlist"] = f"{shortlisted} creators pass the vetting rules"
    if comparison is not None:
        cur = comparison.attrs.get("actual_currency", "")
        cid = comparison.attrs.get("campaign_id", "")
        for r in comparison.itertuples():
            out[f"{r.kpi}: plan vs {cid}"] = (
                f"plan {r.plan_low:,.2f}-{r.plan_high:,.2f} USD; actual {_fmt(r.actual)} {cur} ({r.verdict})"
            )
    if report is not None:
        out["Campaign report"] = str(report.html_path) if report.ok else f"failed: {report.error}"
    return out


class PlaybookBuilder:
    """Step 5: the one-page team playbook. Text areas and dropdowns for every choice; "Build" renders the
    document (`.document_html`, `.document_markdown`, previewed in `.preview`), "Save" writes it to the
    path in `.path` (`.html` or `.md`) atomically and reports in `.status`.

    Defaults are those of `PlaybookChoices` (published figures from the registry, and our starting
    follow-up cadence), with the fit weights and floors of the earlier steps; a geo holdout is proposed.
    """

    def __init__(
        self,
        figures: Mapping[str, str] | None = None,
        *,
        objective: str = "conversion",
        fit_weights: Mapping[str, float] | None = None,
        min_quality: float = SUSPECTED_BELOW,
        min_fit: float | None = None,
        trends: Sequence[str] = (),
        path: str | Path = REPORT_DIR / "team_playbook.html",
    ) -> None:
        defaults = PlaybookChoices()
        self.figures = dict(figures or {})
        self.fit_weights = dict(fit_weights or defaults.fit_weights)
        self._strategy_controls(objective)
        self._role_controls()
        floor = defaults.min_fit if min_fit is None else min_fit
        self.min_quality = widgets.FloatSlider(
            value=min_quality,
            min=0,
            max=100,
            step=1,
            description="Quality floor",
            style=LABEL_STYLE,
        )
        self.min_fit = widgets.FloatSlider(
            value=floor,
            min=0,
            max=100,
            step=1,
            description="Fit floor",
            style=LABEL_STYLE,
        )
        self._outreach_controls(defaults)
        self._terms_controls(defaults)
        self._measurement_controls(defaults, trends)
        self.path = widgets.Text(value=str(path), description="Save to", style=LABEL_STYLE, layout=_WIDE)
        self.build_button = widgets.Button(description="Build", button_style="primary")
        self.save_button = widgets.Button(description="Save")
        self.status = widgets.HTML()
        self.preview = widgets.HTML()
        self.build_button.on_click(lambda _: self.build())
        self.save_button.on_click(lambda _: self._on_save())
        self.widget = self._layout()
        self.build()

    def _strategy_controls(self, objective: str) -> None:
        self.team_name = widgets.Text(
            value="Our influencer team",
            description="Team",
            style=LABEL_STYLE,
            layout=_WIDE,
        )
        self.goals = widgets.Textarea(
            description="Goals",
            style=LABEL_STYLE,
            placeholder="Business goals this programme serves",
            layout=_WIDE,
        )
        self.objective = widgets.Dropdown(
            options=list(OBJECTIVES),
            value=objective,
            description="Objective",
            style=LABEL_STYLE,
        )
        all_kpis = list(dict.fromkeys(k for ks in OBJECTIVE_KPIS.values() for k in ks))
        self.kpis = widgets.SelectMultiple(
            options=all_kpis,
            value=OBJECTIVE_KPIS[objective],
            description="KPIs",
            style=LABEL_STYLE,
        )
        self.paid_and_pr = widgets.Textarea(
            description="Paid & PR",
            style=LABEL_STYLE,
            placeholder="How creator work feeds paid ads and PR",
            layout=_WIDE,
        )

    def _role_controls(self) -> None:
        self.accountable = {
            a: widgets.Dropdown(
                options=["", *ROLES], value=r, description=a, style={"description_width": "14em"}
            )
            for a, r in zip(ACTIVITIES, _DEFAULT_ACCOUNTABLE, strict=True)
        }
        self.responsible = {
            a: widgets.Dropdown(options=["", *ROLES], value="", description="R", style=LABEL_STYLE)
            for a in ACTIVITIES
        }

    def _outreach_controls(self, d: PlaybookChoices) -> None:
        self.follow_ups = widgets.IntSlider(
            value=d.follow_ups, min=0, max=4, description="Follow-ups", style=LABEL_STYLE
        )
        self.follow_up_days = widgets.IntSlider(
            value=d.follow_up_days,
            min=1,
            max=14,
            description="Days apart",
            style=LABEL_STYLE,
        )
        self.new_per_day = widgets.IntSlider(
            value=d.new_messages_per_day,
            min=1,
            max=100,
            description="New per day",
            style=LABEL_STYLE,
        )
        self.personalised = widgets.Checkbox(
            value=d.personalised,
            description="Personalised first message",
            style=LABEL_STYLE,
        )
        self.relationships = widgets.Textarea(
            description="Relationships",
            style=LABEL_STYLE,
            placeholder="How you keep creators for the long term",
            layout=_WIDE,
        )

    def _terms_controls(self, d: PlaybookChoices) -> None:
        self.approval_days = widgets.IntSlider(
            value=d.approval_days,
            min=1,
            max=14,
            description="Review days",
            style=LABEL_STYLE,
        )
        self.max_revisions = widgets.IntSlider(
            value=d.max_revisions,
            min=0,
            max=6,
            description="Max revisions",
            style=LABEL_STYLE,
        )
        self.payment_days = widgets.IntSlider(
            value=d.payment_days,
            min=0,
            max=120,
            description="Pay (days)",
            style=LABEL_STYLE,
        )
        self.upfront = widgets.FloatSlider(
            value=d.upfront_share,
            min=0,
            max=1,
            step=0.05,
            description="Upfront share",
            style=LABEL_STYLE,
            readout_format=".0%",
        )

    def _measurement_controls(self, d: PlaybookChoices, trends: Sequence[str]) -> None:
        self.window = widgets.IntSlider(
            value=d.attribution_window_days,
            min=1,
            max=90,
            description="Window (days)",
            style=LABEL_STYLE,
        )
        self.holdout_plan = widgets.Dropdown(
            options=list(HOLDOUT_PLANS),
            value="geo holdout",
            description="Holdout",
            style=LABEL_STYLE,
        )
        self.holdout_share = widgets.FloatSlider(
            value=d.holdout_share,
            min=0,
            max=0.5,
            step=0.01,
            description="Held out",
            style=LABEL_STYLE,
            readout_format=".0%",
        )
        self.holdout_days = widgets.IntSlider(
            value=d.holdout_days,
            min=7,
            max=90,
            description="Holdout days",
            style=LABEL_STYLE,
        )
        self.trend_cadence = widgets.Dropdown(
            options=list(REVIEW_CADENCES), description="Trend review", style=LABEL_STYLE
        )
        self.trend_to_test = widgets.Dropdown(
            options=["", *trends], value="", description="Test next", style=LABEL_STYLE
        )
        self.trend_notes = widgets.Textarea(
            description="Trend notes",
            style=LABEL_STYLE,
            placeholder="Sources, who watches, how",
            layout=_WIDE,
        )

    def _layout(self) -> widgets.Widget:
        roles = [widgets.HBox([self.accountable[a], self.responsible[a]]) for a in ACTIVITIES]
        sections = {
            "1. Strategy": [self.team_name, self.goals, self.objective, self.kpis, self.paid_and_pr],
            "2. Team and roles (A = accountable, R = responsible)": roles,
            "3. Vetting rules": [self.min_quality, self.min_fit],
            "4. Outreach and relationships": [
                self.follow_ups,
                self.follow_up_days,
                self.new_per_day,
                self.personalised,
                self.relationships,
            ],
            "5. Approval and payment": [
                self.approval_days,
                self.max_revisions,
                self.payment_days,
                self.upfront,
            ],
            "6. Measurement": [self.window, self.holdout_plan, self.holdout_share, self.holdout_days],
            "7. Trend watch": [self.trend_cadence, self.trend_to_test, self.trend_notes],
        }
        accordion = widgets.Accordion(
            children=[widgets.VBox(v) for v in sections.values()], titles=tuple(sections)
        )
        buttons = widgets.HBox([self.build_button, self.path, self.save_button])
        return widgets.VBox([accordion, buttons, self.status, self.preview])

    def choices(self) -> PlaybookChoices:
        """The current values of every control."""
        return PlaybookChoices(
            team_name=self.team_name.value,
            goals=self.goals.value,
            objective=self.objective.value,
            kpis=tuple(self.kpis.value),
            paid_and_pr=self.paid_and_pr.value,
            accountable={a: w.value for a, w in self.accountable.items()},
            responsible={a: w.value for a, w in self.responsible.items()},
            min_quality=float(self.min_quality.value),
            min_fit=float(self.min_fit.value),
            fit_weights=self.fit_weights,
            follow_ups=int(self.follow_ups.value),
            follow_up_days=int(self.follow_up_days.value),
            new_messages_per_day=int(self.new_per_day.value),
            personalised=bool(self.personalised.value),
            relationship_notes=self.relationships.value,
            approval_days=int(self.approval_days.value),
            max_revisions=int(self.max_revisions.value),
            payment_days=int(self.payment_days.value),
            upfront_share=float(self.upfront.value),
            attribution_window_days=int(self.window.value),
            holdout_plan=self.holdout_plan.value,
            holdout_share=float(self.holdout_share.value),
            holdout_days=int(self.holdout_days.value),
            trend_cadence=self.trend_cadence.value,
            trend_to_test=self.trend_to_test.value,
            trend_notes=self.trend_notes.value,
        )

    def build(self) -> None:
        """Render the document from the current choices and preview it."""
        chosen = self.choices()
        self.warnings = playbook_warnings(chosen)
        self.document_html = render_playbook(chosen, self.figures, "html")
        self.document_markdown = render_playbook(chosen, self.figures, "markdown")
        body = re.search(r"<body>(.*)</body>", self.document_html, re.S)
        self.preview.value = body.group(1) if body else ""
        self.status.value = f"Built: {len(self.warnings)} point(s) to check at the end of the page."

    def save(self, path: str | Path | None = None) -> Path:
        """Build, then write the page to `path` (default `.path`): `.md` as Markdown, else `.html`."""
        target = Path(path or self.path.value)
        if target.suffix.lower() not in (".html", ".htm", ".md"):
            raise ValueError(f"save as .html or .md; got {target.name!r}")
        self.build()
        text = self.document_markdown if target.suffix.lower() == ".md" else self.document_html
        return save_text_atomically(target, text)

    def _on_save(self) -> None:
        try:
            written = self.save()
        except (OSError, ValueError) as err:
            self.status.value = f"<b>Not saved:</b> {html.escape(str(err))}"
            return
        self.status.value = f"Saved to <code>{html.escape(str(written))}</code>."

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)
