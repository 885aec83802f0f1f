"""The incidents' JSON API through the Flask test client, on an archive whose incidents came in by the
real import: the list (paged), one incident with its legs and sources (those the reader may not open
counted, never named), a testimony's incidents and candidates, recording through the pages' own
schemas, and answers that follow /api/openapi.json."""
import pytest

from archive.incidents import candidates
from archive.store import incidents as store_incidents
from tests.factories import record
from tests.web.test_search_api import answer_schema, problems

KUZNICA = {"id": "BVMN-1", "title": "Push-back at Kuźnica", "date": "2021-11-08", "place": "Kuźnica",
           "group_size": "20-30", "perpetrators": ["pl_border_guard"],
           "legs": [{"from_side": "BY", "to_side": "PL", "place": "Kuźnica", "date": "2021-11-08"},
                    {"from_side": "PL", "to_side": "BY", "perpetrator": "pl_border_guard"}]}


@pytest.fixture
def archive(import_records, users):
    import_records([
        record(1, incidents=[KUZNICA]),
        record(2, confidentiality="confidential", incidents=[{"id": "BVMN-1"}]),  # not for a viewer
        record(3, incidents=[{"id": "BVMN-2", "title": "Earlier, undated"}]),
        record(4),
    ])


def incident_id(db, external_id="BVMN-1"):
    return next(i["id"] for i in store_incidents.list_incidents(db) if i["external_id"] == external_id)


def test_the_list_is_paged_newest_event_first(archive, signed_in):
    viewer, _ = signed_in("viewer")
    first = viewer.get("/api/incidents?per_page=1").get_json()
    assert (first["total"], first["page"], first["per_page"]) == (2, 1, 1)
    assert [(i["external_id"], i["size"], i["sources_count"]) for i in first["incidents"]] == [("BVMN-1", "20–30", 2)]
    second = viewer.get("/api/incidents?per_page=1&page=2").get_json()
    assert [i["external_id"] for i in second["incidents"]] == ["BVMN-2"]  # undated: last
    refused = viewer.get("/api/incidents?per_page=500&colour=red")
    assert refused.status_code == 422 and set(refused.get_json()["errors"]["query"]) == {"per_page", "colour"}


def test_one_incident_names_only_the_sources_the_reader_may_open(archive, signed_in, db):
    number = incident_id(db)
    viewer, _ = signed_in("viewer")
    answer = viewer.get(f"/api/incidents/{number}")
    seen = answer.get_json()
    assert [s["reference"] for s in seen["sources"]] == ["T-2021-0001"]
    assert (seen["hidden_sources"], seen["sources_count"]) == (1, 2)
    assert "T-2021-0002" not in answer.get_data(as_text=True)
    assert [(leg["position"], leg["route"]) for leg in seen["legs"]] == [(1, "Belarus → Poland"),
                                                                       (2, "Poland → Belarus")]
    assert seen["place"] == {"id": "kuznica", "label": "Kuźnica", "resolved": True}
    reviewer, _ = signed_in("reviewer")
    assert [s["reference"] for s in reviewer.get(f"/api/incidents/{number}").get_json()["sources"]] == [
        "T-2021-0001", "T-2021-0002"]
    assert viewer.get("/api/incidents/999").status_code == 404


def test_a_testimonys_incidents_and_candidates(archive, signed_in):
    coder, _ = signed_in("coder")
    told = coder.get("/api/testimonies/T-2021-0001/incidents").get_json()
    assert [i["external_id"] for i in told["incidents"]] == ["BVMN-1"]
    offered = coder.get("/api/testimonies/T-2021-0004/candidates").get_json()
    assert offered["reference"] == "T-2021-0004" and len(offered["candidates"]) <= 3
    assert offered["candidates"] and all(c["score"] >= candidates.THRESHOLD and c["reasons"]
                                         for c in offered["candidates"])
    assert {c["kind"] for c in offered["candidates"]} <= {"incident", "testimony"}
    lawyer, _ = signed_in("lawyer")
    assert lawyer.get("/api/testimonies/T-2021-0004/candidates").status_code == 403


