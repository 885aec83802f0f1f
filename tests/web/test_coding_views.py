"""The coding page and its endpoints through the Flask test client: what each role sees and may
do, CSRF, exact passages, escaping of the statement, the JSON errors the script shows."""
import re

import pytest

from archive import store
from tests import factories

TEXT = "<b>At night</b> the soldiers beat us & took our phones near Kuźnica."


@pytest.fixture
def reference(import_records):
    record = factories.record(1, text=TEXT, abuse_types=[], perpetrators=[], location=None, incident_date_from=None)
    return import_records([record]).references[0]


def code_body(passage, **values):
    start = TEXT.index(passage)
    return {"start": start, "end": start + len(passage), "selected_text": passage, "abuse_type": "beating", **values}


def post_code(client, token, reference, body):
    return client.post(f"/testimonies/{reference}/codes", json=body, headers={"X-CSRFToken": token})


def test_a_code_posted_as_json_is_stored_and_highlighted(signed_in, reference, db):
    client, token = signed_in("coder")
    answer = post_code(client, token, reference, code_body("beat us", perpetrators=["BY"], place="Kuznica"))
    assert answer.status_code == 201
    code_id = answer.get_json()["id"]
    assert answer.get_json() == {"kind": "code", "id": code_id, "anchor": f"passage-{code_id}"}
    code = store.get_code(db, code_id)
    assert (code["passage_text"], code["coder"], code["place_id"], code["perpetrators"]) == (
        "beat us", "coder", "kuznica", ["BY"])
    page = client.get(f"/testimonies/{reference}").get_data(as_text=True)
    statement = re.search(r'<div id="statement"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert statement == ('&lt;b&gt;At night&lt;/b&gt; the soldiers '
                         f'<mark class="cat-physical_violence" id="passage-{code_id}" data-code="{code_id}" '
                         f'data-start="{TEXT.index("beat us")}">beat us</mark> &amp; took our phones near Kuźnica.')


def test_a_passage_that_is_not_the_selected_text_is_refused(signed_in, reference, db):
    client, token = signed_in("coder")
    body = {**code_body("beat us"), "selected_text": "beat u"}
    answer = post_code(client, token, reference, body)
    assert answer.status_code == 422
    assert "not the passage at these offsets" in answer.get_json()["errors"]["selected_text"][0]
    assert store.get_testimony(db, reference)["codes"] == []


@pytest.mark.parametrize("body, message", [
    ("not json", "the body is not JSON the archive can read: Expecting value at column 1"),
    ([1, 2], "send the code as a JSON object")])
def test_a_body_that_is_not_a_code_object_is_refused(signed_in, reference, body, message):
    client, token = signed_in("coder")
    answer = client.post(f"/testimonies/{reference}/codes", data=body if isinstance(body, str) else None,
                         json=None if isinstance(body, str) else body, headers={"X-CSRFToken": token},
                         content_type="application/json")
    assert answer.status_code == 400
    assert answer.get_json()["message"] == message


def test_coding_needs_the_csrf_token(signed_in, reference, db):
    client, _ = signed_in("coder")
    assert client.post(f"/testimonies/{reference}/codes", json=code_body("beat us")).status_code == 400
    assert store.get_testimony(db, reference)["codes"] == []


def test_an_edit_needs_a_reason_and_is_kept_in_history(signed_in, reference, db):
    client, token = signed_in("coder")
    code_id = post_code(client, token, reference, code_body("beat us")).get_json()["id"]
    url = f"/testimonies/{reference}/codes/{code_id}"
    refused = client.patch(url, json=code_body("soldiers beat us"), headers={"X-CSRFToken": token})
    assert (refused.status_code, refused.get_json()["errors"]) == (422, {"reason": ["say why the code is changed"]})
    answer = client.patch(url, json={**code_body("soldiers beat us"), "reason": "the actors belong to the passage"},
                          headers={"X-CSRFToken": token})
    assert answer.get_json()["changed"] == ["passage_start", "passage_text"]
    assert store.get_code(db, code_id)["passage_text"] == "soldiers beat us"
    update = [h for h in store.history_of(db, reference) if h["action"] == "update" and h["entity"] == "code"]
    assert [(h["reason"], h["old"]["passage_text"], h["new"]["passage_text"]) for h in update] == [
        ("the actors belong to the passage", "beat us", "soldiers beat us")]


