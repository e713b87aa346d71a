"""Turn mapped exports into the contract's tables, and record everything done on the way (`ImportLog`).

The rules, so IMPORT.md can state them:
- a source header is *mapped* when a preset field accepts it, *dropped* otherwise; fields computed from
  other columns (a TikTok handle from the video link, a YouTube format from the duration) are *derived*;
- a contract column is *filled* from the data, *unknown* (left empty: the data lacks it) or *defaulted*
  (one value for every row, from a command option or the import's stated default);
- ids the data does not carry are generated from the row's natural key (a handle, a campaign name) with a
  hash, so the same input gives the same id; generated ids contain `-g` (`CR-g1a2b3c4d`);
- a tracker row becomes one post carrying the row's totals unless a post export of the same import covers
  that creator, platform and campaign (never counted twice); its orders and revenue go to
  `reported_results` (reported_by `tracker_sheet`), never invented as order lines.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from playbook.data.importers.presets import Preset
from playbook.data.importers.reading import ImportInputError, RawSource
from playbook.data.importers.values import parse_dates, parse_number, parse_share, unknown_mask
from playbook.data.schemas import ALL_PLATFORMS, FORMATS, ISO_CURRENCIES, OBJECTIVES, TABLES
from playbook.data.vocab import country_code

__all__ = ["BadValue", "ImportLog", "ImportOptions", "build_tables"]

_COUNTS = frozenset(
    {
        "views",
        "reach",
        "impressions",
        "likes",
        "comments",
        "shares",
        "saves",
        "clicks",
        "orders",
        "posts",
        "followers",
        "following",
        "posts_count",
        "link_clicks",
        "duration",
    }
)
_AMOUNTS = frozenset({"fee", "product_value", "revenue", "subtotal", "total"})
_SHARES = frozenset({"engagement_rate", "credibility"})
_DATES = frozenset({"posted_at", "start_date", "end_date", "ordered_at", "export_time"})
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
# YouTube Shorts can be up to 3 minutes (YouTube, 15 Oct 2024), so only a longer video is surely long-form.
_SHORTS_MAX_SECONDS = 180


@dataclass(frozen=True)
class ImportOptions:
    """Command options that fill what the exports lack (each use is reported as *defaulted*)."""

    campaign: str | None = None
    brand: str | None = None
    currency: str | None = None
    objective: str | None = None
    dayfirst: bool | None = None
    handle: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class BadValue:
    """A cell that could not be parsed: file, 1-based data row, source column, value and expectation."""

    file: str
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}, column {self.column!r}"
        return f"{where}: expected {self.expected}; got {self.value!r}"


@dataclass
class ImportLog:
    """What the import did, rendered by `importers.report.import_markdown`."""

    sources: list[dict[str, object]] = field(default_factory=list)
    columns: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, header, status, how
    bad: list[BadValue] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)  # "table.column" -> why
    derived: dict[str, str] = field(default_factory=dict)  # "table.column" -> from what
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generated: dict[str, str] = field(default_factory=dict)  # "table.column" -> natural key


def _gid(prefix: str, *key: object) -> str:
    """A stable generated id: prefix, `-g` and 8 hex digits of a hash of the natural key."""
    digest = hashlib.sha1("|".join(str(k) for k in key).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-g{digest}"


def _handle(text: object) -> str:
    """A handle without @, URL or surrounding spaces (`https://www.tiktok.com/@ana/video/1` -> ana)."""
    t = str(text).strip()
    if m := re.search(r"/@([^/?#\s]+)", t):
        return m[1]
    if "/" in t:
        t = [p for p in re.split(r"[/?#]", t.split("://", 1)[-1]) if p][-1] if t.strip("/") else ""
    return t.lstrip("@").strip()


def _last_part(url: object) -> str | None:
    """The last path segment of a URL (a TikTok video id), or None."""
    if url is None or pd.isna(url):
        return None
    parts = [p for p in re.split(r"[/?#]", str(url).split("://", 1)[-1].split("?", 1)[0]) if p]
    return parts[-1] if parts else None


def _platform(text: str) -> str | None:
    t = str(text).strip().lower()
    if t == "" or t in ("nan", "none"):
        return None
    t = _PLATFORM_WORDS.get(t, t)
    return t if t in ALL_PLATFORMS else "other"


class _Source:
    """One source with its headers matched to a preset's fields and its cells parsed."""

    def __init__(self, raw: RawSource, preset: Preset, options: ImportOptions, log: ImportLog) -> None:
        self.name, self.preset, self.log = raw.path.name, preset, log
        frame = raw.frame
        if preset.skip_first and len(frame) and str(frame.iat[0, 0]).strip() in preset.skip_first:
            frame = frame.iloc[1:]
            log.notes.append(
                f"{self.name}: first data row {str(raw.frame.iat[0, 0])!r} is a summary row, skipped"
            )
        self.offset = 1 if preset.skip_first and len(frame) != len(raw.frame) else 0
        self.frame = frame.reset_index(drop=True)
        lower = {c.strip().lower(): c for c in self.frame.columns}
        self.header: dict[str, str] = {}
        for name, accepted in preset.columns.items():
            found = next((lower[a.strip().lower()] for a in accepted if a.strip().lower() in lower), None)
            if found is not None and found not in self.header.values():
                self.header[name] = found
        for c in self.frame.columns:
            used = [k for k, v in self.header.items() if v == c]
            status = ("mapped", f"-> {used[0]}") if used else ("dropped", "no field of this shape")
            log.columns.append((self.name, c, *status))
        self.n = len(self.frame)
        self.dayfirst = options.dayfirst if options.dayfirst is not None else preset.dayfirst
        self.values: dict[str, pd.Series] = {}
        for name in self.header:
            self.values[name] = self._parse(name)

    def _bad(self, name: str, mask: np.ndarray, expected: str) -> None:
        column = self.header[name]
        for i in np.flatnonzero(mask):
            raw = str(self.frame[column].iat[i])
            self.log.bad.append(BadValue(self.name, int(i) + 1 + self.offset, column, raw, expected))

    def _parse(self, name: str) -> pd.Series:
        text = self.frame[self.header[name]].astype(str)
        if name in _COUNTS:
            values, bad = parse_number(text, whole=True)
            self._bad(name, bad, "a count such as 15000, 15,000 or 1.2K")
        elif name in _AMOUNTS:
            values, bad = parse_number(text)
            self._bad(name, bad, "an amount such as 2500, 2,500.00 or $2,500")
        elif name in _SHARES:
            values, bad = parse_share(text, self.preset.units.get(name, "auto"))
            self._bad(name, bad, "a rate such as 1.62%, 1.62 (percent) or 0.0162 (fraction)")
        elif name in _DATES:
            values, bad, order = parse_dates(text, self.dayfirst)
            column = self.header[name]
            if order.order == "ambiguous":
                self.log.warnings.append(
                    f"{self.name}, column {column!r}: day/month order ambiguous ({order.why}); its d/m/y "
                    "dates are left unknown and listed below"
                )
                self._bad(name, bad, "a date whose day/month order is known (--dayfirst or --monthfirst)")
            else:
                if order.order:
                    self.log.notes.append(
                        f"{self.name}, column {column!r}: dates read {order.order} ({order.why})"
                    )
                self._bad(name, bad, "a date such as 2026-05-10, 10/05/2026, 01-Jan-22 or Jan 6, 2024")
        else:
            values = text.str.strip().where(~unknown_mask(text))
        return values.reset_index(drop=True)

    def get(self, name: str) -> pd.Series:
        """The parsed column of field `name`, or an all-unknown column when the source lacks it."""
        if name in self.values:
            return self.values[name]
        return pd.Series([None] * self.n, dtype=object)

    def has(self, name: str) -> bool:
        return name in self.values

    def derive(self, name: str, values: pd.Series, how: str) -> None:
        """Record a field computed from other columns."""
        self.values[name] = values.reset_index(drop=True)
        self.log.columns.append((self.name, f"({name})", "derived", how))


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


