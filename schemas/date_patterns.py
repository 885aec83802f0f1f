"""The dates archive/dates.py reads, written as the API document's patterns, so that a client (or
schemathesis) may trust it: what matches is never refused, and what does not is. A year from 1900, a
month or a day that is in the calendar (30 days hath September; 29 February in leap years only), each
with an optional `~`; and, where the archive refuses the future (an interview, an incident, the day a
witness decided), only up to a given day: the document writes today's (archive/views/api_document.py).
[0-9], not \\d: \\d is any script's digit.
"""
import calendar

FIRST_YEAR = 1900
_MONTHS_31, _MONTHS_30 = "(0[13578]|1[02])", "(0[469]|11)"
# Every year from 1900, and every leap year among them (the Gregorian rule: 1900 is not one, 2000 is).
_ANY_YEAR = r"(19[0-9][0-9]|[2-9][0-9]{3})"
_ANY_LEAP_YEAR = r"((19|[2-9][0-9])(0[48]|[2468][048]|[13579][26])|(2[048]|[3579][26]|[468][048])00)"


def numbers(low, high, width):
    """A regular expression for the whole numbers `low`..`high`, written with `width` digits (zero-padded)."""
    low_text, high_text = f"{low:0{width}d}", f"{high:0{width}d}"
    if low_text == high_text:
        return low_text
    if width == 1:
        return f"[{low_text}-{high_text}]"
    unit = 10 ** (width - 1)
    first, last = low // unit, high // unit
    if first == last:
        return f"{first}{numbers(low % unit, high % unit, width - 1)}"
    parts, whole_from, whole_to = [], first, last
    if low % unit:
        parts.append(f"{first}{numbers(low % unit, unit - 1, width - 1)}")
        whole_from += 1
    if high % unit != unit - 1:
        whole_to -= 1
    if whole_from <= whole_to:
        digit = str(whole_from) if whole_from == whole_to else f"[{whole_from}-{whole_to}]"
        parts.append(digit + ("[0-9]" if width == 2 else f"[0-9]{{{width - 1}}}"))
    if high % unit != unit - 1:
        parts.append(f"{last}{numbers(0, high % unit, width - 1)}")
    return "(" + "|".join(parts) + ")"


def _days_of(years, leap_years):
    """Every day of the calendar in `years` (a regular expression), 29 February in `leap_years` only."""
    return (f"{years}-({_MONTHS_31}-(0[1-9]|[12][0-9]|3[01])|{_MONTHS_30}-(0[1-9]|[12][0-9]|30)"
            f"|02-(0[1-9]|1[0-9]|2[0-8]))" + (f"|{leap_years}-02-29" if leap_years else ""))


def _until(day):
    """(days, months, years): the regular expressions of the dates that start on or before `day`."""
    year, month = day.year, day.month
    before = numbers(FIRST_YEAR, year - 1, 4) if year > FIRST_YEAR else None
    leap_before = "|".join(str(y) for y in range(FIRST_YEAR, year) if calendar.isleap(y))
    this_year = [f"{m:02d}-{numbers(1, calendar.monthrange(year, m)[1], 2)}" for m in range(1, month)]
    this_year.append(f"{month:02d}-{numbers(1, day.day, 2)}")
    days = f"{year}-({'|'.join(this_year)})"
    months = f"{year}-{numbers(1, month, 2)}"
    if before:
        days = f"{_days_of(before, leap_before and f'({leap_before})')}|{days}"
        months = f"{before}-(0[1-9]|1[0-2])|{months}"
    return days, months, numbers(FIRST_YEAR, year, 4)


def partial_date(until=None, approximate=True, day_only=False):
    """The unanchored expression of one partial date (`2021`, `2021-11`, `2021-11-08`, with `~` if
    `approximate`; a day only if `day_only`) from 1900, or up to and including the one starting on `until`."""
    if until is None:
        days, months, years = _days_of(_ANY_YEAR, _ANY_LEAP_YEAR), f"{_ANY_YEAR}-(0[1-9]|1[0-2])", _ANY_YEAR
    else:
        days, months, years = _until(until)
    forms = f"({days})" if day_only else f"(({days})|({months})|({years}))"
    return forms + ("~?" if approximate else "")


# What str.strip() takes from around a value (the characters of str.isspace); and those of them that are not
# hidden characters (archive/text.py), for a value checked for hidden characters before it is stripped.
_UNICODE_SPACES = "\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
WHITE = f"\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f {_UNICODE_SPACES}"
STRIPPED = f"[{WHITE}]"
SPACE = f"[\\t\\n\\r {_UNICODE_SPACES}]"


def anchored(expression, around=False, empty=False, blank=False, space=SPACE):
    """`expression` as a whole value: within `space` if `around` (a value the server strips); also the empty
    string if `empty` (a field left empty), or only `space` if `blank` (a blank field: not given)."""
    spaces = f"{space}*" if around or blank else ""
    if blank:
        return f"^{spaces}({expression})?{spaces}$"
    return f"^({spaces}({expression}){spaces}){'?' if empty else ''}$"
