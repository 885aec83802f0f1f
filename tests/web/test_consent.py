"""A witness's change of consent, through the page, the API and the CLI (one function does it,
archive/consent/__init__.py): recorded with the day of the decision, who recorded it and why, in history and
the audit log, and effective at the next request everywhere: a lawyer's search, facet counts and
"did you mean", exports, case files, the public view. Withdrawn: 404 for lawyers and viewers."""
import csv
import io
import json

import pytest

from archive import create_app, service, store
from archive.custody import audit
from tests.conftest import archive_template
from tests.factories import BASE_TEXT, record

PUBLIC = "T-2021-0001"      # publication, public: the public view shows it
LEGAL = "T-2021-0002"       # legal, restricted
CONFIDENTIAL = "T-2021-0003"
UNIQUE_WORD = "Zephyrantha"  # only in PUBLIC's statement: "did you mean" must never offer it once withdrawn


template_archive = archive_template([
    record(1, consent="publication", confidentiality="public",
           text=f"{BASE_TEXT} The guard called the dog {UNIQUE_WORD}.", witness_name="Fictional Name 1"),
    record(2, consent="legal", witness_name="Fictional Name 2"),
    record(3, consent="legal", confidentiality="confidential"),
    record(4, consent="internal"),
], accounts=True)


@pytest.fixture
def archive(users, data_dir):
    return data_dir


@pytest.fixture
def as_role(signed_in, archive):
    """as_role('lawyer') -> (a client logged in as that account, its CSRF token), on `archive`."""
    return signed_in


def change(client, token, reference, **form):
    return client.post(f"/testimonies/{reference}/consent", data={"csrf_token": token, **form})


def search(client, q="", **params):
    response = client.get("/api/search", query_string={"q": q, "per_page": 100, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def references(found):
    return sorted(hit["reference"] for hit in found["results"])


def counts(found, facet):
    return {value["value"]: value["count"] for value in found["facets"][facet]}


def rows(archive, sql, params=()):
    db = service.open_db(archive)
    try:
        return [dict(r) for r in db.query(sql, params)]
    finally:
        db.close()


def exported_csv(client, token, **form):
    response = client.post("/export", data={"csrf_token": token, "q": "", "format": "csv", **form})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["reference"] for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))]


# --- the page ------------------------------------------------------------------------------------

def test_a_reviewer_changes_consent_from_the_panel_and_history_records_it(as_role, archive):
    client, token = as_role("reviewer")
    page = client.get(f"/testimonies/{PUBLIC}").get_data(as_text=True)
    assert 'id="consent"' in page and "Consent: publication" in page and "Change consent" in page
    response = change(client, token, PUBLIC, consent="legal", decided="2022-03-14", reason="narrowed by phone")
    assert response.status_code == 303 and response.location.endswith(f"/testimonies/{PUBLIC}#consent")
    page = client.get(f"/testimonies/{PUBLIC}").get_data(as_text=True)
    assert "Consent changed: publication → legal" in page
    assert "Consent: legal" in page and "The witness decided on 2022-03-14" in page
    assert "narrowed by phone" in page  # the history at the foot of the page
    row = rows(archive, "SELECT * FROM testimony WHERE reference = ?", [PUBLIC])[0]
    assert (row["consent"], row["confidentiality"], row["consent_decided_at"], row["consent_recorded_by"],
            row["revision"]) == ("legal", "restricted", "2022-03-14", "reviewer", 2)
    entry = rows(archive, "SELECT * FROM history WHERE testimony_id = ? ORDER BY id DESC LIMIT 1", [row["id"]])[0]
    assert entry["reason"] == "narrowed by phone" and entry["actor"] == "reviewer"
    assert json.loads(entry["old"])["consent"] == "publication" and json.loads(entry["new"])["consent"] == "legal"
    events = rows(archive, "SELECT * FROM audit_event WHERE action = 'consent_changed'")
    assert [(e["subject"], json.loads(e["detail"])) for e in events] == [
        (PUBLIC, {"from": "publication", "to": "legal", "decided": "2022-03-14", "confidentiality": "restricted"})]
    assert "narrowed" not in events[0]["detail"]  # reasons stay in history, which a purge can clear
    problems, drift = service.check(archive)
    assert problems == [] and not drift


def test_the_panel_form_is_for_reviewers_and_admins_only(as_role):
    for name, shown in (("reviewer", True), ("admin", True), ("lawyer", False), ("viewer", False), ("coder", False)):
        client, _ = as_role(name)
        page = client.get(f"/testimonies/{LEGAL}").get_data(as_text=True)
        assert "Consent: legal" in page
        assert ("Change consent" in page) is shown, name