def test_recording_through_the_api_uses_the_pages_rules_history_and_audit(archive, app, run, db):
    token = run("user", "token", "coder", "--label", "script", "--scope", "write").output.strip()
    client = app.test_client()  # no session: the token alone
    bearer = {"Authorization": f"Bearer {token}"}
    refused = client.post("/api/incidents", json={"title": "Bad", "group_size": "30-20", "colour": "red"},
                          headers=bearer)
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]["json"]) == {"group_size", "colour"}
    assert store_incidents.count_incidents(db) == 2
    taken = client.post("/api/incidents", json={"title": "Again", "external_id": "BVMN-1"}, headers=bearer)
    assert taken.status_code == 409
    created = client.post("/api/incidents", json={"title": "Bruzgi", "date": "2021-11-09", "group_size": "12",
                                                  "testimony": "T-2021-0004", "reason": "told in the statement"},
                          headers=bearer)
    assert created.status_code == 201, created.get_json()
    new = created.get_json()
    assert [s["reference"] for s in new["sources"]] == ["T-2021-0004"] and new["size"] == "12"
    leg = client.post(f"/api/incidents/{new['id']}/legs", json={"from_side": "PL", "to_side": "BY"}, headers=bearer)
    assert leg.status_code == 201 and leg.get_json()["route"] == "Poland → Belarus"
    bad_leg = client.post(f"/api/incidents/{new['id']}/legs", json={"from_side": "PL", "to_side": "PL"}, headers=bearer)
    assert bad_leg.status_code == 422 and "to_side" in bad_leg.get_json()["errors"]["json"]
    linked = client.post(f"/api/incidents/{new['id']}/sources", json={"testimony": "T-2021-0003", "reason": "same"},
                         headers=bearer)
    assert linked.get_json() == {"incident": new["id"], "testimony": "T-2021-0003", "code": None, "added": True}
    history = [(h["entity"], h["action"], h["actor"]) for h in store_incidents.history_of(db, new["id"])]
    assert history == [("incident", "create", "coder"), ("source", "link", "coder"), ("leg", "create", "coder"),
                       ("source", "link", "coder")]
    actions = [r["action"] for r in db.query("SELECT action FROM audit_event WHERE actor = 'coder' ORDER BY id")]
    assert actions[-4:] == ["incident_created", "incident_linked", "incident_leg_added", "incident_linked"]


def test_a_lawyer_reads_but_may_not_record(archive, signed_in):
    lawyer, token = signed_in("lawyer")
    assert lawyer.get("/api/incidents").status_code == 200
    answer = lawyer.post("/api/incidents", json={"title": "x"}, headers={"X-CSRFToken": token})
    assert answer.status_code == 403
    # refused before the body is read: a change that is wrong as well is still a 403
    assert lawyer.patch("/api/incidents/1", json={"colour": "red"}, headers={"X-CSRFToken": token}).status_code == 403


