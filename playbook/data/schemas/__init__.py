"""Data contracts: one declarative spec per table, turned into pandera schemas.

The spec is the single source of truth for column names, types, ranges, allowed values, keys and
descriptions. `data.loading` validates files against it and `data.dictionary` renders it as the
data dictionary (`datasets/README.md`), so the code, the data and the documentation cannot drift.

The parts (each importable on its own; this package re-exports what callers use):
- `vocabulary`: the values a column may take (platforms, formats, niches, ISO country and currency codes);
- `spec`: `Field`, `RowRule`, `ForeignKey`, `Table` and the shorthands the declarations are written with;
- `tables_content`, `tables_commerce`, `tables_operations`: the table declarations, gathered in `TABLES`;
- `backend`: `pandera_schema`, which turns a `Table` into a pandera schema.
The spec imports neither pandas nor pandera (a row rule receives a DataFrame when it runs); pandera is
imported by `pandera_schema`, when data is validated.
"""

from __future__ import annotations

from playbook.data.schemas.backend import pandera_schema
from playbook.data.schemas.spec import KINDS, Field, ForeignKey, RowRule, Table
from playbook.data.schemas.tables_commerce import COMMERCE_TABLES
from playbook.data.schemas.tables_content import CONTENT_TABLES
from playbook.data.schemas.tables_operations import OPERATIONS_TABLES
from playbook.data.schemas.vocabulary import (
    AGE_BUCKETS,
    ALL_PLATFORM_FORMATS,
    ALL_PLATFORMS,
    ARMS,
    CHANNELS,
    COMMENT_KINDS,
    COUNTRIES,
    CURRENCIES,
    DEVICES,
    FORMATS,
    FRAUD_ARCHETYPES,
    GENDERS,
    INCENTIVES,
    INTERACTIONS,
    ISO_COUNTRIES,
    ISO_CURRENCIES,
    NICHES,
    OBJECTIVES,
    OUTREACH_OUTCOMES,
    PAYMENT_TERMS,
    PLATFORM_FORMATS,
    PLATFORMS,
    PROVENANCE,
    REPORTERS,
    ROLES,
    SAFETY_FLAGS,
    SAMPLE_CURRENCIES,
    TASK_CATEGORIES,
    TEMPLATES,
    USAGE_RIGHTS,
    VIDEO_FORMATS,
)

__all__ = [
    "AGE_BUCKETS",
    "ALL_PLATFORMS",
    "ALL_PLATFORM_FORMATS",
    "ARMS",
    "CHANNELS",
    "COMMENT_KINDS",
    "COUNTRIES",
    "CURRENCIES",
    "DEVICES",
    "FORMATS",
    "FRAUD_ARCHETYPES",
    "GENDERS",
    "INCENTIVES",
    "INTERACTIONS",
    "ISO_COUNTRIES",
    "ISO_CURRENCIES",
    "KINDS",
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
    "TABLES",
    "TASK_CATEGORIES",
    "TEMPLATES",
    "USAGE_RIGHTS",
    "VIDEO_FORMATS",
    "Field",
    "ForeignKey",
    "RowRule",
    "Table",
    "pandera_schema",
]

# Every table of the contract, by name, in the order the dictionary, the generator and the loader use.
TABLES: dict[str, Table] = {t.name: t for t in (*CONTENT_TABLES, *COMMERCE_TABLES, *OPERATIONS_TABLES)}
