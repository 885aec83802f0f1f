"""The JSON API's reads (issue 22) through the Flask test client, on archives made by the real import: the
codebook, a testimony's codes and history, a search's statistics and the agreement figures, each as every
role gets it and by the same rules as the pages; ETag / If-None-Match; and no witness's identity in any
answer of any role. Case files and their cursors: tests/web/test_api_case_files.py."""
import pytest

from archive import double_coding, service, store
from archive.codebook import browser
from archive.coding import history_items, history_words
from archive.double_coding import reliability
from archive.export import tables
from archive.incidents import counts
from archive.store.db import write_transaction
from tests.double_coding_setup import CODER, CODER2, REVIEWER, double_coded
from tests.factories import record
from tests.web.test_search_api import answer_schema, problems

ROLES = ["admin", "coder", "reviewer", "lawyer", "viewer"]
NAME, CONTACT = "Fictional Name 7", "+48 600 700 800"
# Every new read, with a testimony everyone may open (T-2021-0001): what each role gets.
READS = {
    "/api/codebook": ROLES,
    "/api/testimonies/T-2021-0001/codes": ROLES,
    "/api/testimonies/T-2021-0001/history": ["reviewer"],
    "/api/statistics?q=dogs": ROLES,
    "/api/agreement": ["reviewer"],
    "/api/case-files": ["reviewer", "lawyer"],
}


@pytest.fixture
def archive(import_records, users):
    import_records([
        record(1, consent="legal", witness_name=NAME, witness_contact=CONTACT),  # every role; identity allowed
        record(2, confidentiality="confidential", consent="publication", witness_name=NAME),  # no admin, no viewer
        record(3, consent="withdrawn", witness_name=NAME),  # reviewers only
    ])


@pytest.fixture
def document(archive, signed_in):
    return signed_in("reviewer")[0].get("/api/openapi.json").get_json()


@pytest.mark.parametrize("path", sorted(READS))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_pages_give_it_and_never_an_identity(archive, signed_in, document, path, role):
    answer = signed_in(role)[0].get(path)
    assert answer.status_code == (200 if role in READS[path] else 403), (role, path, answer.status_code)
    assert answer.is_json
    body = answer.get_data(as_text=True)
    assert NAME not in body and CONTACT not in body and "witness_name" not in body
    if answer.status_code == 200:
        template = "/api/testimonies/{reference}/" + path.rsplit("/", 1)[1] if "T-2021" in path else path.split("?")[0]
        assert problems(document, answer_schema(document, template), answer.get_json()) == []


def test_anonymous_is_refused_everywhere(archive, anonymous):
    for path in READS:
        answer = anonymous.get(path)
        assert answer.status_code == 401 and answer.is_json, path


def test_the_codebook_is_the_tree_with_terms_provisions_sides_and_places(archive, signed_in):
    codebook = signed_in("viewer")[0].get("/api/codebook").get_json()
    book = service.load_codebook()
    assert codebook["version"] == book.version
    tops = {node["id"]: node for node in codebook["abuse_types"]}
    assert set(tops) == {a for a, abuse in book.abuse_types.items() if abuse["parent"] is None}
    beating = next(c for c in tops["physical_violence"]["children"] if c["id"] == "beating")
    assert beating["label"] == "Beating" and beating["definition"].startswith("Repeated blows")
    assert "pobicie" in beating["terms"]["pl"] and "beating" in beating["terms"]["en"]
    assert {"id": "echr_3", "label": "ECHR Art. 3", "instrument": "ECHR", "article": "Art. 3",
            "title": "Prohibition of torture and inhuman or degrading treatment"} in beating["legal"]

    def walk(nodes):
        for node in nodes:
            yield node["id"]
            yield from walk(node["children"])
    assert list(walk(codebook["abuse_types"])) == [row["id"] for row in browser.abuse_tree(book, {})]  # page order
    poland = next(side for side in codebook["perpetrators"]["sides"] if side["id"] == "PL")
    assert "pl_border_guard" in [unit["id"] for unit in poland["units"]]
    assert "Straż Graniczna" in next(u for u in poland["units"] if u["id"] == "pl_border_guard")["aliases"]
    kuznica = next(place for place in codebook["places"] if place["id"] == "kuznica")
    assert (kuznica["name"], kuznica["country"]) == ("Kuźnica", "PL")
    assert (kuznica["lat"], kuznica["lon"]) == (53.51094, 23.64953)
    assert "Kuznitsa" in kuznica["variants"] and "Кузница" in kuznica["variants"]


