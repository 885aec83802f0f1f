"""Dates as witnesses write them, found in a statement and read as EDTF through archive.dates.

'8 November 2021', 'November 8, 2021', '8th of November 2021', 'November 2021', '08.11.2021',
'2021-11-08', month names in English, Polish and Russian in their inflected forms ('8 listopada
2021', 'w listopadzie 2021', '8 ноября 2021 года', 'в ноябре 2021') and in Arabic ('8 نوفمبر 2021',
'تشرين الثاني 2021'), and a bare year from 2015 to this year only where it reads as one ('in 2021',
'w 2021 roku', 'в 2021 году'), never inside a reference such as T-2021-0042. Every date goes
through `archive.dates.parse`, so an impossible one (31.02.2021) or a future one is not offered.
"""
import datetime as dt
import re

from archive import dates
from archive.text import fold, windows_around

FIRST_BARE_YEAR = 2015  # a lone year before this reads as history, not as a push-back's date
MONTH_NAMES = {
    1: "january jan styczeń stycznia styczniu январь января январе يناير كانون_الثاني",
    2: "february feb luty lutego lutym февраль февраля феврале فبراير شباط",
    3: "march mar marzec marca marcu март марта марте مارس آذار",
    4: "april apr kwiecień kwietnia kwietniu апрель апреля апреле أبريل ابريل نيسان",
    5: "may maj maja maju май мая мае مايو أيار",
    6: "june jun czerwiec czerwca czerwcu июнь июня июне يونيو حزيران",
    7: "july jul lipiec lipca lipcu июль июля июле يوليو تموز",
    8: "august aug sierpień sierpnia sierpniu август августа августе أغسطس آب",
    9: "september sep sept wrzesień września wrześniu сентябрь сентября сентябре سبتمبر أيلول",
    10: "october oct październik października październiku октябрь октября октябре أكتوبر اكتوبر "
        "تشرين_الأول",
    11: "november nov listopad listopada listopadzie ноябрь ноября ноябре نوفمبر تشرين_الثاني",
    12: "december dec grudzień grudnia grudniu декабрь декабря декабре ديسمبر كانون_الأول",
}
MONTHS = {fold(name.replace("_", " ")): number for number, names in MONTH_NAMES.items() for name in names.split()}
_MONTH = "|".join(sorted((re.escape(name.replace("_", " ")) for names in MONTH_NAMES.values()
                          for name in names.split()), key=len, reverse=True))
# Words after which a lone year is a year: 'in 2021', 'since 2019', 'w 2021', 'в 2021', 'عام 2021'.
_YEAR_BEFORE = ("in|since|from|until|till|during|of|early|late|mid|summer|winter|spring|autumn|year|"
                "w|we|od|do|roku|lato|latem|zimą|zima|jesienią|wiosną|в|с|до|году|год|летом|зимой|осенью|"
                "весной|عام|سنة|في")
_YEAR_AFTER = r"r\.|roku|rok|года|году|год|г\."
_LEFT, _RIGHT = r"(?<![\w./-])", r"(?![\w/-]|[.,:]\d)"
PATTERNS = [  # (precision, regex); earlier patterns win where matches overlap
    ("day", rf"{_LEFT}(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}}){_RIGHT}"),
    ("day", rf"{_LEFT}(?P<day>\d{{1,2}})(?P<sep>[./])(?P<month>\d{{1,2}})(?P=sep)(?P<year>\d{{4}}){_RIGHT}"),
    ("day", rf"{_LEFT}(?P<day>\d{{1,2}})(?:st|nd|rd|th|\.)?(?:\s+of)?\s+(?P<name>{_MONTH})\.?,?\s+"
            rf"(?P<year>\d{{4}}){_RIGHT}"),
    ("day", rf"(?<!\w)(?P<name>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_RIGHT}"),
    ("month", rf"{_LEFT}(?P<year>\d{{4}})-(?P<month>\d{{2}}){_RIGHT}"),
    ("month", rf"(?<!\w)(?P<name>{_MONTH})\.?,?\s+(?:of\s+)?(?P<year>\d{{4}}){_RIGHT}"),
    ("year", rf"(?<!\w)(?:{_YEAR_BEFORE})\s+(?P<year>\d{{4}}){_RIGHT}"),
    ("year", rf"{_LEFT}(?P<year>\d{{4}})\s*(?:{_YEAR_AFTER})(?!\w)"),
]
_YEAR = re.compile(r"\d{4}")
WINDOW_BEFORE, WINDOW_AFTER = 60, 12  # the longest date before its year ('30th of September, ...') and after
COMPILED = [(precision, re.compile(pattern, re.IGNORECASE)) for precision, pattern in PATTERNS]


def find_dates(text, today=None):
    """[(start, end, written form, PartialDate)] of every valid date written in `text`."""
    found, taken = [], []
    windows = _windows(text)
    for precision, pattern in COMPILED:
        for match in (m for low, high in windows for m in pattern.finditer(text, low, high)):
            start, end = _span(match, precision)
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))  # an impossible date is not read again as its month or year
            date = _read(match, precision, today)
            if date is not None:
                found.append((start, end, text[start:end], date))
    return sorted(found, key=lambda item: item[0])


def _windows(text):
    """Stretches of text around each four-digit number: every date has a year, so the patterns
    need only look there (a long statement is then read once by a simple pattern)."""
    return windows_around(_YEAR.finditer(text), len(text), WINDOW_BEFORE, WINDOW_AFTER)


def _span(match, precision):
    """The date itself, without the cue word of a bare year ('in 2021' -> '2021')."""
    if precision == "year" and match.start("year") > match.start():
        return match.start("year"), match.end()
    return match.span()


def _read(match, precision, today):
    groups = match.groupdict()
    year = int(groups["year"])
    if precision == "year" and not FIRST_BARE_YEAR <= year <= (today or dt.date.today()).year:
        return None  # up to this year, whatever year this is: a later one is not yet a date
    month = MONTHS.get(fold(groups["name"])) if groups.get("name") else groups.get("month")
    edtf = {"day": f"{year:04d}-{int(month or 0):02d}-{int(groups.get('day') or 0):02d}",
            "month": f"{year:04d}-{int(month or 0):02d}", "year": f"{year:04d}"}[precision]
    try:
        return dates.parse(edtf, today)
    except dates.DateError:
        return None
