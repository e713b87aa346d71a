"""Traditional channels next to influencer work (module 11): what each channel does, how influencer work
plugs into it, and what the registry says about trust in it.

`TRADITIONAL_CHANNELS` is our summary of practice (role and integration play); the trust figures are
Nielsen's Global Trust in Advertising survey 2015 by id (share of online respondents in 60 countries who
completely or somewhat trust the format). Channels the survey does not report keep an undefined trust
with the reason, never a zero.

    trust of a mix = sum(share x trust) / sum(share) over the channels with a figure
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from playbook.analytics.undefined import Undefined
from playbook.data.registry import benchmark

__all__ = ["TRADITIONAL_CHANNELS", "channel_table", "mix_trust"]

TRADITIONAL_CHANNELS: Mapping[str, tuple[str | None, str, str]] = {
    "tv": (
        "trust_tv_ads_nielsen_2015",
        "broad reach fast; builds awareness and memory",
        "creators extend a TV flight into social (same idea, their voice); cut-downs of creator content "
        "in the ad break; measure with a geo holdout that includes the TV regions",
    ),
    "newspaper": (
        "trust_newspaper_ads_nielsen_2015",
        "local and older audiences; offers and announcements",
        "a creator quote or face in the print ad (needs usage rights for print: all media)",
    ),
    "magazine": (
        "trust_magazine_ads_nielsen_2015",
        "niche readerships; long shelf life; premium look",
        "creator co-created shoots or editorials; the magazine's own creators as partners",
    ),
    "pr_editorial": (
        "trust_editorial_content_nielsen_2015",
        "earned coverage: credibility from a third party",
        "creators at launches and press events; one story told by press and creators on the same day",
    ),
    "out_of_home": (
        None,
        "billboards, transit, screens: reach in a place, repeated",
        "creator faces on posters (all-media usage), QR codes or creator codes on the poster, creators "
        "posting from the location",
    ),
    "events": (
        None,
        "experiences and sponsorships; content for every other channel",
        "creator meet-ups and live coverage; the event is the brief",
    ),
    "retail": (
        None,
        "where the sale happens: shelf, store, retailer's site",
        "creator codes valid in store, point-of-sale materials with creators, retailer co-funded campaigns "
        "measured on the retailer's sales data",
    ),
    "influencer": (
        None,
        "creators' own audiences; content the brand can reuse",
        "the channel this course is about: plan it with the others, not after them",
    ),
}
"""channel -> (trust benchmark id or None, what the channel does, how influencer work plugs in)."""


def channel_table() -> pd.DataFrame:
    """One row per channel: channel, role, influencer_link, trust (fraction; NaN when the survey has no
    figure), trust_source (benchmark id, or why the trust is missing)."""
    rows = []
    for channel, (bid, role, link) in TRADITIONAL_CHANNELS.items():
        trust = benchmark(bid).value if bid else Undefined(f"{channel}: not reported in Nielsen 2015")
        rows.append((channel, role, link, trust, bid or "not reported in Nielsen 2015"))
    return pd.DataFrame(rows, columns=["channel", "role", "influencer_link", "trust", "trust_source"])


def mix_trust(shares: Mapping[str, float]) -> dict[str, float]:
    """Budget-weighted trust of a channel mix and the share of the budget the survey cannot speak for.

    shares: channel -> budget share (any scale, >= 0). Returns trust (sum(share x trust) / sum(share) over
    channels with a figure; undefined when none has one or the shares are all 0) and share_without_figure
    (fraction of the total with no trust figure; undefined when the total is 0).
    """
    unknown = sorted(set(shares) - set(TRADITIONAL_CHANNELS))
    if unknown:
        raise ValueError(f"unknown channel(s) {unknown}; expected some of {list(TRADITIONAL_CHANNELS)}")
    if any(not math.isfinite(v) or v < 0 for v in shares.values()):
        raise ValueError(f"shares must be finite and >= 0; got {dict(shares)}")
    known = {c: s for c, s in shares.items() if TRADITIONAL_CHANNELS[c][0] is not None}
    total, known_total = sum(shares.values()), sum(known.values())
    if known_total > 0:
        trust = sum(s * benchmark(TRADITIONAL_CHANNELS[c][0]).value for c, s in known.items()) / known_total
    else:
        trust = Undefined("no budget on a channel with a trust figure")
    without = (total - known_total) / total if total > 0 else Undefined("the shares sum to 0")
    return {"trust": trust, "share_without_figure": without}
