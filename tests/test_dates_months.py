"""``months``: the documented rule for whole calendar months, held against
``dateutil.relativedelta`` and against the vectorised version the compiler uses.

The rule (``docs/rule-language.rst``, "Months and years") counts the complete calendar
months from day ``a`` to day ``b``: ``(b.year - a.year) * 12 + (b.month - a.month)``, minus
one when ``b.day < a.day``, never below 0. ``relativedelta`` agrees everywhere except where
it clips a day that the shorter month lacks: from 31 January to 28 February it counts one
month (31 January plus a month is clipped to 28 February), the documented rule none,
because the 31st of the month has not come again.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kzrehab.dates import whole_months
from kzrehab.population.columns import _whole_months

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31))


def _clipped(a: dt.date, b: dt.date) -> bool:
    """relativedelta reaches ``b`` by clipping ``a``'s day to the end of ``b``'s month."""
    return b.day < a.day and b.day == calendar.monthrange(b.year, b.month)[1]


@given(DAYS, DAYS)
def test_whole_months_is_relativedelta_but_for_clipped_month_ends(a: dt.date, b: dt.date) -> None:
    got = whole_months(a.toordinal(), b.toordinal())
    if b < a:
        assert got == 0
        return
    r = relativedelta(b, a)
    reference = r.years * 12 + r.months
    assert got == reference - (1 if _clipped(a, b) else 0)


def test_the_clipped_month_ends_are_the_documented_choice() -> None:
    jan31, feb28 = dt.date(2023, 1, 31), dt.date(2023, 2, 28)
    r = relativedelta(feb28, jan31)
    assert (r.years, r.months) == (0, 1)
    assert whole_months(jan31.toordinal(), feb28.toordinal()) == 0
    assert whole_months(jan31.toordinal(), dt.date(2023, 3, 31).toordinal()) == 2


@given(st.lists(st.tuples(DAYS, DAYS), min_size=1, max_size=50))
def test_the_vectorised_months_equal_the_per_claim_ones(
    pairs: list[tuple[dt.date, dt.date]],
) -> None:
    a = np.array([p.toordinal() for p, _ in pairs], dtype=np.float64)
    b = np.array([q.toordinal() for _, q in pairs], dtype=np.float64)
    expected = [whole_months(p.toordinal(), q.toordinal()) for p, q in pairs]
    assert _whole_months(a, b).tolist() == expected
