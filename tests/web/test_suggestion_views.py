"""The suggestions page and its accept / dismiss forms, through the Flask test client."""
import json
import re

import pytest

from archive import store
from tests.factories import record

TEXT = "Near Kuźnica the soldiers beat us. <b>Then</b> the dogs came."
URL = "/testimonies/T-2021-0001/suggestions"


@pytest.fixture
def testimony(import_records, db):
    import_records([record(1, text=TEXT, abuse_types=None, perpetrators=None, location=None,
                           incident_date_from=None)])
    return store.get_testimony_row(db, "T-2021-0001")


def codes(db, testimony):
    return store.codes_of(db, [testimony["id"]]).get(testimony["id"], [])


def test_the_page_lists_pending_suggestions_with_marked_escaped_passages(client, users, login, testimony):
    login(client, "coder")
    html = client.get(URL).get_data(as_text=True)
    assert "Beating" in html and "Dog attack" in html and "Kuźnica" in html
    assert "the soldiers <mark>beat</mark> us." in html
    assert "&lt;b&gt;Then&lt;/b&gt; the <mark>dogs</mark> came." in html  # the witness's text never becomes markup
    assert "<b>Then" not in html
    section = html.split('<section class="suggestions"')[1].split("</main>")[0]  # not the footer's language form
    assert len(re.findall(r'<input type="hidden" name="csrf_token" value="[^"]+">', section)) == 2 * 3


def test_accept_makes_the_code_and_redirects_back(client, users, login, db, testimony):
    token = login(client, "coder")
    response = client.post(URL + "/accept", data={"csrf_token": token, "kind": "abuse_type", "value": "beating",
                                                  "next": "/testimonies/T-2021-0001"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/testimonies/T-2021-0001")
    [code] = codes(db, testimony)
    sentence = TEXT[:TEXT.index("us.") + 3]  # the passage is the sentence that says it
    assert (code["abuse_type"], code["passage_text"], code["passage_start"], code["coder"]) == (
        "beating", sentence, 0, "coder")
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "in_progress"
    html = client.get(URL).get_data(as_text=True)
    assert "Coded: Beating" in html and "<mark>beat</mark>" not in html


def test_dismiss_removes_it_for_good(client, users, login, db, testimony):
    token = login(client, "coder")
    form = {"csrf_token": token, "kind": "place", "value": "kuznica", "reason": "not the crossing"}
    assert client.post(URL + "/dismiss", data=form).status_code == 303
    html = client.get(URL).get_data(as_text=True)
    pending = html.split('<details class="dismissed">')[0]
    assert "Dismissed: Kuźnica" in html and 'name="value" value="kuznica"' not in pending
    client.post(URL + "/dismiss", data=form)
    assert "no pending suggestion place" in client.get(URL).get_data(as_text=True)
    assert codes(db, testimony) == []


@pytest.mark.parametrize("action", ["accept", "dismiss"])
def test_a_viewer_may_not_accept_or_dismiss(client, users, login, db, testimony, action):
    token = login(client, "viewer")
    response = client.post(f"{URL}/{action}", data={"csrf_token": token, "kind": "abuse_type", "value": "beating"})
    assert response.status_code == 403
    assert client.get(URL).status_code == 403
    assert codes(db, testimony) == [] and store.dismissed_suggestions(db, testimony["id"], "viewer") == set()


@pytest.mark.parametrize("action", ["accept", "dismiss"])
def test_a_form_without_its_csrf_token_is_refused(client, users, login, db, testimony, action):
    login(client, "coder")
    response = client.post(f"{URL}/{action}", data={"kind": "abuse_type", "value": "beating"})
    assert response.status_code == 400
    assert codes(db, testimony) == []


def test_anonymous_visitors_are_sent_to_log_in(anonymous, testimony):
    response = anonymous.get(URL)
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_a_testimony_the_user_may_not_open_is_not_found(client, users, login, import_records):
    import_records([record(2, text=TEXT, consent="withdrawn")])
    token = login(client, "coder")
    assert client.get("/testimonies/T-2021-0002/suggestions").status_code == 404
    response = client.post("/testimonies/T-2021-0002/suggestions/accept",
                           data={"csrf_token": token, "kind": "abuse_type", "value": "beating"})
    assert response.status_code == 404


@pytest.mark.parametrize("form, status", [
    ({"kind": "perpetrator", "value": "PL"}, 422),
    ({"kind": "abuse_type"}, 422),
    ({"kind": "abuse_type", "value": "x" * 101}, 422),
])
def test_a_malformed_choice_is_422(client, users, login, db, testimony, form, status):
    token = login(client, "coder")
    assert client.post(URL + "/accept", data={"csrf_token": token, **form}).status_code == status
    assert codes(db, testimony) == []


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "\\\\evil.example", "javascript:x"])
def test_next_never_leaves_the_site(client, users, login, testimony, target):
    token = login(client, "coder")
    response = client.post(URL + "/dismiss", data={"csrf_token": token, "kind": "abuse_type", "value": "beating",
                                                   "next": target})
    assert response.headers["Location"].endswith(URL)


