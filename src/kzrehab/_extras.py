"""The optional extras (pandas, pyarrow), imported only when asked for, and the plain
columns that the results' ``to_records()`` and ``to_pandas()`` share.

A result's table is **columns**: an ordered mapping from column name to its values, one per
row — a NumPy array of numbers (NaN: no value) or a sequence of plain values (None: no
value). :func:`records` turns them into a list of plain dicts (nothing to install);
:func:`frame` into a :class:`pandas.DataFrame` (the extra ``pandas``), its numbers as
numeric columns. :func:`require` imports an extra, or raises
:class:`~kzrehab.errors.MissingExtraError` naming the ``pip install`` that adds it.

>>> import numpy as np
>>> records({"id": ["a", "b"], "amount_max": np.array([1.5, np.nan])})
[{'id': 'a', 'amount_max': 1.5}, {'id': 'b', 'amount_max': None}]
"""

from __future__ import annotations

__all__ = ["EXTRAS", "require", "Columns", "records", "frame"]

import importlib
import math
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .errors import MissingExtraError
from .i18n import _

if TYPE_CHECKING:
    import pandas

#: the optional extras: module → the extra of kzrehab that installs it
EXTRAS = {"pandas": "pandas", "pyarrow": "parquet"}

#: a table as columns: name → one value per row (a NumPy array, or a sequence of plain values)
Columns = Mapping[str, Sequence[Any]]


def require(module: str, what: str) -> ModuleType:
    """Import an optional extra's module (``pandas``, ``pyarrow``), or raise
    :class:`~kzrehab.errors.MissingExtraError` saying what needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module.split(".")[0], module)
        raise MissingExtraError(
            _("{what} needs {module}, which is not installed: it is an optional extra of "
              "kzrehab (pip install 'kzrehab[{extra}]')").format(
                what=what, module=module.split(".")[0], extra=extra)
        ) from None


def _plain(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def records(columns: Columns) -> list[dict[str, Any]]:
    """The rows of ``columns`` as plain dicts (Python values; a missing number is None)."""
    names = list(columns)
    lists = [_tolist(columns[n]) for n in names]
    return [dict(zip(names, map(_plain, row), strict=True)) for row in zip(*lists, strict=True)]


def _tolist(values: Sequence[Any]) -> list[Any]:
    tolist = getattr(values, "tolist", None)
    return list(tolist() if tolist is not None else values)


def frame(columns: Columns, what: str, dtypes: Mapping[str, str] | None = None
          ) -> pandas.DataFrame:  # fmt: skip
    """``columns`` as a :class:`pandas.DataFrame` (``what`` names the result in the message
    when pandas is missing): arrays of numbers stay numeric columns, and the columns of
    ``dtypes`` get theirs (``Int64``: whole numbers that may be missing; ``float64``)."""
    pd = require("pandas", what)
    dtypes = dtypes or {}
    data = {n: (v if hasattr(v, "dtype") else pd.array(list(v), dtype=dtypes.get(n)))
            for n, v in columns.items()}  # fmt: skip
    out: pandas.DataFrame = pd.DataFrame(data, columns=list(columns))
    return out