def test_remove_and_status_are_plain_forms(signed_in, reference, db):
    client, token = signed_in("coder")
    code_id = post_code(client, token, reference, code_body("took our phones", abuse_type="theft")).get_json()["id"]
    assert store.get_testimony_row(db, reference)["status"] == "in_progress"
    answer = client.post(f"/testimonies/{reference}/codes/{code_id}/remove",
                         data={"csrf_token": token, "reason": "not theft: they gave them back"})
    assert (answer.status_code, answer.headers["Location"]) == (303, f"/testimonies/{reference}#codes")
    assert store.get_testimony(db, reference)["codes"] == []
    marked = client.post(f"/testimonies/{reference}/status", data={"csrf_token": token, "status": "coded"})
    assert marked.status_code == 303
    refused = client.post(f"/testimonies/{reference}/status", data={"csrf_token": token, "status": "reviewed"})
    assert refused.status_code == 403
    assert store.get_testimony_row(db, reference)["status"] == "coded"
    reviewer, reviewer_token = signed_in("reviewer")
    assert reviewer.post(f"/testimonies/{reference}/status",
                         data={"csrf_token": reviewer_token, "status": "reviewed"}).status_code == 303
    assert store.get_testimony_row(db, reference)["status"] == "reviewed"


def test_a_removal_without_a_reason_is_refused(signed_in, reference, db):
    client, token = signed_in("coder")
    code_id = post_code(client, token, reference, code_body("beat us")).get_json()["id"]
    answer = client.post(f"/testimonies/{reference}/codes/{code_id}/remove", data={"csrf_token": token, "reason": " "})
    assert answer.status_code == 422
    assert "Say why the code is removed" in answer.get_data(as_text=True)
    assert store.get_code(db, code_id)


def test_readers_see_the_passages_but_no_coding_tools(signed_in, reference):
    coder, token = signed_in("coder")
    post_code(coder, token, reference, code_body("beat us"))
    viewer, viewer_token = signed_in("viewer")
    page = viewer.get(f"/testimonies/{reference}").get_data(as_text=True)
    assert 'class="cat-physical_violence"' in page
    assert "code-form" not in page and "coding.js" not in page and "Mark coded" not in page
    assert 'id="history-title"' not in page
    assert viewer.post(f"/testimonies/{reference}/codes", json=code_body("beat us"),
                       headers={"X-CSRFToken": viewer_token}).status_code == 403
    assert viewer.get("/testimonies/new").status_code == 403


def test_a_reviewer_reads_the_history_of_the_testimony_and_of_each_code(signed_in, reference):
    coder, token = signed_in("coder")
    body = code_body("beat us", note="<script>alert(1)</script>")
    code_id = post_code(coder, token, reference, body).get_json()["id"]
    reviewer, _ = signed_in("reviewer")
    page = reviewer.get(f"/testimonies/{reference}").get_data(as_text=True)
    assert 'id="history-title"' in page
    code_item = page[page.index(f'id="code-{code_id}"'):]
    assert "History (1)" in code_item[:code_item.index("</li>")]
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_anonymous_visitors_are_sent_to_log_in(anonymous, reference):
    assert anonymous.get(f"/testimonies/{reference}").status_code == 302
    assert anonymous.get("/testimonies/new").status_code == 302


def test_a_testimony_the_role_may_not_open_cannot_be_coded(signed_in, import_records, db):
    record = factories.record(2, text="Withdrawn words.", consent="withdrawn", abuse_types=[], perpetrators=[],
                              location=None, incident_date_from=None)
    withdrawn = import_records([record]).references[0]
    client, token = signed_in("coder")
    assert client.get(f"/testimonies/{withdrawn}").status_code == 404
    body = {"start": 0, "end": 9, "selected_text": "Withdrawn", "abuse_type": "beating"}
    assert post_code(client, token, withdrawn, body).status_code == 404
    assert store.get_testimony(db, withdrawn)["codes"] == []


def test_an_unknown_testimony_or_code_is_a_404(signed_in, reference):
    client, token = signed_in("coder")
    assert client.get("/testimonies/T-1999-0001").status_code == 404
    assert post_code(client, token, "T-1999-0001", code_body("beat us")).status_code == 404
    assert client.patch(f"/testimonies/{reference}/codes/999", json={**code_body("beat us"), "reason": "x"},
                        headers={"X-CSRFToken": token}).status_code == 404
