"""Module 05: the creative brief of one contracted creator rendered in Markdown (to copy) and HTML (to
preview), every typed value escaped, and the app that builds it. Its content comes from `analytics.briefs`."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from playbook.analytics.briefs import Sections, brief_content
from playbook.course.base import LABEL_STYLE, WidgetApp

__all__ = ["Brief", "BriefBuilderApp", "creative_brief"]

_URL = re.compile(r"https?://[^\s`]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!&~])")
_LIST_START = re.compile(r"^(\s*\d*)([-+=.)])")  # a line start that Markdown would read as a list or rule


def _md(text: object) -> str:
    """Text safe inside Markdown: URLs as code spans (copied verbatim), every other Markdown or HTML special
    character backslash-escaped (CommonMark escapes any ASCII punctuation), so typed text stays text."""
    parts, last = [], 0
    raw = str(text)
    for m in _URL.finditer(raw):
        parts += [_MD_SPECIAL.sub(r"\\\1", raw[last : m.start()]), f"`{m.group()}`"]
        last = m.end()
    parts.append(_MD_SPECIAL.sub(r"\\\1", raw[last:]))
    return _LIST_START.sub(r"\1\\\2", "".join(parts))


@dataclass(frozen=True)
class Brief:
    """A creative brief in two renderings of the same sections: ``markdown`` to copy, ``html`` to preview."""

    campaign_id: str
    creator_id: str
    sections: Sections
    markdown: str
    html: str


def creative_brief(
    tables: Mapping[str, pd.DataFrame],
    campaign_id: str,
    creator_id: str,
    key_messages: Iterable[str] | str = (),
    must_haves: Iterable[str] | str = (),
    no_gos: Iterable[str] | str = (),
) -> Brief:
    """A creative brief for one contracted creator (`analytics.briefs.brief_content`: what it says and where
    each fact comes from), in Markdown and HTML. Every value is escaped in both renderings, so text typed by
    a learner cannot inject HTML or Markdown."""
    content = brief_content(tables, campaign_id, creator_id, key_messages, must_haves, no_gos)
    title, sections = content.title, content.sections
    return Brief(
        campaign_id, creator_id, sections, _brief_markdown(title, sections), _brief_html(title, sections)
    )


def _brief_markdown(title: str, sections: Sections) -> str:
    """Markdown: a title, one ## heading per section and a bullet per line, every text escaped (`_md`)."""
    out = [f"# {_md(title)}"]
    for heading, items in sections:
        out += ["", f"## {_md(heading)}", "", *[f"- {_md(i)}" for i in items]]
    return "\n".join(out) + "\n"


def _brief_html(title: str, sections: Sections) -> str:
    """HTML of the same sections, every text escaped with `html.escape`."""
    out = [f"<h3>{html.escape(title)}</h3>"]
    for heading, items in sections:
        out.append(f"<h4>{html.escape(heading)}</h4><ul>")
        out += [f"<li>{html.escape(i)}</li>" for i in items]
        out.append("</ul>")
    return "".join(out)


class BriefBuilderApp(WidgetApp):
    """Pick a campaign and a contracted creator, type key messages, must-haves and no-gos, build the brief.

    `.brief` holds the last `Brief`; `.preview` shows its HTML and `.copy_box` its Markdown to copy.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], campaign_id: str | None = None) -> None:
        self.tables = tables
        campaigns = tables["campaigns"]
        options = [
            (f"{n} ({c})", c) for c, n in zip(campaigns["campaign_id"], campaigns["name"], strict=True)
        ]
        self.campaign = widgets.Dropdown(
            options=options,
            value=campaign_id or options[0][1],
            description="Campaign",
            style=LABEL_STYLE,
        )
        self.creator = widgets.Dropdown(description="Creator", style=LABEL_STYLE)
        area = {"layout": {"width": "32%", "height": "90px"}}
        self.key_messages = widgets.Textarea(placeholder="Key messages, one per line", **area)
        self.must_haves = widgets.Textarea(placeholder="Must-haves, one per line", **area)
        self.no_gos = widgets.Textarea(placeholder="No-gos, one per line", **area)
        self.build_button = widgets.Button(description="Build brief", button_style="primary")
        self.preview = widgets.HTML()
        self.copy_box = widgets.Textarea(layout={"width": "100%", "height": "220px"})
        self.campaign.observe(lambda _: self._creators(), names="value")
        self.build_button.on_click(lambda _: self.build())
        self._creators()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.campaign, self.creator]),
                widgets.HBox([self.key_messages, self.must_haves, self.no_gos]),
                self.build_button,
                self.preview,
                widgets.HTML("<b>Markdown to copy</b>"),
                self.copy_box,
            ]
        )
        self.build()

    def _creators(self) -> None:
        contracts = self.tables["contracts"]
        ids = contracts.loc[contracts["campaign_id"] == self.campaign.value, "creator_id"]
        handles = self.tables["creators"].set_index("creator_id")["handle"]
        self.creator.options = [(f"@{handles.get(i, i)}", i) for i in ids]
        self.creator.value = ids.iloc[0] if len(ids) else None

    def build(self) -> Brief | None:
        """Build the brief for the current choices and show it; None when the campaign has no contract."""
        if self.creator.value is None:
            self.brief = None
            self.preview.value = "<p>This campaign has no contracted creator yet.</p>"
            self.copy_box.value = ""
            return None
        self.brief = creative_brief(
            self.tables,
            self.campaign.value,
            self.creator.value,
            self.key_messages.value,
            self.must_haves.value,
            self.no_gos.value,
        )
        self.preview.value = self.brief.html
        self.copy_box.value = self.brief.markdown
        return self.brief
