"""Vocabularies shared by the generator, the analytics and the course: the course's niche taxonomy and its
topics (hashtags without `#`). Our curation, not a published list."""

from __future__ import annotations

__all__ = ["NICHE_TOPICS"]

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
