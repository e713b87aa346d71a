"""The entities an import finds across its sources (creators, accounts, campaigns, contracts, posts, codes,
links, reported results, orders), keyed by natural keys, one `add_<shape>` per preset shape."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.importers.normalise import as_float, clean_handle, format_name, last_part, platform_name
from playbook.data.importers.reading import ImportInputError
from playbook.data.importers.records import ImportLog, ImportOptions
from playbook.data.importers.source import ParsedSource
from playbook.data.vocab import country_code

__all__ = ["Entities"]

# YouTube Shorts can be up to 3 minutes (YouTube, 15 Oct 2024), so only a longer video is surely long-form.
_SHORTS_MAX_SECONDS = 180


class Entities:
    """The entities found across sources, keyed by natural keys, before they become contract rows."""

    def __init__(self, options: ImportOptions, log: ImportLog) -> None:
        self.options, self.log = options, log
        self.creators: dict[str, dict[str, object]] = {}
        self.accounts: dict[tuple[str, str], dict[str, object]] = {}
        self.campaigns: dict[str, dict[str, object]] = {}
        self.contracts: dict[tuple[str, str], dict[str, object]] = {}
        self.posts: list[dict[str, object]] = []
        self.tracker_posts: list[dict[str, object]] = []
        self.codes: dict[str, dict[str, object]] = {}
        self.links: dict[tuple[str, str], dict[str, object]] = {}
        self.reported: dict[tuple[str, str], dict[str, object]] = {}
        self.orders: list[dict[str, object]] = []
        self.brands: set[str] = set()

    # -- entities
    def creator(self, handle: str, country: object = None, niche: object = None) -> str:
        key = handle.lower()
        row = self.creators.setdefault(
            key, {"handle": handle, "country": None, "niche": None, "topics": None}
        )
        if country is not None and not pd.isna(country):
            code = country_code(str(country))
            warning = f"creator {handle}: country {country!r} is not an ISO 3166 country; left unknown"
            if code is None and warning not in self.log.warnings:
                self.log.warnings.append(warning)
            row["country"] = code or row["country"]
        if niche is not None and not pd.isna(niche) and str(niche).strip():
            row["niche"] = str(niche).strip().lower()
        return key

    def account(self, handle: str, platform: str, **values: object) -> tuple[str, str]:
        key = (handle.lower(), platform)
        row = self.accounts.setdefault(key, {"handle": handle})
        for k, v in values.items():
            if v is not None and not pd.isna(v):
                row[k] = v
        return key

    def campaign(self, name: str | None, brand: str | None) -> str:
        name = name or self.options.campaign
        if not name:
            raise ImportInputError("the data names no campaign: pass --campaign NAME")
        brand = brand or self.options.brand
        if not brand:
            brand = "brand not named"
            self.log.defaults["brands.name"] = "the data names no brand and --brand was not given"
        self.brands.add(brand)
        self.campaigns.setdefault(name, {"brand": brand, "currency": None, "dates": []})
        return name

    # -- shapes
    def add_tracker(self, s: ParsedSource) -> None:
        for i in range(s.n):
            handle = clean_handle(s.get("handle")[i] or s.get("creator_name")[i] or "")
            if not handle:
                self.log.warnings.append(f"{s.name} row {i + 1}: no handle or creator name; row skipped")
                continue
            platform = platform_name(s.get("platform")[i] or "") or "other"
            cid = self.campaign(s.get("campaign")[i], s.get("brand")[i])
            camp = self.campaigns[cid]
            if s.get("currency")[i]:
                camp["currency"] = str(s.get("currency")[i]).strip().upper()
            for d in ("start_date", "end_date", "posted_at"):
                if not pd.isna(s.get(d)[i]):
                    camp["dates"].append(s.get(d)[i])
            creator = self.creator(handle, s.get("country")[i], s.get("niche")[i])
            account = self.account(handle, platform, followers=s.get("followers")[i])
            contract = self.contracts.setdefault(
                (cid, creator), {"account": account, "fee": 0.0, "product_value": 0.0, "posts": 0.0}
            )
            for k in ("fee", "product_value", "posts"):
                v = as_float(s.get(k)[i]) if s.has(k) else None
                contract[k] = None if v is None or contract[k] is None else contract[k] + v
            code = s.get("code")[i]
            if code:
                self.codes[str(code).strip().upper()] = {"campaign": cid, "creator": creator}
            if any(s.has(u) for u in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "link")):
                self.links[(cid, creator)] = {
                    u: s.get(u)[i]
                    for u in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "link")
                }
            rep = self.reported.setdefault(
                (cid, creator), {"clicks": 0.0, "conversions": 0.0, "revenue": 0.0}
            )
            for k, f in (("clicks", "clicks"), ("conversions", "orders"), ("revenue", "revenue")):
                v = as_float(s.get(f)[i]) if s.has(f) else None
                rep[k] = None if v is None or rep[k] is None else rep[k] + v
            metrics = {
                k: as_float(s.get(k)[i])
                for k in ("likes", "comments", "shares", "saves", "views", "reach", "impressions")
            }
            metrics["link_clicks"] = as_float(s.get("clicks")[i])
            self.tracker_posts.append(
                {
                    "row": i + 1,
                    "file": s.name,
                    "campaign": cid,
                    "creator": creator,
                    "account": account,
                    "platform": platform,
                    "format": format_name(s.get("format")[i], {}),
                    "posted_at": s.get("posted_at")[i],
                    **metrics,
                }
            )

    def add_creators(self, s: ParsedSource) -> None:
        for i in range(s.n):
            handle = clean_handle(s.get("handle")[i] or "")
            if not handle:
                self.log.warnings.append(f"{s.name} row {i + 1}: no handle; row skipped")
                continue
            platform = platform_name(s.get("platform")[i] or "") or s.preset.platform or "other"
            self.creator(handle, s.get("country")[i], s.get("niche")[i])
            self.account(
                handle,
                platform,
                followers=s.get("followers")[i],
                following=s.get("following")[i],
                posts_count=s.get("posts_count")[i],
                audience_credibility=s.get("credibility")[i],
            )

    def add_posts(self, s: ParsedSource) -> None:
        p = s.preset
        if not s.has("handle"):
            if s.has("permalink") and s.get("permalink").str.contains("/@", regex=False).any():
                s.derive(
                    "handle",
                    s.get("permalink").map(lambda u: clean_handle(u) if u else None),
                    "from the link /@handle/",
                )
            elif self.options.handle:
                s.derive("handle", pd.Series([self.options.handle] * s.n), "from --handle")
            else:
                raise ImportInputError(f"{s.name}: the export names no account: pass --handle HANDLE")
        if not s.has("post_ref") and s.has("permalink"):
            s.derive("post_ref", s.get("permalink").map(last_part), "last part of the link")
        if p.platform == "youtube" and s.has("duration") and not s.has("format"):
            fmt = s.get("duration").map(
                lambda d: "long_video" if as_float(d) and d > _SHORTS_MAX_SECONDS else None
            )
            s.derive(
                "format",
                fmt,
                f"long_video when Duration > {_SHORTS_MAX_SECONDS} s, else unknown (Shorts run to 3 min)",
            )
        if p.platform == "tiktok" and not s.has("format"):
            s.derive("format", pd.Series(["short_video"] * s.n), "every TikTok post is a short_video")
        if s.has("posted_at") and s.get("posted_at").isna().any() and s.has("export_time"):
            self._year_from_export(s)
        cid = self.campaign(None, None) if self.options.campaign else None
        for i in range(s.n):
            handle = clean_handle(s.get("handle")[i] or "")
            if not handle:
                continue
            self.creator(handle)
            account = self.account(handle, p.platform or "other")
            fmt = format_name(s.get("format")[i], p.formats)
            views, impressions = as_float(s.get("views")[i]), as_float(s.get("impressions")[i])
            if p.platform == "instagram" and fmt is not None and fmt not in ("reel",) and views is not None:
                # Meta replaced impressions with views for every post type in 2025 (real-exports.md §1):
                # on a photo or carousel the number counts times shown, the contract's impressions.
                impressions, views = impressions if impressions is not None else views, 0.0
            if cid is not None:
                self.contracts.setdefault(
                    (cid, handle.lower()),
                    {"account": account, "fee": None, "product_value": None, "posts": None},
                )
                if not pd.isna(s.get("posted_at")[i]):
                    self.campaigns[cid]["dates"].append(s.get("posted_at")[i])
            self.posts.append(
                {
                    "ref": s.get("post_ref")[i],
                    "file": s.name,
                    "row": i + 1 + s.offset,
                    "campaign": cid,
                    "creator": handle.lower(),
                    "account": account,
                    "platform": p.platform or "other",
                    "format": fmt,
                    "posted_at": s.get("posted_at")[i],
                    "caption": s.get("caption")[i],
                    "likes": as_float(s.get("likes")[i]),
                    "comments": as_float(s.get("comments")[i]),
                    "shares": as_float(s.get("shares")[i]),
                    "saves": as_float(s.get("saves")[i]),
                    "views": views,
                    "reach": as_float(s.get("reach")[i]),
                    "impressions": impressions,
                    "link_clicks": as_float(s.get("link_clicks")[i]),
                    "provenance": p.provenance,
                }
            )

    def _year_from_export(self, s: ParsedSource) -> None:
        """TikTok writes `August 9` with no year: take the year of the export time, the year before when the
        month is after the export's month (real-exports.md §2)."""
        text, export = s.frame[s.header["posted_at"]].astype(str), s.get("export_time")
        fixed = s.get("posted_at").copy()
        for i in np.flatnonzero(fixed.isna().to_numpy() & export.notna().to_numpy()):
            try:
                stamp = pd.to_datetime(f"{text.iat[i].strip()} {export.iat[i].year}", format="%B %d %Y")
            except ValueError:
                continue
            if stamp > export.iat[i]:
                stamp = stamp.replace(year=stamp.year - 1)
            fixed.iat[i] = stamp
        recovered = int(fixed.notna().sum() - s.get("posted_at").notna().sum())
        if recovered:
            self.log.bad = [
                b for b in self.log.bad if not (b.file == s.name and b.column == s.header["posted_at"])
            ]
            s.derive("posted_at", fixed, f"{recovered} dates without a year: year of the export time (Time)")

    def add_orders(self, s: ParsedSource) -> None:
        lines = pd.DataFrame({k: s.get(k) for k in s.preset.columns})
        lines["order_ref"] = lines["order_ref"].ffill()
        first = lines.groupby("order_ref", sort=False).first()
        self.log.notes.append(
            f"{s.name}: {len(lines)} line-item rows, {len(first)} orders (order-level columns from each "
            "order's first row, as Shopify writes them)"
        )
        for ref, row in first.iterrows():
            self.orders.append({"ref": str(ref), "file": s.name, **row.to_dict()})
