"""What schemathesis found against a live server (issue 22), each fixed and kept fixed: the document's
patterns say exactly what the server accepts (a period's bound, a query's characters), and every 405
names the methods allowed in `Allow` (RFC 9110, 15.5.6)."""
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from archive import dates
from archive.text import find_controls
from schemas import date_patterns, validators
from schemas.search import DATE_PATTERN, QUERY_PATTERN, SearchArgsSchema
from tests.web.test_permissions import ROUTES

PERIOD = re.compile(DATE_PATTERN)
# Strings of a date's shape, whatever their digits: years 0000-9999, months and days 00-99.
SHAPED = st.builds(lambda year, month, day, parts, approx:
                   "-".join([f"{year:04d}", f"{month:02d}", f"{day:02d}"][:parts]) + ("~" if approx else ""),
                   st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99), st.integers(1, 3), st.booleans())


def accepted(text):
    try:
        SearchArgsSchema().load({"from": text})
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("text, ok", [
    ("0000", False), ("1899-12-31", False), ("1900", True), ("2021-11", True), ("2021-11-08~", True),
    ("2023-02-29", False), ("2024-02-29", True), ("1900-02-29", False), ("2000-02-29", True), ("2021-04-31", False),
    ("9999-12-31", True), ("", True), (" 2021-11 ", True), ("  ", True), ("2021-13", False), ("21", False),
    ("\u0662\u0660\u0662\u0661", False)])
def test_the_period_pattern_is_what_the_server_accepts(text, ok):
    assert bool(PERIOD.fullmatch(text)) is ok
    assert accepted(text) is ok


@settings(max_examples=2000, deadline=None)
@given(SHAPED)
def test_no_date_shaped_string_is_matched_and_refused_or_refused_and_matched(text):
    assert bool(PERIOD.fullmatch(text)) is accepted(text)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(DATE_PATTERN, fullmatch=True))
def test_every_string_the_pattern_allows_is_a_date(text):
    assert not text.strip() or dates.parse(text, today=dt.date.max)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_the_query_pattern_is_the_hidden_characters_rule(text):
    assert bool(re.fullmatch(QUERY_PATTERN, text)) is (find_controls(text) is None)


def test_year_0000_is_refused_and_the_document_says_so(client):
    refused = client.get("/api/search?from=0000")
    assert refused.status_code == 422 and "from" in refused.get_json()["errors"]["query"]
    document = client.get("/api/openapi.json").get_json()
    period = next(p for p in document["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "from")
    assert period["schema"]["pattern"] == DATE_PATTERN and not PERIOD.fullmatch("0000")


def test_every_405_names_the_methods_allowed(anonymous):
    """No route takes PUT: each answers 405 with `Allow` listing the method it does take (one archive for all
    routes: routing refuses the method before anything asks who is there)."""
    wrong = []
    for endpoint, (method, path, _permission) in sorted(ROUTES.items()):
        answer = anonymous.put(path)
        allowed = {m.strip() for m in answer.headers.get("Allow", "").split(",")}
        if answer.status_code != 405 or method not in allowed or "PUT" in allowed \
                or answer.is_json is not path.startswith("/api/"):
            wrong.append((endpoint, answer.status_code, answer.headers.get("Allow")))
    assert wrong == []


@pytest.mark.parametrize("path, methods", [
    ("/api/testimonies/T-2021-0001/consent", "OPTIONS, POST"),           # not GET: a reference may hold a '/'
    ("/api/testimonies/T-2021-0001/codes", "GET, HEAD, OPTIONS, POST"),  # reads and writes of one resource
    ("/api/testimonies/T-2021-0001/codes/1", "DELETE, OPTIONS, PATCH"),
    ("/api/testimonies/T-2021-0001", "GET, HEAD, OPTIONS"),
])
def test_options_allows_the_methods_of_the_resource_it_names(anonymous, path, methods):
    assert anonymous.options(path).headers["Allow"] == methods


@pytest.mark.parametrize("pattern, text, ok", [
    ("SAID_PATTERN", "because the witness asked", True), ("SAID_PATTERN", "   ", False), ("SAID_PATTERN", "", False),
    ("SAID_PATTERN", "ok\x06", False), ("REFERENCE_PATTERN", "T-2021-0001", True), ("REFERENCE_PATTERN", "-T", False),
    ("VISIBLE_PATTERN", "", True), ("VISIBLE_PATTERN", "a\u202eb", False)])
def test_the_documents_text_patterns_say_the_validators_rules(pattern, text, ok):
    from schemas import validators

    assert bool(re.fullmatch(getattr(validators, pattern), text)) is ok


# --- the writes' patterns: each says what its validator takes (schemathesis from outside, issue 22) -----------

@pytest.mark.parametrize("today", [dt.date(2026, 12, 7), dt.date(2024, 2, 29), dt.date(2025, 1, 1), dt.date(1900, 1, 1)])
def test_a_date_up_to_today_matches_the_pattern_exactly_when_the_server_reads_it(today):
    """Every year, month and day form from 1895 to the year after `today` (and 00 or 13 months, 32 days), with
    and without `~`: matched by the document's pattern of that day exactly when dates.parse takes it then."""
    pattern = re.compile(date_patterns.anchored(date_patterns.partial_date(until=today)))
    texts = [f"{y}" for y in range(1895, today.year + 2)]
    texts += [f"{y}-{m:02d}" for y in range(1895, today.year + 2) for m in range(14)]
    texts += [f"{y}-{m:02d}-{d:02d}" for y in range(today.year - 5, today.year + 2) for m in range(14) for d in range(33)]
    wrong = []
    for text in texts + [t + "~" for t in texts]:
        try:
            dates.parse(text, today=today)
            read = True
        except dates.DateError:
            read = False
        if bool(pattern.fullmatch(text)) is not read:
            wrong.append(text)
    assert wrong == []


def _reads(read, text):
    try:
        read(text)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10 ** 7), st.integers(0, 10 ** 7), st.sampled_from(["-", "–", " to ", "to", " - ", "_"]),
       st.integers(0, 7), st.booleans(), st.sampled_from(["", " ", "\t", "\u0660"]))