def test_markup_around_a_trigger_stays_text(client, users, login, import_records):
    hostile = '<script>alert(1)</script>dogs<img src=x onerror=alert(2)> at "Kuźnica"\'><svg onload=alert(3)>'
    import_records([record(3, text=hostile, abuse_types=None, perpetrators=None, location=None,
                           incident_date_from=None)])
    login(client, "coder")
    html = client.get("/testimonies/T-2021-0003/suggestions").get_data(as_text=True)
    for dangerous in ("<script>alert", "<img src=x", "<svg onload"):
        assert dangerous not in html
    assert "&lt;/script&gt;<mark>dogs</mark>&lt;img src=x" in html


def test_a_dismissed_suggestion_can_be_restored_from_the_page(client, users, login, db, testimony):
    token = login(client, "coder")
    client.post(URL + "/dismiss", data={"csrf_token": token, "kind": "abuse_type", "value": "beating"})
    html = client.get(URL).get_data(as_text=True)
    dismissed = html.split('<details class="dismissed">')[1]
    assert "Beating" in dismissed and "by coder" in dismissed
    response = client.post(URL + "/restore", data={"csrf_token": token, "kind": "abuse_type", "value": "beating"})
    assert response.status_code == 303
    html = client.get(URL).get_data(as_text=True)
    assert "Restored: Beating" in html and "the soldiers <mark>beat</mark> us." in html
    assert '<details class="dismissed">' not in html


def audited(db, *actions):
    return [(row[0], row[1], row[2], json.loads(row[3])) for row in db.execute(
        "SELECT actor, action, subject, detail FROM audit_event WHERE action IN (%s) ORDER BY id"
        % ",".join("?" * len(actions)), actions)]


def test_accept_dismiss_and_restore_are_audited_like_every_code_change(client, users, login, db, testimony):
    from archive.custody import audit

    token = login(client, "coder")
    post = {"csrf_token": token}
    client.post(URL + "/accept", data={**post, "kind": "abuse_type", "value": "beating"})
    # (the accepted code's sentence names Kuźnica too, so the place is coded with it)
    client.post(URL + "/dismiss", data={**post, "kind": "abuse_type", "value": "dog_attack",
                                        "reason": "the town's dogs, not an attack"})
    client.post(URL + "/restore", data={**post, "kind": "abuse_type", "value": "dog_attack"})
    [code] = codes(db, testimony)
    assert audited(db, "code_added", "suggestion_dismissed", "suggestion_restored") == [
        ("coder", "code_added", "T-2021-0001", {"code": code["id"],
                                                "suggestion": {"kind": "abuse_type", "value": "beating"}}),
        ("coder", "suggestion_dismissed", "T-2021-0001", {"kind": "abuse_type", "value": "dog_attack"}),
        ("coder", "suggestion_restored", "T-2021-0001", {"kind": "abuse_type", "value": "dog_attack"})]
    assert audit.verify(db) == []
    assert "town's dogs" not in json.dumps(audited(db, "suggestion_dismissed"))  # reasons stay in history


def test_a_refused_accept_writes_no_audit_entry(client, users, login, db, testimony):
    token = login(client, "coder")
    client.post(URL + "/accept", data={"csrf_token": token, "kind": "abuse_type", "value": "beating"})
    client.post(URL + "/accept", data={"csrf_token": token, "kind": "abuse_type", "value": "beating"})  # coded
    client.post(URL + "/restore", data={"csrf_token": token, "kind": "place", "value": "kuznica"})  # not dismissed
    assert [entry[1] for entry in audited(db, "code_added", "suggestion_restored")] == ["code_added"]
