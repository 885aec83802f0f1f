"""Times as people read them (archive/times.py): UTC stated, the ISO time kept for the page's script."""
import datetime as dt

import pytest
from markupsafe import Markup

from archive import times


@pytest.mark.parametrize("stamp, precision, readable", [
    ("2026-12-02T14:05:11+00:00", "minute", "2 Dec 2026, 14:05 UTC"),
    ("2026-12-02T14:05:11+00:00", "day", "2 Dec 2026"),
    ("2026-12-03T01:30:00+02:00", "minute", "2 Dec 2026, 23:30 UTC"),  # another zone: said in UTC
    ("2026-05-09T08:00:00", "minute", "9 May 2026, 08:00 UTC"),        # a bare time is the archive's UTC
    (dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.timezone.utc), "minute", "1 Jan 2026, 00:00 UTC"),
    ("2026-12-02", "minute", "2 Dec 2026, 00:00 UTC"),
    ("not a time", "minute", "not a time"),
    ("", "minute", ""),
    (None, "minute", ""),
])
def test_readable(stamp, precision, readable):
    assert times.readable(stamp, precision) == readable


def test_the_element_keeps_the_full_time_for_the_script_and_the_utc_text_without_it():
    assert times.time_element("2026-12-02T14:05:11+00:00") == Markup(
        '<time datetime="2026-12-02T14:05:11+00:00" data-local="minute" title="2 Dec 2026, 14:05 UTC">'
        "2 Dec 2026, 14:05 UTC</time>")
    day = times.time_element("2026-12-02T14:05:11+00:00", "day")
    assert day.endswith('data-local="day" title="2 Dec 2026, 14:05 UTC">2 Dec 2026</time>')


def test_what_is_not_a_time_stays_text_for_the_template_to_escape():
    shown = times.time_element("<b>soon</b>")
    assert shown == "<b>soon</b>" and not isinstance(shown, Markup)
    assert times.time_element(None) == ""
