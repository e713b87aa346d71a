"""Open, explainable audience-quality score for creator vetting (100 = clean, 0 = every red flag at full).

This is our own transparent score, *inspired by* the signals vendors document; it is not HypeAuditor's,
Modash's or any vendor's formula:

- HypeAuditor AQS groups (engagement, real audience, growth patterns, comment authenticity) and red flags
  (follower jumps, following spikes, likes:comments far from similar accounts):
  https://help.hypeauditor.com/en/articles/2221731-what-is-aqs-audience-quality-score-and-how-is-it-calculated
  and https://hypeauditor.com/blog/what-is-audience-quality-score-on-hypeauditor/
- Modash followers credibility, "less than 75% is often a sign of fraud":
  https://help.modash.io/en/articles/3274068-instagram-audience-details
- Hivency mass followers (following more than 1,500 accounts):
  https://help.hivency.com/hc/en-gb/articles/360014952240-What-is-the-AQS-or-Audience-Quality-Score-

Seven components each give a raw signal and a risk in [0, 1]; a component at full risk takes its weight
off 100:

    score = 100 - sum_c 100 * w_c / sum(w) * risk_c        (points_c = -100 * w_c / sum(w) * risk_c <= 0)

A component without data (no posts, no comments, too few peers) is "not scored": risk NaN, 0 points, and
its reason says why. Outliers use the robust (modified) z-score of Iglewicz & Hoaglin, as given in the NIST
handbook (https://www.itl.nist.gov/div898/handbook/eda/section3/eda35h.htm):

    z = 0.6745 * (x - median) / MAD

Every industry figure comes from the benchmark registry; the cut-offs in `VettingParams` and the weights in
`DEFAULT_WEIGHTS` are our tuning choices, picked on the seed-2026 sample (see `benchmarks/bench_vetting.py`).

The package, one module per seam: `params` (components, weights, cut-off, `VettingParams`), `robust` (robust
z-score, peer groups, risk ramps), the components by what they read (`posts`: engagement and likes:comments;
`followers`: growth, following, account age, credibility; `comments`: comment authenticity), `score` (the
assembly, the withheld rule, flags, `explain`), `evaluation` (the quality gate against the fraud labels) and
`inspection` (module 04's archetype examples and recurring commenters, imported as a module). Import the
other names from here.
"""

from __future__ import annotations

from playbook.analytics.vetting.comments import GENERIC_WORDS, comment_signal, is_emoji_only, is_generic
from playbook.analytics.vetting.evaluation import evaluate, precision_recall_curve
from playbook.analytics.vetting.followers import (
    account_age_signal,
    credibility_signal,
    following_signal,
    growth_signal,
)
from playbook.analytics.vetting.params import COMPONENTS, DEFAULT_WEIGHTS, SUSPECTED_BELOW, VettingParams
from playbook.analytics.vetting.posts import engagement_signal, er_benchmark_id, likes_comments_signal
from playbook.analytics.vetting.robust import robust_z
from playbook.analytics.vetting.score import audience_quality, explain

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "GENERIC_WORDS",
    "SUSPECTED_BELOW",
    "VettingParams",
    "account_age_signal",
    "audience_quality",
    "comment_signal",
    "credibility_signal",
    "engagement_signal",
    "er_benchmark_id",
    "evaluate",
    "explain",
    "following_signal",
    "growth_signal",
    "is_emoji_only",
    "is_generic",
    "likes_comments_signal",
    "precision_recall_curve",
    "robust_z",
]
