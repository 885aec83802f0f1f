import datetime as dt
import unicodedata

import pytest

from archive import dates
from archive.text import find_controls, fold, fold_phrase, normalise

TODAY = dt.date(2024, 6, 30)


@pytest.mark.parametrize("written, folded", [
    ("Kuźnica", "kuznica"), ("KUŹNICA", "kuznica"), ("Białowieża", "bialowieza"),
    ("Ёлка", "елка"), ("Кузница", "кузница"), ("الضَّرْب", "الضرب"), ("مدرسة", "مدرسه"),
    ("Šalčininkai", "salcininkai"), ("Straße", "strasse"),
])
def test_fold_removes_case_and_diacritics_in_every_script(written, folded):
    assert fold(written) == folded


def test_fold_phrase_ignores_punctuation_and_spacing():
    assert fold_phrase("Kuźnica  Białostocka–Bruzgi") == "kuznica bialostocka bruzgi"


def test_normalise_composes_and_unifies_line_endings():
    decomposed = unicodedata.normalize("NFD", "Białowieża\r\nKuźnica\r")
    assert normalise(decomposed) == "Białowieża\nKuźnica\n"


@pytest.mark.parametrize("text, expected", [
    ("plain\ttext\nwith lines", None),
    ("nul\x00byte", (3, "NUL (U+0000)")),
    ("right\u202eleft", (5, "RIGHT-TO-LEFT OVERRIDE (U+202E)")),
    ("bell\x07", (4, "control character (U+0007)")),
])
def test_find_controls(text, expected):
    assert find_controls(text) == expected


@pytest.mark.parametrize("written, start, end, precision", [
    ("2021-11-08", "2021-11-08", "2021-11-08", "day"),
    ("2021-11", "2021-11-01", "2021-11-30", "month"),
    ("2020-02", "2020-02-01", "2020-02-29", "month"),
    ("2021", "2021-01-01", "2021-12-31", "year"),
    ("2021-11-16~", "2021-11-09", "2021-11-23", "approximate"),
])
def test_partial_dates_keep_precision_and_bounds(written, start, end, precision):
    assert dates.parse(written, TODAY) == dates.PartialDate(
        written, dt.date.fromisoformat(start), dt.date.fromisoformat(end), precision)


def test_a_range_spans_from_the_start_of_one_to_the_end_of_the_other():
    assert dates.parse_range("2021-09", "2021-11", TODAY) == dates.PartialDate(
        "2021-09/2021-11", dt.date(2021, 9, 1), dt.date(2021, 11, 30), "range")
    assert dates.parse_range("2021-09", "2021-09", TODAY).precision == "month"


@pytest.mark.parametrize("written, message", [
    ("2021-13-40", "does not exist"), ("2021-02-29", "does not exist"), ("2024-07-01", "in the future"),
    ("20211105", "is not a date"), ("2021-1-5", "is not a date"), ("5/11/2021", "is not a date"),
    ("1850", "before 1900"), ("", "is not a date"),
])
def test_impossible_dates_are_refused_with_a_reason(written, message):
    with pytest.raises(dates.DateError, match=message):
        dates.parse(written, TODAY)


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(dates.DateError, match="ends"):
        dates.parse_range("2021-11", "2021-10-31", TODAY)
