"""Hostile input at the edges: markup in every text field, oversized bodies, errors that could leak."""
import logging

import pytest

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