@pytest.mark.parametrize("form, field, message", [
    ({"consent": "narrowed", "decided": "2022-03-14", "reason": "r"}, "consent", "must be one of"),
    ({"decided": "2022-03-14", "reason": "r"}, "consent", "choose the new consent"),
    ({"consent": "legal", "decided": "2022-03-14", "reason": "r"}, "consent", "already legal"),
    ({"consent": "internal", "decided": "2022-02-30", "reason": "r"}, "decided", "does not exist in the calendar"),
    ({"consent": "internal", "decided": "2022-03", "reason": "r"}, "decided", "is not a day"),
    ({"consent": "internal", "decided": "20220314", "reason": "r"}, "decided", "is not a day"),
    ({"consent": "internal", "decided": "2099-01-01", "reason": "r"}, "decided", "is in the future"),
    ({"consent": "internal", "decided": "2021-12-01", "reason": "r"}, "decided", "before the interview"),
    ({"consent": "internal", "reason": "r"}, "decided", "give the day the witness decided"),
    ({"consent": "internal", "decided": "2022-03-14"}, "reason", "say why"),
    ({"consent": "internal", "decided": "2022-03-14", "reason": "   "}, "reason", "say why"),
    ({"consent": "internal", "decided": "2022-03-14", "reason": "r\u202e"}, "reason", "invisible character"),
])
def test_bad_input_is_named_beside_its_field_and_nothing_changes(as_role, archive, form, field, message):
    client, token = as_role("reviewer")
    response = change(client, token, LEGAL, **form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="consent-{field}-error"' in page and message in page
    assert f'href="#consent-{field}"' in page and "Nothing was changed" in page
    assert form.get("reason", "").strip("\u202e") in page  # what was typed is kept
    assert rows(archive, "SELECT consent, revision FROM testimony WHERE reference = ?", [LEGAL]) == [
        {"consent": "legal", "revision": 1}]


def test_a_decision_before_the_one_recorded_is_refused(as_role):
    client, token = as_role("reviewer")
    assert change(client, token, LEGAL, consent="internal", decided="2022-05-01", reason="r").status_code == 303
    response = change(client, token, LEGAL, consent="publication", decided="2022-04-01", reason="r")
    assert response.status_code == 422 and "before the decision already recorded" in response.get_data(as_text=True)


def test_unknown_or_unopenable_testimonies_are_404_and_other_roles_403(as_role):
    client, token = as_role("reviewer")
    assert change(client, token, "T-1999-0001", consent="legal", decided="2022-03-14", reason="r").status_code == 404
    admin, token = as_role("admin")  # admins do not open confidential testimonies: its existence is not revealed
    assert change(admin, token, CONFIDENTIAL, consent="internal", decided="2022-03-14", reason="r").status_code == 404
    lawyer, token = as_role("lawyer")
    assert change(lawyer, token, LEGAL, consent="internal", decided="2022-03-14", reason="r").status_code == 403


def test_a_change_needs_a_csrf_token(as_role, archive):
    client, _ = as_role("reviewer")
    response = client.post(f"/testimonies/{LEGAL}/consent", data={"consent": "internal", "decided": "2022-03-14",
                                                                   "reason": "r"})
    assert response.status_code == 400
    assert rows(archive, "SELECT consent FROM testimony WHERE reference = ?", [LEGAL]) == [{"consent": "legal"}]


def test_an_admin_who_withdraws_is_sent_to_the_withdrawals(as_role):
    admin, token = as_role("admin")
    response = change(admin, token, LEGAL, consent="withdrawn", decided="2022-03-14", reason="witness asked")
    assert response.status_code == 303 and response.location.endswith(f"/withdrawals#w-{LEGAL}")
    page = admin.get("/withdrawals").get_data(as_text=True)
    assert f'id="w-{LEGAL}"' in page and "witness asked" in page and "only reviewers can open it now" in page
    assert admin.get(f"/testimonies/{LEGAL}").status_code == 404  # admins do not read withdrawn statements
    assert "Chased with dogs" not in page  # the title is for those who may open it
    reviewer, _ = as_role("reviewer")
    assert "Chased with dogs near Kuźnica (2)" in reviewer.get("/withdrawals").get_data(as_text=True)


# --- effective at the next request, everywhere ----------------------------------------------------

def test_narrowing_consent_is_effective_at_once_for_a_lawyer(as_role):
    lawyer, lawyer_token = as_role("lawyer")
    assert counts(search(lawyer), "consent") == {"publication": 1, "legal": 2, "internal": 1}
    assert PUBLIC in exported_csv(lawyer, lawyer_token)
    reviewer, token = as_role("reviewer")
    lawyer.post("/case-files", data={"csrf_token": lawyer_token, "name": "Kuźnica"})
    lawyer.post("/case-files/add", data={"csrf_token": lawyer_token, "case_file": 1, "reference": [PUBLIC, LEGAL]})

    assert change(reviewer, token, PUBLIC, consent="internal", decided="2022-03-14", reason="r").status_code == 303
    found = search(lawyer)
    assert counts(found, "consent") == {"legal": 2, "internal": 2}
    assert counts(found, "confidentiality").get("public") is None
    assert PUBLIC in references(found)  # internal testimonies are searched, never exported
    assert PUBLIC not in exported_csv(lawyer, lawyer_token)
    response = lawyer.post("/case-files/1/export", data={"csrf_token": lawyer_token, "format": "csv"})
    exported = [row["reference"] for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))]
    assert exported == [LEGAL]
    assert change(reviewer, token, LEGAL, consent="publication", decided="2022-03-14", reason="r").status_code == 303
    assert counts(search(lawyer, consent="publication"), "consent")["publication"] == 1


