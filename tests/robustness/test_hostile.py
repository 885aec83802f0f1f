"""Hostile input at the edges: markup in every text field, oversized bodies, errors that could leak,
and text that is not text (lone surrogates, deep nesting, numbers of hundreds of digits)."""
import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.import_row import FIELDS
from tests.factories import record

SCRIPT = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'><svg onload=alert(3)>'
TEXT_FIELDS = ["title", "text", "interviewer", "organisation", "source", "witness_pseudonym", "location"]


@pytest.fixture
def hostile(import_records):
    values = {name: f"{name} {SCRIPT}" for name in TEXT_FIELDS}
    import_records([record(1, **values, witness_name=SCRIPT, consent="legal")])


def strings(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in strings(item)]


@pytest.mark.parametrize("path", ["/", "/?q=alert", "/testimonies/T-2021-0001", "/testimonies/T-2021-0001/identity",
                                  "/api/search?q=alert", "/api/testimonies/T-2021-0001"])
def test_markup_in_every_text_field_is_shown_as_text(client, hostile, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    if path.startswith("/api/"):  # JSON carries the witness's words verbatim, never sniffed as HTML
        assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"
        assert f"title {SCRIPT}" in strings(response.get_json())
        return
    for dangerous in ("<script>alert", "<img src=x", "<svg onload"):
        assert dangerous not in body
    assert "&lt;script&gt;" in body


def test_every_hostile_field_was_tried():
    assert set(TEXT_FIELDS) <= set(FIELDS)


def test_an_oversized_body_is_refused_before_it_is_read(data_dir, users):
    from archive import create_app

    app = create_app({"TESTING": True, "DATA": str(data_dir.root), "MAX_CONTENT_LENGTH": 1024})
    response = app.test_client().post("/login", data={"name": "x" * 5000, "password": "y"})
    assert response.status_code == 413


def test_an_unexpected_error_shows_and_logs_no_witness_data(client, hostile, monkeypatch, caplog):
    from archive.views import testimonies

    def broken(*args, **kwargs):
        raise ValueError(f"failed on {SCRIPT} Fictional Witness Name")

    monkeypatch.setattr(testimonies.results, "describe_code", broken)
    with caplog.at_level(logging.DEBUG):
        response = client.get("/testimonies/T-2021-0001")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Traceback" not in body and "Fictional Witness Name" not in body
    assert "Fictional Witness Name" not in caplog.text and "ValueError" in caplog.text


# --- text that is not text: lone surrogates, deep nesting, numbers of hundreds of digits -------------

CODED = "At night the soldiers beat us and took our phones near Kuźnica."
DEEP = "[" * 50_000 + "]" * 50_000
HUGE_NUMBERS = ["1" + "0" * 400, "-1" + "0" * 400, "1e999", "-1e999", "1" * 5000, "NaN", "Infinity", "1e-999"]
SURROGATES = ['"\\ud800"', '"\\udfff"', '"beat \\udc80 us"', '"\\ude00\\ud83d"']  # lone, and a pair backwards
CODE_FIELDS = ["start", "end", "selected_text", "abuse_type", "perpetrators", "place", "date", "date_to", "victims",
               "minors", "note", "redact", "reason"]


@pytest.fixture
def coded(import_records, users):
    import_records([record(1, text=CODED, abuse_types=[], perpetrators=[], location=None, incident_date_from=None)])
    return "T-2021-0001"


def _code_json(**raw):
    """A valid code as JSON text, with each of `raw`'s fields replaced by the raw JSON text given."""
    start = CODED.index("beat us")
    body = {"start": start, "end": start + 7, "selected_text": "beat us", "abuse_type": "beating"}
    fields = [f'{json.dumps(name)}: {raw.pop(name) if name in raw else json.dumps(value)}'
              for name, value in body.items()]
    fields += [f"{json.dumps(name)}: {value}" for name, value in raw.items()]
    return "{" + ", ".join(fields) + "}"


def _written(db):
    return {table: db[table].count for table in ("code", "redaction", "history", "audit_event")}


def _send(client, token, method, reference, body):
    path = f"/testimonies/{reference}/codes" + ("/1" if method == "PATCH" else "")
    return client.open(path, method=method, data=body.encode("utf-8"), content_type="application/json",
                       headers={"X-CSRFToken": token})


@pytest.fixture
def coder(app, login, coded, db):
    client = app.test_client()
    token = login(client, "coder")
    first = _send(client, token, "POST", coded, _code_json())  # code 1, for the PATCH requests to change
    assert first.status_code == 201
    return client, token


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("field", ["selected_text", "abuse_type", "place", "date", "note", "reason"])
def test_a_lone_surrogate_in_a_code_is_a_422_naming_the_field(coder, coded, db, method, field):
    client, token = coder
    before = _written(db)
    response = _send(client, token, method, coded, _code_json(**{field: '"\\ud800"', "reason": '"fix"'}
                                                                  if field != "reason" else {field: '"\\ud800"'}))
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "lone surrogate" in " ".join(response.get_json()["errors"][field])
    assert _written(db) == before


def test_a_lone_surrogate_in_a_list_of_perpetrators_is_a_422(coder, coded, db):
    client, token = coder
    before = _written(db)
    response = _send(client, token, "POST", coded, _code_json(perpetrators='["BY", "\\udc00"]'))
    assert response.status_code == 422 and "lone surrogate" in json.dumps(response.get_json()["errors"])
    assert _written(db) == before


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("body", [DEEP, _code_json(note=DEEP), _code_json(perpetrators="[" * 40 + "]" * 40),
                                  _code_json(victims="1" * 5000)], ids=["deep", "deep-note", "40-deep", "5000-digits"])
def test_deep_nesting_and_endless_numbers_are_a_400(coder, coded, db, method, body):
    client, token = coder
    before = _written(db)
    response = _send(client, token, method, coded, body)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("the body is not JSON the archive can read: ")
    assert _written(db) == before


@pytest.mark.parametrize("field", ["start", "end", "victims", "minors"])
@pytest.mark.parametrize("number", HUGE_NUMBERS[:4] + HUGE_NUMBERS[5:])
def test_a_huge_number_is_a_422_naming_the_field(coder, coded, db, field, number):
    client, token = coder
    before = _written(db)
    response = _send(client, token, "POST", coded, _code_json(**{field: number}))
    assert response.status_code == 422 and set(response.get_json()["errors"]) <= {field, "end", "start"}
    assert _written(db) == before


HOSTILE_JSON = st.sampled_from(SURROGATES + HUGE_NUMBERS + [DEEP, "[" * 33 + "]" * 33, '{"a": ' * 40 + "1" + "}" * 40])


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["POST", "PATCH"]),
       changes=st.dictionaries(st.sampled_from(CODE_FIELDS + ["unknown"]), HOSTILE_JSON, min_size=1, max_size=3),
       whole=st.booleans())
