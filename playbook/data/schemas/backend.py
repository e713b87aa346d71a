"""The machinery that runs the spec: `pandera_schema(table)` builds a pandera schema from a `Table`.

pandera is imported when a schema is first built (data is validated), never when the spec is imported.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from playbook.data.schemas.spec import Table

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "pandera_schema",
]


@cache
def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """Build the pandera schema of a table (values already parsed to their kinds); built once per table.

    Dtypes are those `playbook.data.loading.load` returns: nullable ints/bools use the pandas nullable dtypes
    (`Int64`, `boolean`), required ones plain numpy (`int64`, `bool`); floats are `float64` with NaN.
    """
    dtypes = {
        "id": "str",
        "str": "str",
        "int": "int64",
        "float": "float64",
        "bool": "bool",
        "date": "datetime64[ns]",
        "datetime": "datetime64[ns]",
    }
    import pandera.pandas as pa

    nullable_dtypes = {"int": "Int64", "bool": "boolean"}
    columns = {}
    for f in table.fields:
        dtype = nullable_dtypes.get(f.kind, dtypes[f.kind]) if f.nullable else dtypes[f.kind]
        checks = []
        if f.allowed is not None:
            checks.append(pa.Check.isin(list(f.allowed)))
        if f.ge is not None:
            checks.append(pa.Check.ge(f.ge))
        if f.le is not None:
            checks.append(pa.Check.le(f.le))
        if f.kind == "id":
            checks.append(pa.Check(lambda s: s.str.len() > 0, name="non_empty"))
        columns[f.name] = pa.Column(
            dtype, checks=checks, nullable=f.nullable, unique=f.unique, description=f.description
        )
    rules = [pa.Check(rule.check, name=rule.name, error=rule.description) for rule in table.row_rules]
    return pa.DataFrameSchema(
        columns,
        checks=rules,
        unique=list(table.unique_together) or None,
        strict=True,
        ordered=False,
        name=table.name,
    )
