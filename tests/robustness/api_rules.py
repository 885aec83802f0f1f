"""The rules across fields that the API document cannot state (OpenAPI has no way to say that one value
comes before another, or a count is no more than another), as a predicate on a schemathesis case: each is
said in the document's descriptions, and is a 422 naming its field. The contract tests leave these out of
the requests the document allows (tests/robustness/test_api_contract.py, test_api_write_contract.py), and so
does a run from outside, through tests/robustness/schemathesis_hooks.py (docs/api.md, the contract is tested).

Judged with the archive's own functions (dates.parse, group_size, the validators), not a copy of the rules.
"""
import datetime as dt

from marshmallow import ValidationError

from archive import dates
from schemas import validators
from schemas.incident import group_size


def _date(text, today):
    try:
        return dates.parse(text, today=today) if isinstance(text, str) and text.strip() else None
    except dates.DateError:
        return None


def _before(first, last, future=False):
    """Both read as dates (a search's period may reach into the `future`), and `last` ends before `first`
    starts."""
    today = dt.date.max if future else None
    first, last = _date(first, today), _date(last, today)
    return bool(first and last and last.end < first.start)


def _size(text):
    try:
        return group_size(text)
    except ValidationError:  # schema-valid, so: a range that ends below its start
        return None


def _more_than(count, limit):
    return isinstance(count, int) and isinstance(limit, int) and count > limit


def _unsafe_source(source):
    """A URL that is not http(s) (javascript:, data:, ftp://…): no pattern the document could hold says so."""
    try:
        validators.source(source.strip())
    except ValidationError:
        return True
    return False


def _record_out_of_order(record):
    if not isinstance(record, dict):
        return False
    age, source = record.get("witness_age"), record.get("source")
    band = validators.AGE_BAND.fullmatch(age.strip()) if isinstance(age, str) else None
    return (_before(record.get("incident_date_from"), record.get("incident_date_to"))
            or _before(record.get("incident_date_from"), record.get("interview_date"))
            or bool(band and int(band.group(1)) > int(band.group(2)))
            or isinstance(source, str) and _unsafe_source(source))


def out_of_order(case):
    """True for a request the document allows that breaks a rule it cannot state: one value before another,
    a count above another, two references alike in one batch."""
    body, path = case.body, case.operation.path
    if path in ("/api/search", "/api/statistics"):
        query = case.query or {}
        return _before(query.get("from"), query.get("to"), future=True)
    if path == "/api/imports" and isinstance(body, list):
        references = [r["reference"].strip() for r in body if isinstance(r, dict) and isinstance(r.get("reference"), str)
                      and r["reference"].strip()]
        return any(map(_record_out_of_order, body)) or len(references) != len(set(references))
    if not isinstance(body, dict):
        return False
    if path == "/api/testimonies":
        return _record_out_of_order(body)
    if path == "/api/exports":
        search = body.get("search") or {}
        return isinstance(search, dict) and _before(search.get("from"), search.get("to"), future=True)
    if path.startswith("/api/testimonies/{reference}/codes"):
        return (isinstance(body.get("start"), int) and isinstance(body.get("end"), int) and body["end"] <= body["start"]
                or _more_than(body.get("minors"), body.get("victims")) or _before(body.get("date"), body.get("date_to")))
    if path.startswith("/api/incidents"):
        size = body.get("group_size")
        low_high = _size(size) if isinstance(size, str) else (None, None)
        return (low_high is None or _before(body.get("date"), body.get("date_to"))
                or any(_more_than(body.get(name), (low_high or (None, None))[1]) for name in ("minors", "women"))
                or bool(body.get("from_side") and body.get("from_side") == body.get("to_side")))
    return False
