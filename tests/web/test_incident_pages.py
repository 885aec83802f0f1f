"""The incident pages through the Flask test client: a coder records an incident from a testimony,
links a second, adds legs in order; the incident's page lists its sources, legs, map and timeline;
the search's "incident" facet follows; bad input is answered beside its field, storing nothing."""
import html
import re

import pytest

from archive import incidents, store
from archive.store import incidents as store_incidents
from tests.export_data import downloaded
from tests.factories import record


@pytest.fixture
def coder(import_records, signed_in):
    import_records([record(1), record(2, language="pl", text="Białoruscy żołnierze z psami pod Kuźnicą. Świadek 2.",
                                       confidentiality="confidential")])
    return signed_in("coder")


def new_incident(client, token, reference="T-2021-0001", **given):
    return client.post(f"/testimonies/{reference}/incidents", data={
        "csrf_token": token, "title": "Push-back at Kuźnica", "date": "2021-11-08", "place": "Kuznitsa",
        "group_size": "20-30", "minors": "4", "perpetrators": ["pl_border_guard", "by_military_special"], **given})


def test_a_coder_records_an_incident_links_a_second_testimony_and_adds_legs(coder, data_dir):
    client, token = coder
    form = client.get("/testimonies/T-2021-0001/incidents").get_data(as_text=True)
    assert 'value="Chased with dogs near Kuźnica (1)"' in form  # the title offered from the testimony
    created = new_incident(client, token)
    assert created.status_code == 303
    incident_page = created.headers["Location"]
    incident_id = int(incident_page.rsplit("/", 1)[1])
    linked = client.post("/testimonies/T-2021-0002/incidents/link", data={
        "csrf_token": token, "incident": incident_id, "reason": "the same push-back, told in Polish"})
    assert linked.status_code == 303
    for leg in ({"from_side": "BY", "to_side": "PL", "place": "Kuźnica", "date": "2021-11-08",
                 "perpetrator": "by_military_special"},
                {"from_side": "PL", "to_side": "BY", "place": "Kuźnica", "date": "2021-11-08",
                 "perpetrator": "pl_border_guard"},
                {"from_side": "BY", "to_side": "PL", "place": "Bruzgi", "date": "2021-11-09"}):
        assert client.post(f"/incidents/{incident_id}/legs", data={"csrf_token": token, **leg}).status_code == 303
    page = client.get(incident_page).get_data(as_text=True)
    assert "20–30 people, of whom 4 minors" in page
    assert page.count('class="reference"') == 2 and "T-2021-0002" in page
    legs = re.findall(r'<li id="leg-\d+"><strong>([^<]+)</strong>', page)
    assert legs == ["Belarus → Poland", "Poland → Belarus", "Belarus → Poland"]
    assert 'class="place-map' in page and "joined by a line in the order of the legs" in page
    assert '9 November 2021</time>: <span dir="auto">Leg 3: Belarus → Poland, Bruzgi</span>' in page


def test_the_search_facet_tells_linked_from_not_yet_linked(coder):
    client, token = coder
    new_incident(client, token)
    page = client.get("/?incident=linked").get_data(as_text=True)
    assert "T-2021-0001" in page and "T-2021-0002" not in page
    page = client.get("/?incident=not_linked").get_data(as_text=True)
    assert "T-2021-0002" in page and "T-2021-0001" not in page
    assert "Not yet linked" in page


def test_bad_input_is_answered_beside_its_field_and_nothing_is_stored(coder, db):
    client, token = coder
    answer = new_incident(client, token, group_size="30-20", date="2021-13-01")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'href="#f-group_size">Group size</a>: the range 30-20 ends below its start' in page
    assert 'href="#f-date">Date</a>' in page and 'value="Push-back at Kuźnica"' in page  # kept as typed
    assert store_incidents.count_incidents(db) == 0
    incident_id = int(new_incident(client, token).headers["Location"].rsplit("/", 1)[1])
    answer = client.post(f"/incidents/{incident_id}/legs", data={"csrf_token": token, "from_side": "PL", "to_side": "PL"})
    assert answer.status_code == 422 and "choose two different sides" in answer.get_data(as_text=True)
    assert store_incidents.legs_of(db, incident_id) == []


def test_the_list_tells_only_those_who_may_record_an_incident_how_to(coder, signed_in):
    client, _ = coder
    assert "To record one, open a testimony" in client.get("/incidents").get_data(as_text=True)
    lawyer, _ = signed_in("lawyer")
    page = html.unescape(lawyer.get("/incidents").get_data(as_text=True))
    assert "To record one" not in page and "Coders and reviewers record them from a testimony's page" in page


