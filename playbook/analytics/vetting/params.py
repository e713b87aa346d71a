"""The vetting score's components, weights, cut-off and tuning parameters (our choices, not industry figures).

The weights and `SUSPECTED_BELOW` were picked on the seed-2026 sample (see `benchmarks/bench_vetting.py`);
`tests/test_vetting.py` and the benchmark measure them (`vetting.evaluation`) on a seed not tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMPONENTS", "DEFAULT_WEIGHTS", "SUSPECTED_BELOW", "VettingParams"]

COMPONENTS: tuple[str, ...] = (
    "engagement",
    "growth",
    "following",
    "likes_comments",
    "comments",
    "account_age",
    "credibility",
)
DEFAULT_WEIGHTS: dict[str, float] = {  # tuning choice: relative weights, normalised to sum to 100 points
    "engagement": 10.0,
    "growth": 20.0,
    "following": 15.0,
    "likes_comments": 15.0,
    "comments": 15.0,
    "account_age": 5.0,
    "credibility": 20.0,
}
# Tuning choice: `suspected` = score below this; the F1-maximising integer cut-off on the seed-2026 sample.
# In effect one red flag at full strength on a 15- or 20-point component (score 85 or 80) is enough.
SUSPECTED_BELOW = 86.0


@dataclass(frozen=True)
class VettingParams:
    """Tuning choices of the score (ours, not industry figures), with the defaults picked on the sample.

    z_start, z_full: robust z where an outlier's risk starts (3.5, Iglewicz & Hoaglin's cut-off) and is full.
    min_days: follower series shorter than this are not scored.
    min_jump: a daily follower jump counts only if it also adds at least this fraction of followers.
    min_following_jump: same for a daily jump in following.
    mass_follow_risk: risk when the account follows more accounts than the Hivency mass-follower line.
    ratio_start, ratio_full: following / followers ratio where risk starts and is full.
    er_span: ER at band low / er_span (or band high * er_span, likes-driven) is full risk.
    likes_driven_z: ER above the band counts only if the likes:comments robust z is at least this.
    min_peers: smallest platform x tier peer group for peer z-scores (else the whole platform is used).
    min_comments: accounts with fewer sampled comments are not scored on comments.
    pod_start, pod_full: share of low-effort comments by recurring commenters (risk ramp).
    low_effort_start, low_effort_full: share of emoji-only, generic or copy-paste comments (risk ramp).
    credibility_floor: followers credibility at which risk is full (risk starts at the Modash line).
    max_flags: reasons listed in `flags`.
    min_scored: fewest components with data for a score; below it the score is withheld (undefined with
        the reason), not 100: components without data cost nothing, so a score over two of seven components
        would read as clean for lack of evidence. 4 of 7 keeps every sample account scored (one has 4).
    """

    z_start: float = 3.5
    z_full: float = 7.0
    min_days: int = 14
    min_jump: float = 0.05
    min_following_jump: float = 0.25
    mass_follow_risk: float = 0.3
    ratio_start: float = 2.0
    ratio_full: float = 10.0
    er_span: float = 2.0
    likes_driven_z: float = 1.0
    min_peers: int = 10
    min_comments: int = 8
    pod_start: float = 0.05
    pod_full: float = 0.2
    low_effort_start: float = 0.6
    low_effort_full: float = 0.9
    credibility_floor: float = 0.5
    max_flags: int = 3
    min_scored: int = 4
