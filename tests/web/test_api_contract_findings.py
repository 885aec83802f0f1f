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