def test_the_list_says_a_size_no_one_recorded_in_the_readers_language(coder):
    client, token = coder
    new_incident(client, token, group_size="", minors="")
    cell = re.compile(r'<td class="n">([^<]*)</td><td class="n">1</td>')
    assert cell.search(client.get("/incidents").get_data(as_text=True)).group(1) == "not known"
    polish = client.get("/incidents", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert cell.search(polish).group(1) == "nieznane"


def test_a_source_the_reader_may_not_open_is_counted_not_named(coder, signed_in):
    client, token = coder
    incident_id = int(new_incident(client, token).headers["Location"].rsplit("/", 1)[1])
    client.post("/testimonies/T-2021-0002/incidents/link", data={"csrf_token": token, "incident": incident_id})
    viewer, _ = signed_in("viewer")  # T-2021-0002 is confidential: not for a viewer
    page = viewer.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "T-2021-0001" in page and "T-2021-0002" not in page
    assert "1 more source that your role or the witnesses' consent does not let you open" in page
    assert "Add a leg" not in page


def test_legs_are_moved_and_removed_with_a_reason(coder, db):
    client, token = coder
    incident_id = int(new_incident(client, token).headers["Location"].rsplit("/", 1)[1])
    for sides in (("BY", "PL"), ("PL", "BY")):
        client.post(f"/incidents/{incident_id}/legs", data={"csrf_token": token, "from_side": sides[0], "to_side": sides[1]})
    first, second = store_incidents.legs_of(db, incident_id)
    client.post(f"/incidents/{incident_id}/legs/{second['id']}/move", data={"csrf_token": token, "direction": "earlier"})
    assert [leg["id"] for leg in store_incidents.legs_of(db, incident_id)] == [second["id"], first["id"]]
    refused = client.post(f"/incidents/{incident_id}/legs/{first['id']}/remove", data={"csrf_token": token, "reason": ""})
    assert refused.status_code == 422
    client.post(f"/incidents/{incident_id}/legs/{first['id']}/remove", data={"csrf_token": token, "reason": "told twice"})
    assert [leg["id"] for leg in store_incidents.legs_of(db, incident_id)] == [second["id"]]


def test_the_testimony_page_names_its_incidents(coder):
    client, token = coder
    assert "not yet linked to an incident" in client.get("/testimonies/T-2021-0001").get_data(as_text=True)
    new_incident(client, token)
    page = client.get("/testimonies/T-2021-0001").get_data(as_text=True)
    assert re.search(r'<a href="/incidents/\d+" dir="auto">Push-back at Kuźnica</a> \(20–30 people\)', page)


def test_the_statistics_and_the_pdf_give_testimonies_incidents_and_people_side_by_side(coder, signed_in):
    import io

    import pypdf

    client, token = coder
    incident_id = int(new_incident(client, token).headers["Location"].rsplit("/", 1)[1])
    client.post("/testimonies/T-2021-0002/incidents/link", data={"csrf_token": token, "incident": incident_id})
    lawyer, lawyer_token = signed_in("lawyer")
    page = lawyer.get("/stats").get_data(as_text=True)
    assert re.search(r"<strong>2</strong> testimonies\s+\(2 linked to incidents\) ·\s+<strong>1</strong> incident ·"
                     r"\s+<strong>20–30</strong> people", page)
    assert re.search(r'<th scope="row" dir="auto">Poland</th><td class="n">\d+</td><td class="n">1</td>'
                     r'<td class="n">20–30</td>', page)
    pdf = downloaded(lawyer, lawyer.post("/export", data={"csrf_token": lawyer_token, "format": "pdf"}))
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert re.search(r"2\s+testimonies\s+\(2 linked to incidents\)\s+·\s+1\s+incident\s+·\s+20–30\s+people", text), text[:3000]


def candidates_on(client, reference):
    page = client.get(f"/testimonies/{reference}/incidents").get_data(as_text=True)
    section = page.split('id="candidates"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<p class="reasons">(.*?)</p>', section), section


def test_a_reviewer_confirms_or_rejects_a_candidate_and_a_rejected_pair_is_not_offered_again(import_records,
                                                                                            signed_in, db):
    """Three accounts of November 2021 at Kuźnica by the same unit; one of another place and year."""
    import_records([record(1), record(2), record(3),
                    record(4, location="Bialowieza", incident_date_from="2023-05", interview_date="2023-06-01",
                           perpetrators=["lt_border_guard"])])
    reviewer, token = signed_in("reviewer")
    reasons, section = candidates_on(reviewer, "T-2021-0001")
    assert "T-2021-0002" in section and "T-2021-0003" in section and "T-2021-0004" not in section
    assert reasons == ["Score 1.00: dates overlap (known to within 30 days); same place; both Belarus: Soldiers / special "
                       "forces; both told of beating, dog attack or threat with dogs, theft or confiscation of "
                       "belongings; both at night; both at the fence."] * 2   # the statements say 'At night … to the fence'

    def decide(decision, other, reason):
        return reviewer.post("/testimonies/T-2021-0001/incidents/decide", data={
            "csrf_token": token, "decision": decision, "testimony": other, "reason": reason})

    assert decide("rejected", "T-2021-0002", "").status_code == 303  # no reason: nothing decided
    assert db.execute("SELECT count(*) FROM incident_link_decision").fetchone()[0] == 0
    assert decide("rejected", "T-2021-0002", "another group, the same week").status_code == 303
    _, section = candidates_on(reviewer, "T-2021-0001")
    assert "T-2021-0002" not in section and "T-2021-0003" in section  # rejected, never offered again
    assert decide("confirmed", "T-2021-0003", "same night, same fence, same dog").status_code == 303
    (incident,) = db.query("SELECT incident_id, count(DISTINCT testimony_id) AS n FROM incident_source GROUP BY 1")
    assert incident["n"] == 2
    decisions = [(r["decision"], r["reason"]) for r in db.query("SELECT * FROM incident_link_decision ORDER BY id")]
    assert decisions == [("rejected", "another group, the same week"), ("confirmed", "same night, same fence, same dog")]
    actions = [r["action"] for r in db.query("SELECT action FROM audit_event WHERE action LIKE 'incident%' ORDER BY id")]
    assert actions == ["incident_link_rejected", "incident_link_confirmed", "incident_created", "incident_linked",
                       "incident_linked"]  # the confirmed pair: a new incident with both as its sources


def test_a_coder_edits_the_incidents_own_fields_with_a_reason(coder, signed_in, db):
    client, token = coder
    incident_id = int(new_incident(client, token, external_id="BVMN-7").headers["Location"].rsplit("/", 1)[1])
    new_incident(client, token, external_id="BVMN-8", title="Another")
    form = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    assert 'value="20-30"' in form and 'value="Kuznitsa"' in form and 'value="BVMN-7"' in form
    assert '<option value="pl_border_guard" selected>' in form

    def save(**given):
        fields = {"title": "Push-back at Kuźnica", "date": "2021-11-08", "place": "Kuznitsa", "group_size": "20-30",
                  "minors": "4", "external_id": "BVMN-7", "perpetrators": ["pl_border_guard", "by_military_special"]}
        return client.post(f"/incidents/{incident_id}/edit", data={"csrf_token": token, **fields, **given})

    refused = save(group_size="30-20", reason="")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'href="#f-group_size">Group size</a>: the range 30-20 ends below its start' in page
    assert 'href="#f-reason">Why you change it</a>: say why the incident is changed' in page
    assert 'value="30-20"' in page  # kept as typed
    assert save(external_id="BVMN-8", reason="typo").status_code == 409
    assert store_incidents.get_incident(db, incident_id)["people_max"] == 30  # nothing stored
    done = save(group_size="80", place="Bruzgi", reason="counted again from both accounts")
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Incident changed: place, group size." in page and "80 people, of whom 4 minors" in page
    reviewer, _ = signed_in("reviewer")
    history = reviewer.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert ('coder changed the incident (place, group size): <span dir="auto">counted again from both accounts</span>'
            in history)
    (entry,) = db.query("SELECT detail FROM audit_event WHERE action = 'incident_changed'")
    assert '"fields": ["people_max", "people_min", "place_id", "place_text"]' in entry["detail"]
    unchanged = save(group_size="80", place="Bruzgi", reason="nothing really")
    assert "Nothing was changed." in client.get(unchanged.headers["Location"]).get_data(as_text=True)


def test_a_pair_that_cannot_be_placed_in_one_incident_is_said_on_the_page_and_nothing_is_decided(import_records,
                                                                                                  signed_in, db):
    import_records([record(1), record(2)])
    for title in ("Kuźnica, first crossing", "Kuźnica, sent back again"):  # one statement, two push-backs
        incidents.create_incident(db, {"title": title, "date_from": "2021-11-08", "date_to": "2021-11-08",
                                       "date_text": "2021-11-08", "date_precision": "day", "place_id": "kuznica",
                                       "perpetrators": ["by_military_special"]},
                                  {"name": "reviewer", "role": "reviewer"}, store.get_testimony(db, "T-2021-0001"))
    reviewer, token = signed_in("reviewer")
    answer = reviewer.post("/testimonies/T-2021-0001/incidents/decide", follow_redirects=True, data={
        "csrf_token": token, "decision": "confirmed", "testimony": "T-2021-0002", "reason": "same night"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Nothing was decided: T-2021-0001 is a source of several incidents" in page
    assert db.execute("SELECT count(*) FROM incident_link_decision").fetchone()[0] == 0