def test_every_json_body_with_hostile_values_is_a_clear_error(coder, coded, db, method, changes, whole):
    """Whatever field holds it, or as the whole body: a 400 or 422 with a message, and nothing written."""
    client, token = coder
    before = _written(db)
    body = next(iter(changes.values())) if whole else _code_json(**changes)
    response = _send(client, token, method, coded, body)
    assert response.status_code in (400, 422), (response.status_code, body[:200])
    answer = response.get_json()
    assert answer["message"] and json.dumps(answer).encode("utf-8")
    assert _written(db) == before


def _loading_schemas(codebook):
    from schemas.code import CodeSchema
    from schemas.export import CaseFileChangeSchema, CaseFileNameSchema, CaseFileShareSchema, ExportOptionsSchema
    from schemas.import_row import ImportRowSchema
    from schemas.reason import ReasonSchema
    from schemas.search import SearchArgsSchema
    from schemas.suggestion import SuggestionChoiceSchema

    return [ImportRowSchema(codebook), CodeSchema(codebook, CODED), SearchArgsSchema(), SuggestionChoiceSchema(),
            ExportOptionsSchema(), CaseFileNameSchema(), CaseFileChangeSchema(), CaseFileShareSchema(), ReasonSchema()]


def test_every_text_field_of_every_schema_refuses_a_lone_surrogate(codebook):
    """Every field a person or a file can put words in, in every schema that loads input."""
    from marshmallow import ValidationError, fields

    checked = 0
    for schema in _loading_schemas(codebook):
        for name, field in schema.fields.items():
            if isinstance(field, (fields.Integer, fields.Boolean)):
                continue
            value = ["\ud800"] if isinstance(field, fields.List) else "\ud800"
            with pytest.raises(ValidationError) as refused:
                schema.load({field.data_key or name: value}, partial=True)
            reasons = refused.value.messages[field.data_key or name]
            reasons = reasons if isinstance(reasons, list) else [r for rs in reasons.values() for r in rs]
            assert any("lone surrogate" in reason for reason in reasons), (type(schema).__name__, name, reasons)
            assert all("\ud800" not in reason for reason in reasons)  # the message can be printed
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("body", [DEEP, "1" * 5000, '{"a": ' * 40 + "1" + "}" * 40])
def test_flask_s_own_get_json_is_bounded_too(app, body):
    """For any view or extension that calls request.get_json(): a 400, never a RecursionError."""
    from werkzeug.exceptions import BadRequest

    with app.test_request_context("/", method="POST", data=body, content_type="application/json"):
        from flask import request

        with pytest.raises(BadRequest):
            request.get_json()