def test_the_group_size_pattern_is_what_group_size_reads(low, high, separator, zeros, single, around):
    """Numbers of 1-8 digits (leading zeros too), alone or as a range, within spaces or not: matched exactly when
    read, but for a range that ends below its start, which no pattern says (tests/robustness/api_rules.py): it
    is matched when its numbers the other way round are read."""
    from schemas.incident import GROUP_SIZE, GROUP_SIZE_PATTERN, group_size

    text = around + "0" * zeros + (str(low) if single else f"{low}{separator}{high}") + around
    ends = GROUP_SIZE.fullmatch(text)
    swapped = ends and ends.group(1) and f"{ends.group(2)}-{ends.group(1)}"
    assert bool(re.fullmatch(GROUP_SIZE_PATTERN, text)) is (_reads(group_size, text)
                                                            or bool(swapped and _reads(group_size, swapped)))


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[ ]?[0-9]{1,4}([ ]?-[ ]?[0-9]{1,4})?[ ]?|[\u0660-\u0669]{1,2}", fullmatch=True))
def test_the_age_pattern_is_what_the_age_validator_reads(text):
    """An age or a band, matched exactly when read, but for a band whose lower end comes second: matched when
    read the other way round."""
    from schemas.import_row import AGE_PATTERN

    band = validators.AGE_BAND.fullmatch(text.strip())
    swapped = band and f"{band.group(2)}-{band.group(1)}"
    assert bool(re.fullmatch(AGE_PATTERN, text.strip())) is (_reads(validators.age, text)
                                                             or bool(swapped and _reads(validators.age, swapped)))


@pytest.mark.parametrize("pattern, validator, samples", [
    ("LANGUAGE_PATTERN", validators.language_code, ["en", "EN", "eN", "pl", "ar", "xx", "eng", "e", ""]),
    ("COUNTRY_PATTERN", validators.country_code, ["SY", "sy", "SYR", "syr", "Pl", "XX", "XXX", "S", "SYRI"]),
])
def test_the_language_and_country_patterns_are_what_their_validators_read(pattern, validator, samples):
    from schemas import import_row

    for text in samples:
        try:
            validator(text)
            read = True
        except ValidationError:
            read = False
        assert bool(re.fullmatch(getattr(import_row, pattern), text)) is read, text


def test_the_documents_dates_are_written_again_on_a_new_day(monkeypatch, data_dir):
    """The day a witness decided may be today but not tomorrow; read again the next day, the document says so."""
    from archive import create_app, openapi

    app = create_app({"TESTING": True, "DATA": str(data_dir.root)})
    today = dt.date.today()

    def decided():
        with app.test_request_context():
            schema = app.extensions["archive.api"].spec.to_dict()["components"]["schemas"]["ConsentChange"]
        return re.compile(schema["properties"]["decided"]["pattern"])

    tomorrow = today + dt.timedelta(days=1)
    assert decided().fullmatch(today.isoformat()) and not decided().fullmatch(tomorrow.isoformat())

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return tomorrow

    monkeypatch.setattr(openapi.dt, "date", Tomorrow)
    assert decided().fullmatch(tomorrow.isoformat())


def test_the_document_names_the_codebooks_ids(anonymous, client):
    document = client.get("/api/openapi.json").get_json()
    code = document["components"]["schemas"]["NewCode"]
    coded = next(branch for branch in code["anyOf"] if "abuse_type" in branch.get("required", []))
    assert "beating" in coded["properties"]["abuse_type"]["enum"]
    leg = document["components"]["schemas"]["NewLeg"]["properties"]
    assert {"PL", "BY", ""} <= set(leg["from_side"]["enum"]) and "pl_border_guard" not in leg["from_side"]["enum"]
    assert document["paths"]["/api/imports"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "minItems"] == 1


def test_a_facet_takes_one_value_or_several_and_a_query_string_no_null(client):
    """`perpetrator=BY` is `perpetrator=[BY]` (style form, explode); `to=null` is text, not a date: refused."""
    one = client.get("/api/search?perpetrator=BY").get_json()
    assert [f["value"] for f in one["facets"]["perpetrator"] if f["selected"]] == ["BY"]
    several = client.get("/api/search?perpetrator=BY&perpetrator=PL").get_json()
    assert {f["value"] for f in several["facets"]["perpetrator"] if f["selected"]} == {"BY", "PL"}
    assert client.get("/api/search?to=null").status_code == 422


def test_the_white_space_the_patterns_allow_around_a_value_is_what_the_server_strips():
    """STRIPPED: every character str.strip() takes away (an import row's cells, a period's bounds); SPACE: those
    of them that are not hidden characters (a value checked for hidden characters before it is stripped)."""
    import sys

    white = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert {c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(date_patterns.STRIPPED, c)} == white
    assert {c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(date_patterns.SPACE, c)} == {
        c for c in white if find_controls(c) is None}
