"""Import presets: one declarative mapping per export shape analysts really have, in a registry.

A preset names its `shape` (what one row of the source is: a creator per campaign in a tracker sheet, a
creator of a discovery list, a post of a platform export, an order line of a shop export), and for each
canonical field of that shape the source headers it accepts (matched without case or surrounding spaces).
Column lists come from the tools' documented or observed export columns in
`/work/shared/reference/real-exports.md` (each preset cites its section). A mapping file (YAML) has the same
keys, so anything else is a file, not code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

__all__ = ["PRESETS", "SHAPE_FIELDS", "Preset", "load_mapping", "preset"]

# Canonical fields per shape: what the builder knows how to turn into contract columns (`importers.source`
# parses them, `importers.entities` reads them).
SHAPE_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "tracker": (
            "campaign",
            "brand",
            "creator_name",
            "handle",
            "platform",
            "format",
            "fee",
            "product_value",
            "currency",
            "posts",
            "posted_at",
            "start_date",
            "end_date",
            "followers",
            "country",
            "niche",
            "views",
            "reach",
            "impressions",
            "likes",
            "comments",
            "shares",
            "saves",
            "clicks",
            "code",
            "orders",
            "revenue",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
            "link",
        ),
        "creators": (
            "handle",
            "creator_name",
            "platform",
            "followers",
            "following",
            "posts_count",
            "engagement_rate",
            "country",
            "niche",
            "credibility",
        ),
        "posts": (
            "post_ref",
            "handle",
            "caption",
            "posted_at",
            "export_time",
            "permalink",
            "format",
            "duration",
            "views",
            "reach",
            "impressions",
            "likes",
            "comments",
            "shares",
            "saves",
            "link_clicks",
        ),
        "orders": (
            "order_ref",
            "email",
            "financial_status",
            "ordered_at",
            "currency",
            "subtotal",
            "total",
            "refunded_amount",
            "cancelled_at",
            "discount_code",
            "landing_site",
            "country",
        ),
    }
)


@dataclass(frozen=True)
class Preset:
    """A declarative mapping from one export's headers to a shape's canonical fields.

    columns: canonical field -> accepted source headers. units: share/rate fields -> percent, fraction or
    auto (`values.parse_share`). dayfirst: the documented date order of the export (None: detect per column).
    formats: source format/type text (lower case) -> contract format. skip_first: a leading summary row's
    first cell (YouTube's `Total`). platform: the platform of every row (post exports).
    """

    name: str
    shape: str
    description: str
    source: str
    columns: Mapping[str, tuple[str, ...]]
    platform: str | None = None
    units: Mapping[str, str] = field(default_factory=dict)
    dayfirst: bool | None = None
    formats: Mapping[str, str] = field(default_factory=dict)
    skip_first: tuple[str, ...] = ()
    provenance: str = "measured"

    def __post_init__(self) -> None:
        if self.shape not in SHAPE_FIELDS:
            raise ValueError(f"preset {self.name!r}: shape must be one of {', '.join(SHAPE_FIELDS)}")
        unknown = [c for c in self.columns if c not in SHAPE_FIELDS[self.shape]]
        if unknown:
            raise ValueError(
                f"preset {self.name!r}: {', '.join(unknown)} are not fields of shape {self.shape!r} "
                f"(expected some of {', '.join(SHAPE_FIELDS[self.shape])})"
            )


_TRACKER = Preset(
    "campaign_tracker",
    "tracker",
    "A campaign tracker sheet: one row per creator per campaign (handle, platform, fee, posts, views, reach, "
    "likes, comments, shares, saves, clicks, code, orders, revenue).",
    "real-exports.md §7: Klar Influencer Google Sheet, AskBiz, Notion CRM templates",
    {
        "campaign": ("Campaign", "Campaign Name", "Campaign name"),
        "brand": ("Brand", "Brand Name", "Client"),
        "creator_name": ("Influencer/Affiliate Name", "Influencer", "Creator", "Name", "Creator Name"),
        "handle": ("Handle", "Username", "Instagram Handle", "Creator Handle"),
        "platform": ("Platform", "Channel", "Network"),
        "format": ("Format", "Content Type", "Post Type"),
        "fee": ("Fee", "Fee Paid", "Cost", "Est. Cost", "Creator Fee", "Price"),
        "product_value": ("Product Value", "Product Gifted Value", "Gifted Value"),
        "currency": ("Currency",),
        "posts": ("Posts", "Content Posted", "Deliverables", "# Posts"),
        "posted_at": ("Posting Date", "Post Date", "Date Posted", "Live Date"),
        "start_date": ("Start Date", "Campaign Start"),
        "end_date": ("End Date", "Campaign End"),
        "followers": ("Followers", "Follower Count", "Audience Size"),
        "country": ("Country", "Location"),
        "niche": ("Niche", "Category"),
        "views": ("Views", "Video Views", "Plays"),
        "reach": ("Reach",),
        "impressions": ("Impressions",),
        "likes": ("Likes",),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "saves": ("Saves",),
        "clicks": ("Clicks", "Link Clicks"),
        "code": ("Discount Code", "Code", "Promo Code"),
        "orders": ("Orders", "Conversions", "Sales"),
        "revenue": ("Revenue", "Revenue Generated", "Revenue Generated (USD)", "Sales Revenue"),
        "utm_source": ("utm_source",),
        "utm_medium": ("utm_medium",),
        "utm_campaign": ("utm_campaign",),
        "utm_content": ("utm_content",),
        "link": ("Affiliate Link", "UTM Link", "Tracking Link"),
    },
    provenance="self_reported",
)

_DISCOVERY = Preset(
    "creator_list",
    "creators",
    "A creator list from a discovery tool or CRM (handle, platform, followers, ER, country, credibility).",
    "real-exports.md §5: Modash (username, followers, engagementRate, audience.credibility), GRIN, Aspire",
    {
        "handle": ("username", "Username", "Handle", "Instagram", "Channel"),
        "creator_name": ("fullname", "Full Name", "Name", "full_name"),
        "platform": ("Platform", "Network"),
        "followers": ("followers", "Followers", "Subscribers"),
        "following": ("following", "Following"),
        "posts_count": ("posts", "Posts", "Media Count"),
        "engagement_rate": ("engagementRate", "Engagement Rate", "ER", "Engagement Rate (percent)"),
        "country": ("country", "Country", "Location", "country_code"),
        "niche": ("Niche", "Category", "niche"),
        "credibility": ("credibility", "Credibility", "Followers Credibility", "Audience Credibility"),
    },
    units={"engagement_rate": "auto", "credibility": "auto"},
    provenance="estimated",
)

_INSTAGRAM = Preset(
    "instagram_posts",
    "posts",
    "Instagram post export from Meta Business Suite (Insights > Content > Export).",
    "real-exports.md §1: Post ID, Account username, Description, Publish time (MM/DD/YYYY HH:MM), Post type",
    {
        "post_ref": ("Post ID",),
        "handle": ("Account username",),
        "caption": ("Description",),
        "posted_at": ("Publish time",),
        "permalink": ("Permalink",),
        "format": ("Post type",),
        "duration": ("Duration (sec)",),
        "views": ("Views",),
        "reach": ("Reach", "Viewers"),
        "impressions": ("Impressions",),
        "likes": ("Likes",),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "saves": ("Saves",),
        "link_clicks": ("Link clicks", "Link Clicks"),
    },
    platform="instagram",
    dayfirst=False,  # Meta writes MM/DD/YYYY (real-exports.md §1, [V])
    formats={
        "ig reel": "reel",
        "ig image": "feed",
        "ig carousel": "carousel",
        "ig story": "story",
        "reel": "reel",
        "photo": "feed",
    },
)

_TIKTOK = Preset(
    "tiktok_posts",
    "posts",
    "TikTok Studio Content.csv (Analytics > Download data): one row per video with lifetime totals.",
    "real-exports.md §2: Time, Video title, Video link, Post time, Total likes/comments/shares/views",
    {
        "export_time": ("Time",),
        "caption": ("Video title",),
        "permalink": ("Video link",),
        "posted_at": ("Post time",),
        "likes": ("Total likes",),
        "comments": ("Total comments",),
        "shares": ("Total shares",),
        "views": ("Total views",),
        "saves": ("Add to favorites",),
    },
    platform="tiktok",
)

_YOUTUBE = Preset(
    "youtube_posts",
    "posts",
    "YouTube Studio Advanced mode export, Table data.csv (first data row `Total` skipped).",
    "real-exports.md §3: Content, Video title, Video publish time (Mon D, YYYY), Duration (s), Views, Likes",
    {
        "post_ref": ("Content",),
        "caption": ("Video title",),
        "posted_at": ("Video publish time",),
        "duration": ("Duration",),
        "views": ("Views",),
        "likes": ("Likes",),
        "comments": ("Comments added", "Comments"),
        "shares": ("Shares",),
    },
    platform="youtube",
    skip_first=("Total",),
)

_SHOPIFY = Preset(
    "shop_orders",
    "orders",
    "Shopify orders export (one row per line item) with discount codes; UTM parameters from a landing-site "
    "column when the export carries one.",
    "real-exports.md §4: Name, Email, Financial Status, Currency, Subtotal, Total, Discount Code, Created at",
    {
        "order_ref": ("Name", "order_id", "Order"),
        "email": ("Email",),
        "financial_status": ("Financial Status", "status"),
        "ordered_at": ("Created at", "date", "Paid at"),
        "currency": ("Currency",),
        "subtotal": ("Subtotal",),
        "total": ("Total", "order_total"),
        "refunded_amount": ("Refunded Amount",),
        "cancelled_at": ("Cancelled at",),
        "discount_code": ("Discount Code", "coupon"),
        "landing_site": ("Landing Site", "landing_site", "Landing Page"),
        "country": ("Billing Country", "Shipping Country"),
    },
)

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {p.name: p for p in (_TRACKER, _DISCOVERY, _INSTAGRAM, _TIKTOK, _YOUTUBE, _SHOPIFY)}
)


def preset(name: str) -> Preset:
    """The preset called `name`; ValueError listing the presets otherwise."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; expected one of {', '.join(PRESETS)}")
    return PRESETS[name]


def load_mapping(path: str | Path) -> Preset:
    """A preset from a YAML mapping file: keys shape, columns (field: header or list of headers) and the
    optional platform, units, dayfirst, formats, skip_first, provenance, description."""
    import yaml

    path = Path(path)
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ValueError(f"{path.name}: not a readable YAML mapping ({err})") from None
    if not isinstance(spec, dict) or "shape" not in spec or not isinstance(spec.get("columns"), dict):
        raise ValueError(f"{path.name}: expected a mapping with `shape` and `columns` (field: source header)")
    columns = {str(k): tuple(v) if isinstance(v, list) else (str(v),) for k, v in spec["columns"].items()}
    return Preset(
        name=path.stem,
        shape=str(spec["shape"]),
        description=str(spec.get("description", f"mapping file {path.name}")),
        source=path.name,
        columns=columns,
        platform=spec.get("platform"),
        units=dict(spec.get("units", {})),
        dayfirst=spec.get("dayfirst"),
        formats={str(k).lower(): str(v) for k, v in dict(spec.get("formats", {})).items()},
        skip_first=tuple(spec.get("skip_first", ())),
        provenance=str(spec.get("provenance", "measured")),
    )