def test_publication_narrowed_to_legal_is_counted_as_legal_at_once(as_role):
    lawyer, lawyer_token = as_role("lawyer")
    reviewer, token = as_role("reviewer")
    assert counts(search(lawyer, "", consent="publication"), "consent")["publication"] == 1
    assert change(reviewer, token, PUBLIC, consent="legal", decided="2022-03-14", reason="r").status_code == 303
    found = search(lawyer, "", consent="publication")
    assert found["total"] == 0 and counts(found, "consent") == {"publication": 0, "legal": 3, "internal": 1}
    assert PUBLIC in exported_csv(lawyer, lawyer_token, consent="legal")  # legal use: still exported


def test_withdrawal_hides_it_from_lawyers_and_viewers_entirely(as_role):
    reviewer, token = as_role("reviewer")
    lawyer, lawyer_token = as_role("lawyer")
    viewer, _ = as_role("viewer")
    lawyer.post("/case-files", data={"csrf_token": lawyer_token, "name": "Kuźnica"})
    lawyer.post("/case-files/add", data={"csrf_token": lawyer_token, "case_file": 1, "reference": [PUBLIC]})
    assert search(viewer, UNIQUE_WORD)["total"] == 1
    assert search(lawyer, UNIQUE_WORD[:-1] + "e")["suggestion"] == UNIQUE_WORD.lower()

    assert change(reviewer, token, PUBLIC, consent="withdrawn", decided="2022-03-14", reason="r").status_code == 303
    for client in (lawyer, viewer):
        assert client.get(f"/testimonies/{PUBLIC}").status_code == 404
        assert client.get(f"/api/testimonies/{PUBLIC}").status_code == 404
        found = search(client)
        assert PUBLIC not in references(found) and "withdrawn" not in counts(found, "consent")
        assert sum(counts(found, "language").values()) == found["total"]
        assert search(client, UNIQUE_WORD)["total"] == 0
        assert search(client, UNIQUE_WORD[:-1] + "e")["suggestion"] is None  # nothing to learn from "did you mean"
        assert "Statistics <small>0 testimonies" in client.get(f"/stats?q={UNIQUE_WORD}").get_data(as_text=True)
    case_file = lawyer.get("/case-files/1").get_data(as_text=True)
    assert PUBLIC not in case_file and "1 more you may not open" in case_file
    assert search(reviewer, UNIQUE_WORD)["total"] == 1  # the reviewer still handles it



def test_a_withdrawn_reference_typed_by_a_lawyer_reads_as_an_unknown_one(as_role):
    """The box's "The testimony with reference …" must not confirm that a hidden testimony exists."""
    reviewer, token = as_role("reviewer")
    lawyer, _ = as_role("lawyer")
    assert [item["kind"] for item in search(lawyer, PUBLIC.lower())["understood"]] == ["reference"]
    assert change(reviewer, token, PUBLIC, consent="withdrawn", decided="2022-03-14", reason="r").status_code == 303
    hidden, unknown = search(lawyer, PUBLIC.lower()), search(lawyer, "T-2021-0999")
    assert hidden["understood"] == unknown["understood"] == [] and hidden["total"] == unknown["total"] == 0
    assert "The testimony with reference" not in lawyer.get("/", query_string={"q": PUBLIC}).get_data(as_text=True)
    assert search(reviewer, PUBLIC)["understood"][0]["value"] == PUBLIC  # the reviewer still finds it by reference

