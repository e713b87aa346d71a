"""Vocabularies shared by the generator, the analytics and the course: the course's niche taxonomy and its
topics (hashtags without `#`), the mapping of free-text niches onto it, and country names to ISO codes.
The taxonomy, topics and synonyms are our curation, not a published list; country codes are ISO 3166-1
(pycountry)."""

from __future__ import annotations

__all__ = ["NICHE_SYNONYMS", "NICHE_TOPICS", "country_code", "course_niche"]

# Eight topics per niche of the course taxonomy (`schemas.NICHES`): the generator draws creators' topics and
# hashtags from them, and brand fit (`analytics.brand_fit`) matches brand keywords against them.
NICHE_TOPICS = {
    "beauty": ("skincare", "makeup", "haircare", "fragrance", "nails", "cleanbeauty", "kbeauty", "spf"),
    "fashion": (
        "ootd",
        "streetstyle",
        "thrifting",
        "capsulewardrobe",
        "sneakers",
        "vintage",
        "modest",
        "denim",
    ),
    "fitness": ("hiit", "running", "yoga", "strength", "pilates", "mealprep", "mobility", "homeworkout"),
    "food": ("recipes", "baking", "vegan", "airfryer", "streetfood", "coffee", "brunch", "budgetmeals"),
    "travel": (
        "roadtrip",
        "vanlife",
        "budgettravel",
        "hiking",
        "citybreak",
        "beaches",
        "travelhacks",
        "camping",
    ),
    "gaming": (
        "fps",
        "indiegames",
        "speedrun",
        "retrogaming",
        "esports",
        "cozygames",
        "streaming",
        "pcbuild",
    ),
    "tech": ("gadgets", "smartphones", "ai", "setup", "productivity", "smarthome", "audio", "photography"),
    "parenting": (
        "momlife",
        "dadlife",
        "toddler",
        "newborn",
        "homeschool",
        "familytravel",
        "kidsactivities",
        "sleep",
    ),
    "home": ("interiors", "diy", "plants", "organizing", "renovation", "cleaning", "minimalism", "gardening"),
    "finance": (
        "investing",
        "budgeting",
        "sidehustle",
        "crypto",
        "frugal",
        "retirement",
        "realestate",
        "taxes",
    ),
}

# Free-text niches (lower case) that mean a course niche; a niche equal to a course niche or one of its topics
# maps too (`course_niche`). Our curation.
NICHE_SYNONYMS = {
    "skin care": "beauty",
    "cosmetics": "beauty",
    "make-up": "beauty",
    "style": "fashion",
    "clothing": "fashion",
    "running": "fitness",
    "sport": "fitness",
    "sports": "fitness",
    "health": "fitness",
    "wellness": "fitness",
    "food & drink": "food",
    "food and drink": "food",
    "cooking": "food",
    "recipes": "food",
    "drinks": "food",
    "adventure": "travel",
    "games": "gaming",
    "video games": "gaming",
    "technology": "tech",
    "electronics": "tech",
    "family": "parenting",
    "mom": "parenting",
    "interior": "home",
    "home & garden": "home",
    "money": "finance",
    "personal finance": "finance",
}


def course_niche(text: object) -> str | None:
    """The course niche a free-text niche means ("Food & Drink" -> food, "skincare" -> beauty), or None when
    it maps onto none (a niche outside the taxonomy stays as the data writes it)."""
    if text is None or not isinstance(text, str) or not text.strip():
        return None
    t = text.strip().lower()
    if t in NICHE_TOPICS:
        return t
    if t in NICHE_SYNONYMS:
        return NICHE_SYNONYMS[t]
    return next((niche for niche, topics in NICHE_TOPICS.items() if t.replace(" ", "") in topics), None)


# English names exports use that pycountry's ISO names do not match (ISO's name in the comment).
_COUNTRY_NAMES = {
    "turkey": "TR",  # Türkiye
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "russia": "RU",  # Russian Federation
    "south korea": "KR",  # Korea, Republic of
    "north korea": "KP",
    "vietnam": "VN",  # Viet Nam
    "iran": "IR",
    "syria": "SY",
    "taiwan": "TW",
    "czech republic": "CZ",  # Czechia
    "ivory coast": "CI",
}


def country_code(text: object) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code in any case, an alpha-3 code or a country name (pycountry, then
    `_COUNTRY_NAMES`), else None. Never a fuzzy match: "Korea" could be either Korea."""
    import pycountry

    if text is None or not isinstance(text, str) or not text.strip():
        return None
    t = text.strip()
    found = pycountry.countries.get(alpha_2=t.upper()) if len(t) == 2 else None
    if found is not None:
        return found.alpha_2
    try:
        return pycountry.countries.lookup(t).alpha_2
    except LookupError:
        return _COUNTRY_NAMES.get(t.lower())
