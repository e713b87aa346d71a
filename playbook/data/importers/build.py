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

The steps, one module each: `source` (headers matched, cells parsed), `entities` (what the rows describe,
by natural key), `rows` (contract rows with generated ids); `normalise` reads cell words (handles,
platforms, formats) and `records` holds the options and the log.
"""

from __future__ import annotations

import pandas as pd

from playbook.data.importers.entities import Entities
from playbook.data.importers.presets import Preset
from playbook.data.importers.reading import ImportInputError, RawSource
from playbook.data.importers.records import BadValue, ImportLog, ImportOptions
from playbook.data.importers.rows import ContractRows
from playbook.data.importers.source import ParsedSource

__all__ = ["BadValue", "ImportLog", "ImportOptions", "build_tables"]


def build_tables(
    sources: list[tuple[RawSource, Preset]], options: ImportOptions, log: ImportLog
) -> dict[str, pd.DataFrame]:
    """The contract tables (values typed, unknowns empty) built from every source; see the module rules."""
    world = Entities(options, log)
    parsed = [ParsedSource(raw, p, options, log) for raw, p in sources]
    order = {"tracker": 0, "creators": 1, "posts": 2, "orders": 3}
    for s in sorted(parsed, key=lambda s: order[s.preset.shape]):
        getattr(world, f"add_{s.preset.shape}")(s)
    if not world.campaigns:
        if options.campaign:
            world.campaign(None, None)
        else:
            raise ImportInputError("no campaign in the data: import a tracker sheet or pass --campaign NAME")
    return ContractRows(world, options, log).build()