# --- form fields: what the browser sends as text ------------------------------------------------------
# Werkzeug decodes a form as UTF-8 with replacement, so bytes that are not UTF-8 (a lone surrogate's
# ED A0 80 included) arrive as U+FFFD or as their %-escapes, never as a lone surrogate. What the forms
# must still refuse, each naming the field, is what would be kept in history for good: hidden
# characters and endless reasons.

NOT_UTF8 = [b"%ED%A0%80", b"\xed\xa0\x80", b"%FF%FE", b"\xc0\xaf"]  # encoded, and raw
HIDDEN = [b"%00", b"before%E2%80%AEafter", b"x" * 600]


def _form(client, path, token, fields):
    body = b"&".join([b"csrf_token=" + token.encode()] + [k.encode() + b"=" + v for k, v in fields.items()])
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


@pytest.fixture
def with_code(app, login, coded, db):
    client = app.test_client()
    token = login(client, "coder")
    assert _send(client, token, "POST", coded, _code_json()).status_code == 201
    return client, token


@pytest.mark.parametrize("value", NOT_UTF8 + HIDDEN)
@pytest.mark.parametrize("path, fields", [
    ("/testimonies/T-2021-0001/codes/1/remove", {}),
    ("/testimonies/T-2021-0001/status", {"status": b"coded"}),
], ids=["remove", "status"])
def test_a_coding_form_s_reason(with_code, db, path, fields, value):
    client, token = with_code
    before = _written(db)
    response = _form(client, path, token, {**fields, "reason": value})
    if value in HIDDEN:
        assert response.status_code == 422 and "Reason: " in response.get_data(as_text=True)
        assert _written(db) == before
    else:  # kept with U+FFFD, or (raw bytes) the whole form unread, so its CSRF token is missing: a 400
        assert response.status_code in (303, 400)


@pytest.mark.parametrize("value", NOT_UTF8 + HIDDEN)
def test_a_double_coding_assignment_s_note(app, login, coded, db, value):
    client = app.test_client()
    token = login(client, "reviewer")
    response = _form(client, "/agreement/assign/T-2021-0001", token, {"coder": b"coder&coder=coder2", "reason": value})
    assigned = db.execute("SELECT count(*) FROM coding_assignment").fetchone()[0]
    if value in HIDDEN:
        assert response.status_code == 400 and "reason: " in response.get_data(as_text=True) and assigned == 0
    else:
        assert (response.status_code, assigned) in ((303, 2), (400, 0))


@pytest.mark.parametrize("value", NOT_UTF8)
@pytest.mark.parametrize("path, fields", [
    ("/testimonies/new", {"text": b"They took our phones near the fence.", "title": None}),
    ("/testimonies/new", {"text": None}),
    ("/case-files", {"name": None}),
    ("/testimonies/T-2021-0001/suggestions/dismiss", {"kind": b"abuse_type", "value": b"beating", "reason": None}),
], ids=["intake-title", "intake-text", "case-file-name", "dismissal-reason"])
def test_bytes_that_are_not_utf8_in_a_form_are_never_a_500(app, login, coded, path, fields, value):
    client = app.test_client()
    token = login(client, "reviewer")
    response = _form(client, path, token, {name: value if given is None else given for name, given in fields.items()})
    assert response.status_code in (303, 400, 409, 422), response.status_code


@pytest.mark.parametrize("query, status", [
    ("page=1" + "0" * 400, 422), ("page=" + "1" * 5000, 422), ("per_page=1e999", 422), ("per_page=-1e999", 422),
    ("q=%ED%A0%80", 200), ("abuse_type=%ED%A0%80", 200), ("from=%ED%A0%80", 422), ("q=" + "%5B" * 5000, 200),
    ("q=" + "(" * 3000 + "x", 200),
])
def test_the_api_s_arguments_with_numbers_of_hundreds_of_digits_or_broken_bytes(client, query, status):
    """flask-smorest's query arguments: a 422 naming the parameter, or a search; never a 500."""
    response = client.get("/api/search?" + query)
    assert response.status_code == status, response.get_json()
    if status == 422:
        assert set(response.get_json()["errors"]["query"]) <= {"page", "per_page", "from"}


@pytest.mark.parametrize("raw", ["0", "1", "1e-999", "0.0", '"true"', "null"])
def test_redact_is_json_true_or_false_only(coder, coded, raw):
    """Found by the fuzzing above: 1e-999 reads as 0.0, which a lax boolean took for false."""
    client, token = coder
    response = _send(client, token, "POST", coded, _code_json(redact=raw))
    assert response.status_code in (400, 422) and "redact" in response.get_data(as_text=True)
