"""Contract rows from an import's entities (`ContractRows`): generated ids, defaults and derivations recorded
in the log, every table in contract column order (`contract_frame`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from playbook.data.importers.entities import Entities
from playbook.data.importers.normalise import stable_id
from playbook.data.importers.reading import ImportInputError
from playbook.data.importers.records import ImportLog, ImportOptions
from playbook.data.schemas import ISO_CURRENCIES, OBJECTIVES, TABLES
from playbook.data.vocab import country_code

__all__ = ["ContractRows", "contract_frame"]


class ContractRows:
    """Contract rows from the entities, with ids and the column statuses recorded in the log."""

    def __init__(self, world: Entities, options: ImportOptions, log: ImportLog) -> None:
        self.w, self.options, self.log = world, options, log
        self.creator_id = {k: stable_id("CR", k) for k in world.creators}
        self.account_id = {k: stable_id("AC", *k) for k in world.accounts}
        self.campaign_id = {k: stable_id("CP", k) for k in world.campaigns}
        self.brand_id = {k: stable_id("BR", k) for k in world.brands}
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
        return {name: contract_frame(name, frame) for name, frame in out.items()}

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
                "contract_id": stable_id("CT", cid, creator),
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
            rows.append(self._post(stable_id("PO", p["platform"], ref), p))
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
            rows.append(self._post(stable_id("PO", p["file"], p["row"]), p))
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
                "link_id": stable_id("LK", cid, creator),
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
        rows: list[dict[str, object]] = []
        unmatched: dict[str, int] = {}
        by_kind: dict[str, list[str]] = {kind: [] for kind in SALE_KINDS}
        for o in self.w.orders:
            value = (
                o.get("subtotal")
                if o.get("subtotal") is not None and not pd.isna(o.get("subtotal"))
                else o.get("total")
            )
            sale = order_sale(
                o.get("financial_status"), o.get("cancelled_at"), o.get("refunded_amount"), value
            )
            if sale.kind:
                by_kind[sale.kind].append(f"{o['ref']} ({sale.why})")
            if not sale.kept:
                continue
            value = sale.value
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
            rows.append(
                {
                    "order_id": o["ref"],
                    "brand_id": self.brand_id[brand],
                    "ordered_at": o["ordered_at"],
                    "customer_id": stable_id("CU", str(email).lower()) if email else None,
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
        for kind, what in SALE_KINDS.items():
            items = by_kind[kind]
            if items:
                self.log.warnings.append(f"orders: {len(items)} {what}: {', '.join(items)}")
        self.log.generated["orders.customer_id"] = "hash of the lower-case email (pseudonymous)"
        self.log.defaults["orders.click_at"] = (
            "the order time where a landing-site UTM matches a tracking link (the export has no click time)"
        )
        self.log.notes.append("orders.order_value is Subtotal (after discounts, before shipping and taxes)")
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class Sale:
    """What an exported order counts for: kept (False = not a sale), its value, why, and the kind of case
    (a key of `SALE_KINDS`; "" for an ordinary paid order)."""

    kept: bool
    value: float | None
    why: str = ""
    kind: str = ""


# The cases IMPORT.md lists, each with its heading.
SALE_KINDS: dict[str, str] = {
    "no sale": "left out of orders (not a sale)",
    "refund deducted": "order_value net of the refunded amount",
    "refund unknown": "partially refunded, amount not in the export: order_value as exported (upper bound)",
    "not paid": "kept as orders although not paid yet",
}


# Shopify's order financial_status values (Admin API enum, real-exports.md section 4).
NOT_A_SALE = frozenset({"refunded", "voided"})
NOT_PAID_YET = frozenset({"pending", "authorized", "partially_paid"})


def order_sale(status: object, cancelled_at: object, refunded: object, value: float | None) -> Sale:
    """The rule for one exported order: cancelled, fully refunded or voided orders are no sale (left out);
    a partial refund lowers the value to ``max(0, value - refunded amount)`` (a lower bound: Shopify's
    refunded amount can include shipping and taxes, which the value excludes); a partial refund of unknown
    amount keeps the value and says so; unpaid orders are kept and named; an unknown status counts as paid."""
    state = "" if status is None or pd.isna(status) else str(status).strip().lower()
    if cancelled_at is not None and not pd.isna(cancelled_at) and str(cancelled_at).strip():
        return Sale(False, value, f"cancelled at {str(cancelled_at).strip()}", "no sale")
    if state in NOT_A_SALE:
        return Sale(False, value, f"financial status {state}", "no sale")
    known = refunded is not None and not pd.isna(refunded) and float(refunded) > 0
    if known and value is not None and not pd.isna(value):
        net = max(0.0, round(float(value) - float(refunded), 2))
        return Sale(True, net, f"{float(value):.2f} - refunded {float(refunded):.2f}", "refund deducted")
    if state == "partially_refunded":
        return Sale(True, value, "refunded amount unknown", "refund unknown")
    if state in NOT_PAID_YET:
        return Sale(True, value, f"not paid yet: {state}", "not paid")
    return Sale(True, value)


def contract_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every column of table `name` in contract order (missing columns empty)."""
    table = TABLES[name]
    out = pd.DataFrame(index=range(len(frame)))
    for f in table.fields:
        out[f.name] = frame[f.name].to_numpy() if f.name in frame.columns else None
    return out
