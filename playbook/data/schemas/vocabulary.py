"""The contract's vocabularies: the values a column may take (platforms, formats, niches, ISO codes...).

Plain tuples and dicts, no pandas: the generator draws from them, the analytics group by them and the
table declarations (`schemas.tables_*`) name them in `Field.allowed`. `data.vocab` is the other side: it maps
the wordings found in real data (niche words, country names) onto these values.
"""

from __future__ import annotations

__all__ = [
    "AGE_BUCKETS",
    "ALL_PLATFORMS",
    "ALL_PLATFORM_FORMATS",
    "ARMS",
    "CHANNELS",
    "COMMENT_KINDS",
    "COUNTRIES",
    "COUNTRY_WORDS",
    "CURRENCIES",
    "CURRENCY_WORDS",
    "DEVICES",
    "FORMATS",
    "FRAUD_ARCHETYPES",
    "GENDERS",
    "INCENTIVES",
    "INTERACTIONS",
    "ISO_COUNTRIES",
    "ISO_CURRENCIES",
    "NICHES",
    "OBJECTIVES",
    "OUTREACH_OUTCOMES",
    "PAYMENT_TERMS",
    "PLATFORMS",
    "PLATFORM_FORMATS",
    "PROVENANCE",
    "REPORTERS",
    "ROLES",
    "SAFETY_FLAGS",
    "SAMPLE_CURRENCIES",
    "TASK_CATEGORIES",
    "TEMPLATES",
    "USAGE_RIGHTS",
    "VIDEO_FORMATS",
]

# The platforms of the course and of the sample generator (the generator draws from these three only).
PLATFORMS = ("instagram", "tiktok", "youtube")
# Every platform the contract accepts, so real exports from other networks load ("other" for the rest).
ALL_PLATFORMS = (
    *PLATFORMS,
    "x",
    "facebook",
    "twitch",
    "pinterest",
    "linkedin",
    "snapchat",
    "threads",
    "other",
)
# The interaction counts of a post (the `posts` columns an engagement sum adds up).
INTERACTIONS: tuple[str, ...] = ("likes", "comments", "shares", "saves")
FORMATS = (
    "feed",
    "carousel",
    "reel",
    "story",
    "story_link",
    "short_video",
    "long_video",
    "text",
    "live",
    "pin",
)
# The formats of the course platforms (the generator draws from these).
PLATFORM_FORMATS = {
    "instagram": ("feed", "carousel", "reel", "story", "story_link"),
    "tiktok": ("short_video",),
    "youtube": ("short_video", "long_video"),
}
# Formats per accepted platform (our reading of each network's post types, 2026): X, Threads and LinkedIn
# carry text posts; Twitch streams (live) and clips (short_video); Pinterest pins; Snapchat stories and
# Spotlight (short_video); "other" accepts every format.
ALL_PLATFORM_FORMATS: dict[str, tuple[str, ...]] = {
    **PLATFORM_FORMATS,
    "x": ("text", "feed", "short_video", "long_video"),
    "facebook": ("text", "feed", "carousel", "reel", "story", "long_video", "live"),
    "twitch": ("live", "short_video"),
    "pinterest": ("pin", "short_video"),
    "linkedin": ("text", "feed", "carousel", "long_video", "live"),
    "snapchat": ("story", "short_video"),
    "threads": ("text", "feed", "carousel", "short_video"),
    "other": FORMATS,
}
VIDEO_FORMATS = ("reel", "short_video", "long_video", "live")
# The course's niche taxonomy (the generator draws from it); real data may carry any niche as free text and
# `data.vocab.course_niche` maps common wordings onto it.
NICHES = ("beauty", "fashion", "fitness", "food", "travel", "gaming", "tech", "parenting", "home", "finance")
# The markets of the sample generator; the contract accepts every ISO 3166-1 alpha-2 code (`ISO_COUNTRIES`).
COUNTRIES = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "CA", "AU", "BR", "MX", "IN")
AGE_BUCKETS = ("13-17", "18-24", "25-34", "35-44", "45+")
GENDERS = ("female", "male", "other")
SAFETY_FLAGS = ("profanity", "alcohol", "gambling", "politics", "controversy")
PROVENANCE = ("measured", "estimated", "self_reported")
COMMENT_KINDS = ("specific", "generic", "emoji", "pod")
OBJECTIVES = ("awareness", "consideration", "conversion")
# The sample's currencies; the contract accepts every ISO 4217 code (`ISO_CURRENCIES`).
SAMPLE_CURRENCIES = ("USD", "EUR", "GBP")
USAGE_RIGHTS = ("none", "organic_30d", "paid_90d", "perpetual")
PAYMENT_TERMS = (15, 30, 45, 60, 90)
CHANNELS = ("email", "dm", "platform_invite")
TEMPLATES = ("generic_cold", "personalised_pitch", "warm_reintro")
INCENTIVES = ("fee", "experience", "product")
OUTREACH_OUTCOMES = ("no_reply", "declined", "negotiation_failed", "agreed")
DEVICES = ("mobile", "desktop", "tablet")
ROLES = ("head_of_influencer", "campaign_manager", "creator_partnerships", "analyst", "content_coordinator")
TASK_CATEGORIES = (
    "strategy",
    "discovery",
    "outreach",
    "negotiation",
    "briefing",
    "approvals",
    "payments",
    "reporting",
    "relationship",
)
ARMS = ("treatment", "control")
FRAUD_ARCHETYPES = ("none", "bought_followers", "bought_likes", "engagement_pod", "mass_follow")
REPORTERS = ("platform", "creator_screenshot", "tracker_sheet")


def _iso_codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes, from pycountry (maintained copies of
    the ISO tables, https://pypi.org/project/pycountry/)."""
    import pycountry

    countries = tuple(sorted(c.alpha_2 for c in pycountry.countries))
    currencies = tuple(sorted(c.alpha_3 for c in pycountry.currencies))
    return countries, currencies


ISO_COUNTRIES, ISO_CURRENCIES = _iso_codes()
CURRENCIES = ISO_CURRENCIES
COUNTRY_WORDS = "an ISO 3166-1 alpha-2 country code (US, GB, ID, CO, TR...)"
CURRENCY_WORDS = "an ISO 4217 currency code (USD, EUR, IDR...)"