def test_the_public_view_follows_a_narrowed_consent(archive, login, users):
    public_app = create_app({"TESTING": True, "DATA": str(archive.root), "PUBLIC_VIEW": True})
    anonymous = public_app.test_client()
    page = anonymous.get(f"/testimonies/{PUBLIC}").get_data(as_text=True)
    assert "Consent: publication" in page and "Change consent" not in page
    assert "by tester" not in page  # who recorded it is for the archive's staff, not the public
    reviewer = public_app.test_client()
    token = login(reviewer, "reviewer")
    assert change(reviewer, token, PUBLIC, consent="legal", decided="2022-03-14", reason="r").status_code == 303
    assert anonymous.get(f"/testimonies/{PUBLIC}").status_code == 404
    assert search(anonymous)["total"] == 0


# --- the API ---------------------------------------------------------------------------------------

def test_the_api_records_a_change_with_a_token(archive, as_role, run):
    token = run("user", "token", "reviewer", "--label", "tests", "--scope", "write").output.strip()
    answer = archive_client(archive).post(f"/api/testimonies/{LEGAL}/consent",
                                          headers={"Authorization": f"Bearer {token}"}, json={"consent": "withdrawn", "decided": "2022-03-14", "reason": "by letter"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert {k: body[k] for k in ("reference", "previous", "consent", "decided", "recorded_by", "confidentiality")} == {
        "reference": LEGAL, "previous": "legal", "consent": "withdrawn", "decided": "2022-03-14",
        "recorded_by": "reviewer", "confidentiality": "restricted"}
    lawyer, _ = as_role("lawyer")
    assert lawyer.get(f"/api/testimonies/{LEGAL}").status_code == 404


def archive_client(archive):
    return create_app({"TESTING": True, "DATA": str(archive.root)}).test_client()


@pytest.mark.parametrize("body, field, status", [
    ({"consent": "maybe", "decided": "2022-03-14", "reason": "r"}, "consent", 422),
    ({"consent": "internal", "decided": "2022-13-01", "reason": "r"}, "decided", 422),
    ({"consent": "internal", "decided": "2999-01-01", "reason": "r"}, "decided", 422),    # the future
    ({"consent": "internal", "decided": "2021-01-01", "reason": "r"}, "decided", 409),    # before the interview
    ({"consent": "legal", "decided": "2022-03-14", "reason": "r"}, "consent", 409),       # what it already is
    ({"consent": "internal", "decided": "2022-03-14"}, "reason", 422),
    ({"consent": "internal", "decided": "2022-03-14", "reason": "r", "extra": 1}, "extra", 422),
])
def test_the_api_names_the_wrong_field(as_role, body, field, status):
    """Wrong in itself, a 422; right in itself but not with what the testimony holds, a 409."""
    client, token = as_role("reviewer")
    answer = client.post(f"/api/testimonies/{LEGAL}/consent", json=body, headers={"X-CSRFToken": token})
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert field in answer.get_json()["errors"]["json"]


def test_the_api_answers_404_and_403(as_role):
    client, token = as_role("reviewer")
    body = {"consent": "internal", "decided": "2022-03-14", "reason": "r"}
    answer = client.post("/api/testimonies/T-1999-0001/consent", json=body, headers={"X-CSRFToken": token})
    assert answer.status_code == 404
    lawyer, token = as_role("lawyer")
    answer = lawyer.post(f"/api/testimonies/{LEGAL}/consent", json=body, headers={"X-CSRFToken": token})
    assert answer.status_code == 403


def test_the_openapi_document_describes_the_change(app):
    with app.app_context():  # the document itself is behind login: read it as the app builds it
        spec = app.extensions["archive.api"].spec.to_dict()
    operation = spec["paths"]["/api/testimonies/{reference}/consent"]["post"]
    assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
    assert {"consent", "decided", "reason"} <= set(spec["components"]["schemas"]["ConsentChange"]["properties"])


# --- the CLI ---------------------------------------------------------------------------------------

def test_the_cli_records_a_change(archive, run):
    result = run("consent", LEGAL, "--to", "internal", "--decided", "2022-03-14", "--reason", "by phone",
                 "--recorded-by", "reviewer")
    assert result.exit_code == 0, result.output
    assert "legal → internal" in result.output and "recorded by reviewer" in result.output
    assert rows(archive, "SELECT consent, consent_recorded_by FROM testimony WHERE reference = ?", [LEGAL]) == [
        {"consent": "internal", "consent_recorded_by": "reviewer"}]
    result = run("consent", LEGAL, "--to", "withdrawn", "--decided", "2022-03-15", "--reason", "by letter",
                 "--recorded-by", "admin")
    assert result.exit_code == 0 and "archive withdrawals" in result.output
    listed = run("withdrawals", "--as", "admin").output
    assert LEGAL in listed and "by letter" in listed and "archive purge" in listed


@pytest.mark.parametrize("args, code, named", [
    (["--to", "maybe", "--decided", "2022-03-14", "--reason", "r"], 2, "--to"),
    (["--to", "internal", "--decided", "2022-02-30", "--reason", "r"], 2, "--decided"),
    (["--to", "internal", "--decided", "2021-11-30", "--reason", "r"], 1, "--decided"),
    (["--to", "internal", "--decided", "2022-03-14", "--reason", " "], 2, "--reason"),
    (["--to", "internal", "--decided", "2022-03-14"], 2, "--reason"),
    (["--to", "legal", "--decided", "2022-03-14", "--reason", "r"], 1, "--to"),
    (["--to", "internal", "--decided", "2022-03-14", "--reason", "r", "--recorded-by", "lawyer"], 2, "--recorded-by"),
    (["--to", "internal", "--decided", "2022-03-14", "--reason", "r", "--recorded-by", "nobody"], 2, "--recorded-by"),
])
def test_the_cli_names_the_wrong_option(archive, args, code, named):
    from click.testing import CliRunner

    from archive.cli import cli

    result = CliRunner().invoke(cli, ["--data", str(archive.root), "consent", LEGAL, *args,
                                      *([] if "--recorded-by" in args else ["--recorded-by", "reviewer"])])
    assert result.exit_code == code, result.output
    assert named in result.output


def test_the_cli_says_an_unknown_reference(archive, run):
    from click.testing import CliRunner

    from archive.cli import cli

    result = CliRunner().invoke(cli, ["--data", str(archive.root), "consent", "T-1999-0001", "--to", "internal",
                                      "--decided", "2022-03-14", "--reason", "r", "--recorded-by", "reviewer"])
    assert result.exit_code == 1 and "no testimony T-1999-0001" in result.output


# --- what a withdrawal lists ---------------------------------------------------------------------

def test_the_withdrawals_list_what_must_follow(archive, as_role, run, tmp_path):
    lawyer, lawyer_token = as_role("lawyer")
    lawyer.post("/case-files", data={"csrf_token": lawyer_token, "name": "Kuźnica 2021"})
    lawyer.post("/case-files/add", data={"csrf_token": lawyer_token, "case_file": 1, "reference": [LEGAL]})
    response = lawyer.post("/case-files/1/export", data={"csrf_token": lawyer_token, "format": "json", "identify": "1"})
    export_id = int(response.headers["X-Export-Id"])
    assert run("backup", tmp_path / "before.db").exit_code == 0
    reviewer, token = as_role("reviewer")
    change(reviewer, token, LEGAL, consent="withdrawn", decided="2022-03-14", reason="witness in danger")
    page = reviewer.get("/withdrawals").get_data(as_text=True)
    assert "Kuźnica 2021</span>, owner lawyer" in page
    assert f"Export {export_id}: JSON" in page and "with the witness's identity</strong>" in page
    assert str(tmp_path / "before.db") in page
    assert rows(archive, "SELECT export_id, identified FROM export_testimony") == [
        {"export_id": export_id, "identified": 1}]
    assert "Purge" not in page.split("<main")[1].split("Purged")[0]  # only an admin is offered the purge
    admin, _ = as_role("admin")
    assert f"Purge {LEGAL} for good" in admin.get("/withdrawals").get_data(as_text=True)


def test_every_consent_change_is_in_the_audit_chain(archive, as_role):
    reviewer, token = as_role("reviewer")
    for consent, day in (("internal", "2022-03-01"), ("legal", "2022-04-01"), ("withdrawn", "2022-05-01")):
        assert change(reviewer, token, LEGAL, consent=consent, decided=day, reason="r").status_code == 303
    db = service.open_db(archive)
    try:
        assert audit.verify(db) == []
        changes = [json.loads(e["detail"])["to"] for e in db.query(
            "SELECT detail FROM audit_event WHERE action = 'consent_changed' ORDER BY id")]
        assert changes == ["internal", "legal", "withdrawn"]
        assert len([h for h in store.history_of(db, LEGAL) if h["action"] == "update" and "consent" in h["new"]]) == 3
    finally:
        db.close()