class _World:
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
    def add_tracker(self, s: _Source) -> None:
        for i in range(s.n):
            handle = _handle(s.get("handle")[i] or s.get("creator_name")[i] or "")
            if not handle:
                self.log.warnings.append(f"{s.name} row {i + 1}: no handle or creator name; row skipped")
                continue
            platform = _platform(s.get("platform")[i] or "") or "other"
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
                v = _num(s.get(k)[i]) if s.has(k) else None
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
                v = _num(s.get(f)[i]) if s.has(f) else None
                rep[k] = None if v is None or rep[k] is None else rep[k] + v
            metrics = {
                k: _num(s.get(k)[i])
                for k in ("likes", "comments", "shares", "saves", "views", "reach", "impressions")
            }
            metrics["link_clicks"] = _num(s.get("clicks")[i])
            self.tracker_posts.append(
                {
                    "row": i + 1,
                    "file": s.name,
                    "campaign": cid,
                    "creator": creator,
                    "account": account,
                    "platform": platform,
                    "format": _format(s.get("format")[i], {}),
                    "posted_at": s.get("posted_at")[i],
                    **metrics,
                }
            )

    def add_creators(self, s: _Source) -> None:
        for i in range(s.n):
            handle = _handle(s.get("handle")[i] or "")
            if not handle:
                self.log.warnings.append(f"{s.name} row {i + 1}: no handle; row skipped")
                continue
            platform = _platform(s.get("platform")[i] or "") or s.preset.platform or "other"
            self.creator(handle, s.get("country")[i], s.get("niche")[i])
            self.account(
                handle,
                platform,
                followers=s.get("followers")[i],
                following=s.get("following")[i],
                posts_count=s.get("posts_count")[i],
                audience_credibility=s.get("credibility")[i],
            )

    def add_posts(self, s: _Source) -> None:
        p = s.preset
        if not s.has("handle"):
            if s.has("permalink") and s.get("permalink").str.contains("/@", regex=False).any():
                s.derive(
                    "handle",
                    s.get("permalink").map(lambda u: _handle(u) if u else None),
                    "from the link /@handle/",
                )
            elif self.options.handle:
                s.derive("handle", pd.Series([self.options.handle] * s.n), "from --handle")
            else:
                raise ImportInputError(f"{s.name}: the export names no account: pass --handle HANDLE")
        if not s.has("post_ref") and s.has("permalink"):
            s.derive("post_ref", s.get("permalink").map(_last_part), "last part of the link")
        if p.platform == "youtube" and s.has("duration") and not s.has("format"):
            fmt = s.get("duration").map(
                lambda d: "long_video" if _num(d) and d > _SHORTS_MAX_SECONDS else None
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
            handle = _handle(s.get("handle")[i] or "")
            if not handle:
                continue
            self.creator(handle)
            account = self.account(handle, p.platform or "other")
            fmt = _format(s.get("format")[i], p.formats)
            views, impressions = _num(s.get("views")[i]), _num(s.get("impressions")[i])
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
                    "likes": _num(s.get("likes")[i]),
                    "comments": _num(s.get("comments")[i]),
                    "shares": _num(s.get("shares")[i]),
                    "saves": _num(s.get("saves")[i]),
                    "views": views,
                    "reach": _num(s.get("reach")[i]),
                    "impressions": impressions,
                    "link_clicks": _num(s.get("link_clicks")[i]),
                    "provenance": p.provenance,
                }
            )

    def _year_from_export(self, s: _Source) -> None:
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

    def add_orders(self, s: _Source) -> None:
        lines = pd.DataFrame({k: s.get(k) for k in s.preset.columns})
        lines["order_ref"] = lines["order_ref"].ffill()
        first = lines.groupby("order_ref", sort=False).first()
        self.log.notes.append(
            f"{s.name}: {len(lines)} line-item rows, {len(first)} orders (order-level columns from each "
            "order's first row, as Shopify writes them)"
        )
        for ref, row in first.iterrows():
            self.orders.append({"ref": str(ref), "file": s.name, **row.to_dict()})


