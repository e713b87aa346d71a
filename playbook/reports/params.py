"""Check campaign-report parameters before any kernel starts, with messages that say what is allowed.

Used twice: by the runner (`playbook.reports.render`) in the parent process, and by the report notebook itself
(`playbook.reports.sections.build_context`), so a plain `papermill` run rejects the same inputs.
Campaign ids are free text; papermill's `-p` turns `00123` into the number 123, so the notebook is given
ids with `-r campaign_id 00123` (raw string) and a number is rejected with that hint.
Standard library only (`data.layout`, the contract spec): the runner runs these checks before it starts
a kernel or imports pandas.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from playbook.data.layout import DEFAULT_TIER_PRESET, SAMPLE_DIR, table_files, tier_preset_names
from playbook.data.schemas import CURRENCIES, TABLES

__all__ = [
    "DEFAULT_ER_BASIS",
    "ER_BASES",
    "SAMPLE_DIR",
    "WARM_UP_ENV",
    "ReportInputError",
    "ReportParams",
    "campaign_currencies_in_csv",
    "check_campaign_ids",
    "check_data_dir",
    "check_params",
    "check_window",
]
# Denominators of the engagement rate (industry-facts.md section 1.1); the campaign targets use reach.
ER_BASES: tuple[str, ...] = ("reach", "followers", "impressions", "views")
DEFAULT_ER_BASIS = "reach"
# Environment variable through which the runner tells its kernels which data to get ready (JSON: data_dir and
# the fingerprint the runner validates; see `reports.sections.startup.warm_up`).
WARM_UP_ENV = "PLAYBOOK_REPORT_WARM_UP"
_WINDOW = TABLES["campaigns"].field("attribution_window_days")
_SHOWN_IDS = 30


class ReportInputError(ValueError):
    """A report parameter or input path is wrong; the message says what was given and what is allowed."""


@dataclass(frozen=True)
class ReportParams:
    """Checked parameters shared by every campaign of one run (`None` = each campaign's own value)."""

    data_dir: Path
    currency: str | None = None
    er_basis: str = DEFAULT_ER_BASIS
    tier_preset: str = DEFAULT_TIER_PRESET
    attribution_window_days: int | None = None

    def notebook_parameters(self, campaign_id: str) -> dict[str, str | int | None]:
        """The values injected into the notebook's `parameters` cell for one campaign."""
        values = asdict(self)
        values["data_dir"] = str(self.data_dir)
        return {"campaign_id": campaign_id, **values}


def _choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ReportInputError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _currency(value: object) -> str:
    """An ISO 4217 code (`schemas.CURRENCIES`, from pycountry)."""
    if not isinstance(value, str) or value not in CURRENCIES:
        raise ReportInputError(f"currency must be an ISO 4217 code such as USD, EUR or GBP; got {value!r}")
    return value


def check_window(value: object) -> int | None:
    """`attribution_window_days`: None (each campaign's own window) or a whole number of days in range.

    Accepts an int or text holding one (as typed on a command line); rejects bools, fractions and text.
    """
    if value is None:
        return None
    lo, hi = int(_WINDOW.ge or 1), int(_WINDOW.le or 365)
    days = value
    if isinstance(days, str) and days.strip().lstrip("+-").isdigit():
        days = int(days.strip())
    if isinstance(days, float) and math.isfinite(days) and days.is_integer():
        days = int(days)
    if isinstance(days, bool) or not isinstance(days, int) or not lo <= days <= hi:
        rule = f"a whole number of days from {lo} to {hi}, or None"
        raise ReportInputError(f"attribution_window_days must be {rule}; got {value!r}")
    return days


def check_data_dir(data_dir: object) -> Path:
    """The data directory as an absolute path (relative to the current directory); it must exist."""
    if data_dir is None:
        return SAMPLE_DIR
    if not isinstance(data_dir, str | Path) or str(data_dir).strip() == "":
        raise ReportInputError(
            f"data_dir must be the path of a directory of CSV/Parquet files; got {data_dir!r}"
        )
    path = Path(data_dir).expanduser().resolve()
    if not path.is_dir():
        what = "is a file, not a directory" if path.exists() else "does not exist"
        raise ReportInputError(f"data directory {str(data_dir)!r} {what} (looked at {path})")
    return path


def check_params(
    data_dir: object = None,
    *,
    currency: object = None,
    er_basis: object = DEFAULT_ER_BASIS,
    tier_preset: object = DEFAULT_TIER_PRESET,
    attribution_window_days: object = None,
) -> ReportParams:
    """Check every parameter that does not need the data; raises `ReportInputError` on the first bad one."""
    return ReportParams(
        data_dir=check_data_dir(data_dir),
        currency=None if currency is None else _currency(currency),
        er_basis=_choice("er_basis", er_basis, ER_BASES),
        tier_preset=_choice("tier_preset", tier_preset, tier_preset_names()),
        attribution_window_days=check_window(attribution_window_days),
    )


def _known(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:_SHOWN_IDS])
    more = f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else ""
    return f"known campaign ids: {shown}{more}" if ids else "the campaigns table is empty"


def campaign_currencies_in_csv(data_dir: Path) -> dict[str, str] | None:
    """Campaign id -> currency, in file order, read from `campaigns.csv` (or `.csv.gz`) with the csv module.

    Enough to check the requested ids before any kernel starts, without pandas; the contracts of every
    table, this one included, are checked next, while the kernels start. None when there is no such
    single readable file with both columns and an id on every row (Parquet, a missing table, damaged
    text): the caller then loads the table with validation, whose error says what is wrong.
    """
    found = table_files(data_dir, "campaigns")
    if len(found) != 1 or found[0].suffix == ".parquet":
        return None
    opener = gzip.open if found[0].name.endswith(".gz") else open
    try:
        with opener(found[0], "rt", encoding="utf-8-sig", newline="") as handle:
            rows = [(row.get("campaign_id"), row.get("currency")) for row in csv.DictReader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if not all(isinstance(cid, str) and cid and isinstance(cur, str) for cid, cur in rows):
        return None
    return dict(rows)  # type: ignore[arg-type]


def check_campaign_ids(
    campaign_ids: Iterable[object] | None, currencies: Mapping[str, str], currency: str | None = None
) -> list[str]:
    """The requested ids (all campaigns when None), each a known id; duplicates dropped, order kept.

    `currencies` maps every campaign id of the data to its currency, in table order
    (`data_cache.campaign_currencies`). With a `currency`, every campaign must be in it: the data holds no
    exchange rates, so amounts are never converted (`currency=None` reports each campaign in its own).
    """
    known = list(currencies)
    wanted = known if campaign_ids is None else list(dict.fromkeys(campaign_ids))
    if not wanted:
        raise ReportInputError(f"no campaign to report on; {_known(known)}")
    for cid in wanted:
        if not isinstance(cid, str):
            hint = (
                " (papermill: pass ids with -r campaign_id VALUE so they stay text)"
                if isinstance(cid, int)
                else ""
            )
            raise ReportInputError(f"campaign ids are text; got {cid!r}{hint}; {_known(known)}")
    unknown = [cid for cid in wanted if cid not in set(known)]
    if unknown:
        raise ReportInputError(f"unknown campaign id {', '.join(repr(u) for u in unknown)}; {_known(known)}")
    if currency is not None:
        other = [f"{cid!r} ({currencies[cid]})" for cid in wanted if currencies[cid] != currency]
        if other:
            raise ReportInputError(
                f"currency {currency} differs from the currency of campaign {', '.join(other)}; the data has "
                "no exchange rates, so leave currency unset to report each campaign in its own currency"
            )
    return wanted