def test_answers_follow_the_document(archive, signed_in, db):
    reviewer, _ = signed_in("reviewer")
    document = reviewer.get("/api/openapi.json").get_json()
    number = incident_id(db)
    for path, template in (("/api/incidents", "/api/incidents"),
                           (f"/api/incidents/{number}", "/api/incidents/{incident_id}"),
                           ("/api/testimonies/T-2021-0001/incidents", "/api/testimonies/{reference}/incidents"),
                           ("/api/testimonies/T-2021-0004/candidates", "/api/testimonies/{reference}/candidates")):
        answer = reviewer.get(path).get_json()
        assert problems(document, answer_schema(document, template), answer) == [], path
    body = document["paths"]["/api/incidents"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/NewIncident"}
    described = document["components"]["schemas"]["NewIncident"]["properties"]
    assert {"title", "group_size", "testimony", "code"} <= set(described)


def test_a_number_past_64_bits_is_no_incident_not_a_server_error(archive, signed_in):
    """Found by schemathesis: SQLite cannot bind it, and the answer was a 500."""
    coder, token = signed_in("coder")
    huge = 2 ** 70
    for answer in (coder.get(f"/api/incidents/{huge}"), coder.get(f"/incidents/{huge}"),
                   coder.post(f"/incidents/{huge}/legs/{huge}/move", data={"csrf_token": token}),
                   coder.post(f"/incidents/1/sources/{huge}/remove", data={"csrf_token": token, "reason": "x"})):
        assert answer.status_code == 404


def test_a_change_replaces_the_fields_sent_and_keeps_the_others(archive, signed_in, db):
    number = incident_id(db)
    coder, token = signed_in("coder")
    headers = {"X-CSRFToken": token}
    refused = coder.patch(f"/api/incidents/{number}", json={"group_size": "80"}, headers=headers)
    assert refused.status_code == 422 and "reason" in refused.get_json()["errors"]["json"]
    bad = coder.patch(f"/api/incidents/{number}", json={"minors": 90, "reason": "recount"}, headers=headers)
    assert bad.status_code == 409 and "minors" in bad.get_json()["errors"]["json"]  # more than its group of 80
    wrong = coder.patch(f"/api/incidents/{number}", json={"minors": 9, "group_size": "5", "reason": "recount"},
                        headers=headers)
    assert wrong.status_code == 422 and "minors" in wrong.get_json()["errors"]["json"]  # wrong in itself
    assert coder.patch(f"/api/incidents/{number}", json={"women": "3", "reason": "recount"},  # JSON's numbers only
                       headers=headers).status_code == 422
    assert coder.patch(f"/api/incidents/{number}", json={"women": -1, "reason": "recount"},
                       headers=headers).status_code == 422
    changed = coder.patch(f"/api/incidents/{number}", json={"group_size": "80", "note": "told twice",
                                                            "reason": "counted again"}, headers=headers)
    assert changed.status_code == 200, changed.get_json()
    incident = changed.get_json()
    assert (incident["size"], incident["note"], incident["title"], incident["place"]["id"]) == (
        "80", "told twice", "Push-back at Kuźnica", "kuznica")
    cleared = coder.patch(f"/api/incidents/{number}", json={"note": None, "reason": "the note was wrong"},
                          headers=headers).get_json()
    assert cleared["note"] is None and cleared["size"] == "80"
    entries = [(h["action"], h["reason"]) for h in store_incidents.history_of(db, number) if h["entity"] == "incident"]
    assert entries[-2:] == [("update", "counted again"), ("update", "the note was wrong")]


def test_a_reviewer_decides_on_a_candidate_and_a_rejected_one_is_not_offered_again(archive, signed_in, db):
    reviewer, token = signed_in("reviewer")
    headers = {"X-CSRFToken": token}
    offered = reviewer.get("/api/testimonies/T-2021-0004/candidates").get_json()["candidates"]
    first = offered[0]
    named = {"incident": first["incident"]["id"]} if first["kind"] == "incident" else {"testimony": first["testimony"]}
    no_reason = reviewer.post("/api/testimonies/T-2021-0004/candidates/decisions",
                              json={"decision": "rejected", **named}, headers=headers)
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["errors"]["json"]
    rejected = reviewer.post("/api/testimonies/T-2021-0004/candidates/decisions",
                             json={"decision": "rejected", "reason": "another group", **named}, headers=headers)
    assert rejected.status_code == 201 and rejected.get_json()["decision"] == "rejected"
    again = reviewer.get("/api/testimonies/T-2021-0004/candidates").get_json()["candidates"]
    assert first not in again
    decisions = db.execute("SELECT decision, reason FROM incident_link_decision").fetchall()
    assert decisions == [("rejected", "another group")]
    coder, coder_token = signed_in("coder")
    assert coder.post("/api/testimonies/T-2021-0004/candidates/decisions", json={"decision": "rejected", **named,
                      "reason": "x"}, headers={"X-CSRFToken": coder_token}).status_code == 403


def test_confirming_two_testimonies_records_one_incident_of_both(import_records, users, signed_in, db):
    import_records([record(1), record(2)])
    reviewer, token = signed_in("reviewer")
    (candidate,) = reviewer.get("/api/testimonies/T-2021-0001/candidates").get_json()["candidates"]
    assert (candidate["kind"], candidate["testimony"]) == ("testimony", "T-2021-0002")
    decided = reviewer.post("/api/testimonies/T-2021-0001/candidates/decisions", headers={"X-CSRFToken": token},
                            json={"decision": "confirmed", "testimony": "T-2021-0002", "reason": "same night"})
    assert decided.status_code == 201
    new = decided.get_json()["incident"]
    assert [s["reference"] for s in reviewer.get(f"/api/incidents/{new}").get_json()["sources"]] == [
        "T-2021-0001", "T-2021-0002"]


def test_a_third_account_confirmed_with_a_source_joins_its_incident_not_a_second_one(import_records, users,
                                                                                      signed_in, db):
    import_records([record(1), record(2), record(3)])
    reviewer, token = signed_in("reviewer")

    def confirm(reference, other):
        return reviewer.post(f"/api/testimonies/{reference}/candidates/decisions", headers={"X-CSRFToken": token},
                             json={"decision": "confirmed", "testimony": other, "reason": "same night"})

    first = confirm("T-2021-0001", "T-2021-0002").get_json()["incident"]
    joined = confirm("T-2021-0001", "T-2021-0003")
    assert joined.status_code == 201 and joined.get_json()["incident"] == first
    assert [s["reference"] for s in reviewer.get(f"/api/incidents/{first}").get_json()["sources"]] == [
        "T-2021-0001", "T-2021-0002", "T-2021-0003"]
    assert db["incident_record"].count == 1


def test_wrong_items_and_unknown_ids_of_one_list_are_named_not_a_500(archive, signed_in):
    """A perpetrators list with items of the wrong type and an unknown id: marshmallow names the items by
    position and the unknown id under `_schema`, in one dict (schemathesis found it answered 500)."""
    coder, token = signed_in("coder")
    answer = coder.post("/api/incidents", json={"title": "Night", "perpetrators": ["PL", 0, None, "AAA"]},
                        headers={"X-CSRFToken": token})
    assert answer.status_code == 422
    assert set(answer.get_json()["errors"]["json"]["perpetrators"]) == {"1", "2", "_schema"}