def test_the_codebook_speaks_the_readers_language(archive, signed_in):
    polish = signed_in("viewer")[0].get("/api/codebook", headers={"Accept-Language": "pl"}).get_json()
    beating = next(c for top in polish["abuse_types"] for c in top["children"] if c["id"] == "beating")
    assert beating["label"] == "Bicie" and beating["definition"].startswith("Wielokrotne uderzenia")
    assert next(p for p in beating["legal"] if p["id"] == "echr_3")["label"] == "ECHR Art. 3"  # a citation stays


@pytest.mark.parametrize("path", ["/api/codebook", "/api/testimonies/T-2021-0001/codes",
                                  "/api/testimonies/T-2021-0001", "/api/search?q=dogs", "/api/statistics?q=dogs"])
def test_a_poll_with_the_tag_it_holds_is_a_304_naming_it(archive, signed_in, path):
    lawyer = signed_in("lawyer")[0]
    first = lawyer.get(path)
    tag = first.headers["ETag"]
    again = lawyer.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    for answer in (first, again):  # one reader's answer: kept by no shared cache
        assert answer.headers["Cache-Control"] == "private, no-cache" and "Authorization" in answer.headers["Vary"]
    assert lawyer.get(path, headers={"If-None-Match": '"another"'}).status_code == 200