def _format(text: object, formats: dict[str, str]) -> str | None:
    if text is None or pd.isna(text) or not str(text).strip():
        return None
    t = str(text).strip().lower()
    t = formats.get(t, t)
    return t if t in FORMATS else None


def build_tables(
    sources: list[tuple[RawSource, Preset]], options: ImportOptions, log: ImportLog
) -> dict[str, pd.DataFrame]:
    """The contract tables (values typed, unknowns empty) built from every source; see the module rules."""
    world = _World(options, log)
    parsed = [_Source(raw, p, options, log) for raw, p in sources]
    order = {"tracker": 0, "creators": 1, "posts": 2, "orders": 3}
    for s in sorted(parsed, key=lambda s: order[s.preset.shape]):
        getattr(world, f"add_{s.preset.shape}")(s)
    if not world.campaigns:
        if options.campaign:
            world.campaign(None, None)
        else:
            raise ImportInputError("no campaign in the data: import a tracker sheet or pass --campaign NAME")
    return _Tables(world, options, log).build()


class _Tables:
    """Contract rows from the entities, with ids and the column statuses recorded in the log."""

    def __init__(self, world: _World, options: ImportOptions, log: ImportLog) -> None:
        self.w, self.options, self.log = world, options, log
        self.creator_id = {k: _gid("CR", k) for k in world.creators}
        self.account_id = {k: _gid("AC", *k) for k in world.accounts}
        self.campaign_id = {k: _gid("CP", k) for k in world.campaigns}
        self.brand_id = {k: _gid("BR", k) for k in world.brands}
        log.generated.update(
            {
                "creators.creator_id": "lower-case handle",
                "accounts.account_id": "handle and platform",
                "campaigns.campaign_id": "campaign name",
                "brands.brand_id": "brand name",
                "contracts.contract_id": "campaign and handle",
            }
        )

    def build(self) -> dict[str, pd.DataFrame]:
        out = {
            "creators": self.creators(),
            "accounts": self.accounts(),
            "brands": self.brands(),
            "campaigns": self.campaigns(),
            "contracts": self.contracts(),
            "posts": self.posts(),
        }
        if self.w.codes:
            out["promo_codes"] = self.codes()
        if self.w.links:
            out["tracking_links"] = self.links()
        if any(v is not None for r in self.w.reported.values() for v in r.values()):
            out["reported_results"] = self.reported()
        if self.w.orders:
            out["orders"] = self.orders(out.get("tracking_links"))
        return {name: _contract_frame(name, frame) for name, frame in out.items()}

    def creators(self) -> pd.DataFrame:
        rows = [{"creator_id": self.creator_id[k], **v} for k, v in self.w.creators.items()]
        return pd.DataFrame(rows)

    def accounts(self) -> pd.DataFrame:
        rows = [
            {"account_id": self.account_id[k], "creator_id": self.creator_id[k[0]], "platform": k[1], **v}
            for k, v in self.w.accounts.items()
        ]
        return pd.DataFrame(rows)

    def brands(self) -> pd.DataFrame:
        return pd.DataFrame([{"brand_id": self.brand_id[b], "name": b} for b in sorted(self.w.brands)])

    def campaigns(self) -> pd.DataFrame:
        rows = []
        money = bool(self.w.contracts) and any(
            c[k] is not None for c in self.w.contracts.values() for k in ("fee", "product_value")
        )
        for name, c in self.w.campaigns.items():
            currency = c["currency"] or self.options.currency
            if currency is None:
                if money:
                    raise ImportInputError(
                        f"campaign {name!r}: the data has amounts (fees) and no currency column: "
                        "pass --currency"
                    )
                currency = "USD"
                self.log.defaults["campaigns.currency"] = "USD: the data has no amounts and no currency"
            elif not c["currency"]:
                self.log.defaults["campaigns.currency"] = f"{currency} from --currency"
            if currency not in ISO_CURRENCIES:
                raise ImportInputError(f"campaign {name!r}: currency {currency!r} is not an ISO 4217 code")
            dates = pd.Series(c["dates"], dtype="datetime64[ns]").dropna()
            start = pd.Timestamp(self.options.start) if self.options.start else None
            end = pd.Timestamp(self.options.end) if self.options.end else None
            if start is None:
                if dates.empty:
                    raise ImportInputError(f"campaign {name!r}: no dates in the data: pass --start and --end")
                start = dates.min().normalize()
                self.log.derived.setdefault(
                    "campaigns.start_date", "the earliest date of the campaign's rows"
                )
            if end is None:
                end = dates.max().normalize() if not dates.empty else start
                self.log.derived.setdefault("campaigns.end_date", "the latest date of the campaign's rows")
            objective = self.options.objective
            if objective is None:
                objective = "conversion" if self.w.codes or self.w.orders else "awareness"
                self.log.defaults["campaigns.objective"] = (
                    f"{objective}: the data has {'' if objective == 'conversion' else 'no '}codes or orders "
                    "(set it with --objective)"
                )
            if objective not in OBJECTIVES:
                raise ImportInputError(
                    f"--objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}"
                )
            c["start"] = start
            rows.append(
                {
                    "campaign_id": self.campaign_id[name],
                    "brand_id": self.brand_id[c["brand"]],
                    "name": name,
                    "objective": objective,
                    "currency": currency,
                    "start_date": start,
                    "end_date": end,
                }
            )
        return pd.DataFrame(rows)

    def contracts(self) -> pd.DataFrame:
        rows = [
            {
                "contract_id": _gid("CT", cid, creator),
                "campaign_id": self.campaign_id[cid],
                "creator_id": self.creator_id[creator],
                "account_id": self.account_id[c["account"]],
                "fee": c["fee"],
                "product_value": c["product_value"],
                "deliverables_count": c["posts"],
            }
            for (cid, creator), c in self.w.contracts.items()
        ]
        return pd.DataFrame(rows)

    def posts(self) -> pd.DataFrame:
        covered = {(p["campaign"], p["creator"], p["platform"]) for p in self.w.posts if p["campaign"]}
        rows = []
        for p in self.w.posts:
            ref = p["ref"] if p["ref"] else f"{p['file']}:{p['row']}"
            rows.append(self._post(_gid("PO", p["platform"], ref), p))
        skipped = defaulted = 0
        for p in self.w.tracker_posts:
            if (p["campaign"], p["creator"], p["platform"]) in covered:
                skipped += 1
                continue
            metrics = ("likes", "comments", "shares", "saves", "views", "reach", "impressions", "link_clicks")
            if all(p[k] is None for k in metrics):
                continue
            if p["posted_at"] is None or pd.isna(p["posted_at"]):
                p = {**p, "posted_at": self.w.campaigns[p["campaign"]]["start"]}
                defaulted += 1
            p = {**p, "provenance": "self_reported", "caption": None}
            rows.append(self._post(_gid("PO", p["file"], p["row"]), p))
        if self.w.tracker_posts:
            self.log.notes.append(
                "each tracker row with metrics is one post row carrying the row's totals (the sheet has no "
                f"per-post split); {skipped} rows left out because a post export covers them"
            )
        if defaulted:
            self.log.defaults["posts.posted_at"] = (
                f"{defaulted} tracker rows without a posting date: campaign start"
            )
        self.log.generated["posts.post_id"] = "platform and the export's post id (else file and row)"
        return pd.DataFrame(rows)

    def _post(self, post_id: str, p: dict[str, object]) -> dict[str, object]:
        cid = p["campaign"]
        return {
            "post_id": post_id,
            "account_id": self.account_id[p["account"]],
            "platform": p["platform"],
            "format": p["format"],
            "posted_at": p["posted_at"],
            "sponsored": cid is not None,
            "campaign_id": self.campaign_id[cid] if cid else None,
            "caption": p["caption"],
            **{k: p[k] for k in ("likes", "comments", "shares", "saves", "views", "reach", "impressions")},
            "link_clicks": p["link_clicks"],
            "provenance": p.get("provenance", "measured"),
        }

    def codes(self) -> pd.DataFrame:
        rows = [
            {
                "code": code,
                "campaign_id": self.campaign_id[c["campaign"]],
                "creator_id": self.creator_id[c["creator"]],
                "sitewide": False,
            }
            for code, c in self.w.codes.items()
        ]
        self.log.defaults["promo_codes.sitewide"] = (
            "false: a code in a tracker row belongs to that row's creator"
        )
        return pd.DataFrame(rows)

    def links(self) -> pd.DataFrame:
        rows = [
            {
                "link_id": _gid("LK", cid, creator),
                "campaign_id": self.campaign_id[cid],
                "creator_id": self.creator_id[creator],
                "url": v["link"],
                **{u: v[u] for u in ("utm_source", "utm_medium", "utm_campaign", "utm_content")},
            }
            for (cid, creator), v in self.w.links.items()
        ]
        self.log.generated["tracking_links.link_id"] = "campaign and handle"
        return pd.DataFrame(rows)

    def reported(self) -> pd.DataFrame:
        rows = [
            {
                "campaign_id": self.campaign_id[cid],
                "creator_id": self.creator_id[creator],
                "reported_by": "tracker_sheet",
                **v,
            }
            for (cid, creator), v in self.w.reported.items()
        ]
        self.log.notes.append(
            "the tracker's clicks, orders and revenue per creator go to reported_results (reported_by "
            "tracker_sheet): they are what the sheet reports, not order lines"
        )
        return pd.DataFrame(rows)

    def orders(self, links: pd.DataFrame | None) -> pd.DataFrame:
        brand = next(iter(self.w.brands)) if len(self.w.brands) == 1 else None
        if brand is None:
            raise ImportInputError(
                "orders need one brand: the import has several; import one brand's shop at a time"
            )
        by_utm = {}
        if links is not None:
            by_utm = {
                (str(r.utm_campaign).lower(), str(r.utm_content).lower()): r.link_id
                for r in links.itertuples()
                if r.utm_campaign and r.utm_content
            }
        rows, unmatched = [], {}
        for o in self.w.orders:
            code = str(o["discount_code"]).strip().upper() if o.get("discount_code") else None
            if code and code not in self.w.codes:
                unmatched[code] = unmatched.get(code, 0) + 1
                code = None
            link = None
            landing = o.get("landing_site")
            if landing:
                q = dict(re.findall(r"(utm_\w+)=([^&#]+)", str(landing)))
                link = by_utm.get((q.get("utm_campaign", "").lower(), q.get("utm_content", "").lower()))
            email = o.get("email")
            value = (
                o.get("subtotal")
                if o.get("subtotal") is not None and not pd.isna(o.get("subtotal"))
                else o.get("total")
            )
            rows.append(
                {
                    "order_id": o["ref"],
                    "brand_id": self.brand_id[brand],
                    "ordered_at": o["ordered_at"],
                    "customer_id": _gid("CU", str(email).lower()) if email else None,
                    "order_value": value,
                    "promo_code": code,
                    "link_id": link,
                    "click_at": o["ordered_at"] if link else None,
                    "geo_id": country_code(o["country"]) if o.get("country") else None,
                }
            )
        if unmatched:
            listed = ", ".join(f"{c} ({n})" for c, n in sorted(unmatched.items()))
            self.log.warnings.append(
                f"orders: codes not in the tracker's codes, kept out of promo_code (owner unknown): {listed}"
            )
        self.log.generated["orders.customer_id"] = "hash of the lower-case email (pseudonymous)"
        self.log.defaults["orders.click_at"] = (
            "the order time where a landing-site UTM matches a tracking link (the export has no click time)"
        )
        self.log.notes.append("orders.order_value is Subtotal (after discounts, before shipping and taxes)")
        return pd.DataFrame(rows)


def _contract_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every column of table `name` in contract order (missing columns empty)."""
    table = TABLES[name]
    out = pd.DataFrame(index=range(len(frame)))
    for f in table.fields:
        out[f.name] = frame[f.name].to_numpy() if f.name in frame.columns else None
    return out
