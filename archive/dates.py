"""Partial incident dates, as witnesses give them: a day, a month, a year, a range, or "around".

Written as a small subset of EDTF (ISO 8601-2): `2021-11-08`, `2021-11`, `2021`, a trailing `~`
for approximate, and `FROM/TO` for a range. Each date keeps its precision and is also stored
as inclusive day bounds (`start`, `end`) so that searches by period are plain comparisons.
"""
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from archive import errors
from archive.i18n import say

PRECISIONS = ("day", "month", "year", "range", "approximate")
APPROXIMATE_MARGIN = dt.timedelta(days=7)  # "around 16 January" widens the bounds by a week
_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?", re.ASCII)  # 0-9 only: not any script's digits


class DateError(errors.Invalid):
    """A date that cannot be read, does not exist, or is in the future."""


@dataclass(frozen=True)
class PartialDate:
    text: str        # as EDTF, e.g. "2021-11", "2021-09/2021-11", "2021-11-16~"
    start: dt.date   # first day it may mean
    end: dt.date     # last day it may mean
    precision: str   # one of PRECISIONS

    @property
    def year(self):
        """The year as written (an approximate date's bounds may reach into the year before)."""
        return int(self.text[:4])


def parse(text, today=None):
    """Read one partial date such as `2021`, `2021-11`, `2021-11-08` or `2021-11-08~`."""
    text = text.strip()
    match = _PATTERN.fullmatch(text)
    if not match:
        raise DateError(say("'%(text)s' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (add ~ if approximate)",
                            text=text))
    year, month, day, approximate = match.groups()
    year = int(year)
    try:
        if day:
            start = end = dt.date(year, int(month), int(day))
            precision = "day"
        elif month:
            start = dt.date(year, int(month), 1)
            end = start.replace(day=calendar.monthrange(year, int(month))[1])
            precision = "month"
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            precision = "year"
    except ValueError:
        raise DateError(say("'%(text)s' does not exist in the calendar", text=text)) from None
    if year < 1900:
        raise DateError(say("'%(text)s' is before 1900", text=text))
    if start > (today or dt.date.today()):
        raise DateError(say("'%(text)s' is in the future", text=text))
    if approximate:  # widened, but never past the ends of the calendar
        low = start - APPROXIMATE_MARGIN if start > dt.date.min + APPROXIMATE_MARGIN else dt.date.min
        high = end + APPROXIMATE_MARGIN if end < dt.date.max - APPROXIMATE_MARGIN else dt.date.max
        return PartialDate(text, low, high, "approximate")
    return PartialDate(text, start, end, precision)


def parse_range(date_from, date_to=None, today=None):
    """One incident date from the `from` and optional `to` fields of a record."""
    first = parse(date_from, today)
    if not date_to or date_to.strip() == first.text:
        return first
    last = parse(date_to, today)
    if last.end < first.start:
        raise DateError(say("the range ends (%(end)s) before it starts (%(start)s)", end=last.text, start=first.text))
    return PartialDate(f"{first.text}/{last.text}", first.start, last.end, "range")