def test_a_codes_tag_changes_when_a_code_does(archive, signed_in, db):
    coder = signed_in("coder")[0]
    first = coder.get("/api/testimonies/T-2021-0001/codes")
    code = first.get_json()["codes"][0]
    with write_transaction(db):
        store.update_code(db, code["id"], {"note": "Seen by a doctor"}, "coder", "note added")
    after = coder.get("/api/testimonies/T-2021-0001/codes", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert next(c for c in after.get_json()["codes"] if c["id"] == code["id"])["note"] == "Seen by a doctor"


def test_codes_carry_their_passages_exactly(archive, signed_in):
    viewer = signed_in("viewer")[0]
    text = viewer.get("/api/testimonies/T-2021-0001").get_json()["text"]
    answer = viewer.get("/api/testimonies/T-2021-0001/codes").get_json()
    assert answer["codes"] and answer["redactions"] == []
    for code in answer["codes"]:
        assert code["stage"] == "coded" and code["coder"] == "tester"
        if code["passage"]:
            assert text[code["passage"]["start"]:code["passage"]["end"]] == code["passage"]["text"]
    starts = [c["passage"]["start"] for c in answer["codes"] if c["passage"]]
    assert starts == sorted(starts)


@pytest.mark.parametrize("role, opens", [("admin", False), ("viewer", False), ("coder", True), ("lawyer", True)])
def test_a_testimony_the_role_may_not_open_is_a_404_in_every_part(archive, signed_in, role, opens):
    client = signed_in(role)[0]
    assert client.get("/api/testimonies/T-2021-0002/codes").status_code == (200 if opens else 404)
    assert client.get("/api/testimonies/T-2021-0003/codes").status_code == 404  # withdrawn: reviewers only


@pytest.fixture
def blind(db, import_records, users):
    """T-2021-0001 double coded by coder and coder2 (both submitted), not settled."""
    return double_coded(db, import_records)


def test_codes_follow_double_coding_as_the_page(blind, signed_in, app):
    def seen(name):
        return sorted((c["coder"], c["stage"], c["abuse_type"])
                      for c in signed_in(name)[0].get("/api/testimonies/T-2021-0001/codes").get_json()["codes"])
    assert seen("coder") == [("coder", "blind", "beating"), ("coder", "blind", "dog_attack")]  # their own only
    assert {coder for coder, _, _ in seen("reviewer")} == {"coder", "coder2"}
    assert seen("lawyer") == []  # nothing is the testimony's coding yet


def test_history_is_the_pages_for_a_reviewer_and_closed_to_one_coding_blind(blind, db, signed_in):
    double_coding.settle(db, blind, {"abuse_type:beating": "accept", "abuse_type:theft": "reject",
                                     "side:PL": "reject"}, REVIEWER, "Phones: <not> in the statement", None)
    reviewer = signed_in("reviewer")[0]
    history = reviewer.get("/api/testimonies/T-2021-0001/history").get_json()["history"]
    book = service.load_codebook()
    told = history_items.items(history_words.tell(store.history_of(db, "T-2021-0001"), book), book)
    assert [(item["at"], item["actor"], item["reason"], item["entries"]) for item in history] == [
        (item.at, item.actor, item.reason, item.entries) for item in told]
    settled = history[0]
    assert settled["sentence"]["text"].startswith("reviewer settled the double coding: accepted Beating from coder")
    assert {"kind": "strong", "text": "Beating"} in settled["sentence"]["pieces"]
    assert settled["reason"] == "Phones: <not> in the statement"  # plain text: the client escapes it
    assert any(d["text"].startswith("Kept as superseded: 4 blind codes") for d in settled["details"])
    for role in ("coder", "lawyer", "admin", "viewer"):
        assert signed_in(role)[0].get("/api/testimonies/T-2021-0001/history").status_code == 403, role


def test_a_reviewer_coding_blind_gets_no_history(db, import_records, users, signed_in):
    import_records([record(1)])
    testimony = store.get_testimony_row(db, "T-2021-0001")
    double_coding.assign(db, testimony, ["reviewer", "coder"], REVIEWER, None)
    refused = signed_in("reviewer")[0].get("/api/testimonies/T-2021-0001/history")
    assert refused.status_code == 403 and "blind" in refused.get_json()["message"]


def test_statistics_are_the_counts_of_the_statistics_page(archive, signed_in, db):
    book = service.load_codebook()
    for role, references in (("viewer", ["T-2021-0001"]), ("lawyer", ["T-2021-0001", "T-2021-0002"]),
                             ("reviewer", ["T-2021-0001", "T-2021-0002", "T-2021-0003"])):
        answer = signed_in(role)[0].get("/api/statistics?q=dogs").get_json()
        expected = counts.summary(db, book, references, tables.count(db, book, references))
        assert answer["total"]["testimonies"] == len(references), role
        assert answer == expected, role


def test_statistics_take_the_searchs_parameters_and_refuse_as_it_does(archive, signed_in):
    lawyer = signed_in("lawyer")[0]
    assert lawyer.get("/api/statistics?q=dogs&from=2030").get_json()["total"]["testimonies"] == 0
    for wrong, field in (("from=0000", "from"), ("from=2021-02-30", "from"), ("colour=red", "colour"),
                         ("from=2022&to=2021", "to")):
        refused = lawyer.get(f"/api/statistics?{wrong}")
        assert refused.status_code == 422 and field in refused.get_json()["errors"]["query"], wrong


def test_agreement_is_the_pages_figures_for_what_the_reviewer_may_see(blind, db, signed_in):
    answer = signed_in("reviewer")[0].get("/api/agreement").get_json()
    found = reliability.report(db, service.load_codebook(), double_coding.units_visible_to(db, REVIEWER))
    assert answer["units"] == found["units"] == 1 and answer["coders"] == ["coder", "coder2"]
    assert [(r["dimension"], r["value"], r["n"], r["percent"]) for r in answer["rows"]] == [
        (r["dimension"], r["value"], r["n"], r["percent"]) for r in found["rows"]]
    assert answer["testimonies"] == [{"reference": "T-2021-0001", "coders": ["coder", "coder2"], "submitted": 2,
                                      "settled": None}]
    assert answer["caution"]  # one testimony concludes nothing, as the page says
    assert {CODER["name"], CODER2["name"]} == set(answer["coders"])


def test_a_search_tag_is_its_answers_and_changes_with_it(archive, signed_in):
    lawyer = signed_in("lawyer")[0]
    english = lawyer.get("/api/search?q=dogs")
    assert lawyer.get("/api/search?q=dogs").headers["ETag"] == english.headers["ETag"]  # the same answer, the same tag
    polish = lawyer.get("/api/search?q=dogs", headers={"Accept-Language": "pl", "If-None-Match": english.headers["ETag"]})
    assert polish.data != english.data  # the labels in Polish
    assert polish.status_code == 200 and polish.headers["ETag"] != english.headers["ETag"]
