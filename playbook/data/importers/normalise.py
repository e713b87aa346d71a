"""Cell-level normalisation of an import: stable generated ids, handles from links, platform and format
words, numbers."""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from playbook.data.schemas import ALL_PLATFORMS, FORMATS

__all__ = ["as_float", "clean_handle", "format_name", "last_part", "platform_name", "stable_id"]

_PLATFORM_WORDS = {
    "ig": "instagram",
    "insta": "instagram",
    "tt": "tiktok",
    "tik tok": "tiktok",
    "yt": "youtube",
    "youtube shorts": "youtube",
    "twitter": "x",
    "twitter/x": "x",
    "x (twitter)": "x",
    "fb": "facebook",
    "meta": "facebook",
    "pin": "pinterest",
    "snap": "snapchat",
    "linked in": "linkedin",
}


def stable_id(prefix: str, *key: object) -> str:
    """A stable generated id: prefix, `-g` and 8 hex digits of a hash of the natural key."""
    digest = hashlib.sha1("|".join(str(k) for k in key).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-g{digest}"


def clean_handle(text: object) -> str:
    """A handle without @, URL or surrounding spaces (`https://www.tiktok.com/@ana/video/1` -> ana)."""
    t = str(text).strip()
    if m := re.search(r"/@([^/?#\s]+)", t):
        return m[1]
    if "/" in t:
        t = [p for p in re.split(r"[/?#]", t.split("://", 1)[-1]) if p][-1] if t.strip("/") else ""
    return t.lstrip("@").strip()


def last_part(url: object) -> str | None:
    """The last path segment of a URL (a TikTok video id), or None."""
    if url is None or pd.isna(url):
        return None
    parts = [p for p in re.split(r"[/?#]", str(url).split("://", 1)[-1].split("?", 1)[0]) if p]
    return parts[-1] if parts else None


def platform_name(text: str) -> str | None:
    """The contract's platform for a platform word (`IG` -> instagram, `Twitter` -> x); "other" for an
    unknown network, None for an empty cell."""
    t = str(text).strip().lower()
    if t == "" or t in ("nan", "none"):
        return None
    t = _PLATFORM_WORDS.get(t, t)
    return t if t in ALL_PLATFORMS else "other"


def as_float(value: object) -> float | None:
    """A parsed number as a float; None when unknown (None or NaN)."""
    return None if value is None or pd.isna(value) else float(value)


def format_name(text: object, formats: dict[str, str]) -> str | None:
    """The contract's format for a format word, through a preset's `formats` map; None when empty or not a
    contract format."""
    if text is None or pd.isna(text) or not str(text).strip():
        return None
    t = str(text).strip().lower()
    t = formats.get(t, t)
    return t if t in FORMATS else None
