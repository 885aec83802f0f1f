"""Exports, case files and the statistics page through the Flask test client, logged in as each role:
the file downloaded is read back, every export is recorded, roles without `export` get 403, and the
statistics page links each count to the search page with that subset."""
import csv
import hashlib
import io
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from pypdf import PdfReader

from archive import service, store
from tests import export_data
from tests.export_data import EXPORTED, NAMES, NEVER, downloaded


@pytest.fixture
def archive(data_dir, users):
    export_data.populate(data_dir)
    return data_dir


@pytest.fixture
def as_role(client, login, archive):
    """as_role('lawyer') -> the CSRF token of a session logged in as that account."""
    return lambda name: login(client, name)


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def exports_recorded(archive):
    db = service.open_db(archive)
    try:
        return store.list_export_records(db)
    finally:
        db.close()


def test_the_search_page_offers_export_tools_to_a_lawyer_only(client, as_role):
    as_role("viewer")
    page = client.get("/").get_data(as_text=True)
    assert 'form="ticked"' not in page and "/export" not in page
    assert "T-2021-0001" in page  # the search itself as before
    as_role("lawyer")
    page = client.get("/?language=ar").get_data(as_text=True)
    assert page.count('form="ticked"') == 1 and 'value="T-2021-0002"' in page
    assert '<input type="hidden" name="language" value="ar">' in page
    assert re.search(r'href="/stats\?language=ar"', page)


def test_the_export_panel_says_how_many_results_consent_keeps_in_before_the_export(client, as_role):
    as_role("lawyer")  # a lawyer finds T-2021-0006 (internal), not T-2021-0007 (withdrawn: reviewers only)
    page = unescape(client.get("/").get_data(as_text=True))
    assert "1 of these 6 results will be left out: the witness's consent keeps it in the archive" in page
    assert "Export these 6 results" in page
    page = unescape(client.get("/?consent=internal").get_data(as_text=True))
    assert "This result may not leave the archive" in page
    assert "/export" not in page and "Export this result" not in page  # no form that would give an empty file
    page = unescape(client.get("/?consent=internal&consent=legal").get_data(as_text=True))
    assert re.search(r"1 of these \d+ results will be left out", page)
    page = unescape(client.get("/?consent=legal&consent=publication").get_data(as_text=True))
    assert "will be left out" not in page and "may not leave" not in page and 'action="/export"' in page


def test_no_exported_file_stays_in_the_data_directory(client, as_role, archive):
    token = as_role("lawyer")
    for file_format in ("csv", "json", "pdf"):
        response = downloaded(client, client.post("/export", data={"csrf_token": token, "q": "Kuznica",
                                                                    "format": file_format}))
        assert response.status_code == 200 and response.get_data()
        response.close()
    left = [p.name for p in archive.root.iterdir() if p.suffix in (".csv", ".json", ".pdf", ".html")]
    assert left == []


def test_export_a_search_as_csv(client, as_role, archive):
    token = as_role("lawyer")
    response = client.post("/export", data={"csrf_token": token, "q": "", "format": "csv", "bom": "true"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert response.headers["X-Export-SHA256"] == hashlib.sha256(body).hexdigest()
    text = body.decode("utf-8-sig")
    assert sorted(r["reference"] for r in csv.DictReader(io.StringIO(text))) == EXPORTED
    for absent in NEVER + NAMES:
        assert absent not in text
    recorded = exports_recorded(archive)[0]
    assert recorded["actor"] == "lawyer" and recorded["sha256"] == response.headers["X-Export-SHA256"]


def test_export_keeps_the_pages_filters(client, as_role):
    token = as_role("lawyer")
    response = client.post("/export", data={"csrf_token": token, "language": ["ar", "pl"], "format": "csv"})
    assert sorted(r["reference"] for r in rows_of(response)) == ["T-2021-0002", "T-2021-0004"]


@pytest.mark.parametrize("role", ["viewer", "coder", "admin"])
def test_roles_without_export_are_refused(client, as_role, archive, role):
    token = as_role(role)
    assert client.post("/export", data={"csrf_token": token, "format": "csv"}).status_code == 403
    assert client.get("/case-files").status_code == 403
    assert exports_recorded(archive) == []


def test_export_needs_a_login_and_a_csrf_token(app, client, as_role, archive):
    anonymous = app.test_client()
    token = anonymous.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = anonymous.post("/export", data={"format": "csv", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    as_role("lawyer")
    assert client.post("/export", data={"format": "csv"}).status_code == 400
    assert exports_recorded(archive) == []


def test_bad_options_are_named(client, as_role):
    token = as_role("lawyer")
    response = client.post("/export", data={"csrf_token": token, "format": "docx"})
    assert response.status_code == 400 and "format" in response.get_data(as_text=True)


def test_case_file_flow(client, as_role, archive):
    token = as_role("lawyer")
    created = client.post("/case-files", data={"csrf_token": token, "name": "Kuźnica 2021"})
    assert created.status_code == 303
    case_url = urlsplit(created.headers["Location"]).path
    case_id = int(case_url.rsplit("/", 1)[1])
    added = client.post("/case-files/add", data={"csrf_token": token, "case_file": case_id,
                                                 "reference": ["T-2021-0003", "T-2021-0002", "T-2021-0006"]})
    assert added.status_code == 303
    page = client.get(case_url).get_data(as_text=True)
    assert all(ref in page for ref in ("T-2021-0002", "T-2021-0003", "T-2021-0006"))
    assert "never exported" in page  # T-2021-0006 is internal
    assert client.post("/case-files", data={"csrf_token": token, "name": "kuźnica 2021"}).status_code == 409
    renamed = client.post(f"{case_url}/rename", data={"csrf_token": token, "name": "Case 12/2022"})
    assert renamed.status_code == 303 and "Case 12/2022" in client.get("/case-files").get_data(as_text=True)
    client.post(f"{case_url}/remove", data={"csrf_token": token, "reference": ["T-2021-0003"]})
    response = client.post(f"{case_url}/export", data={"csrf_token": token, "format": "json"})
    document = response.get_json(force=True)
    assert [r["reference"] for r in document["records"]] == ["T-2021-0002"]
    assert document["case_file"]["name"] == "Case 12/2022" and document["left_out"] == {"internal": 1}
    assert exports_recorded(archive)[0]["case_file_id"] == case_id


def test_new_case_file_from_ticked_results(client, as_role):
    token = as_role("reviewer")
    response = client.post("/case-files/add", data={"csrf_token": token, "new_name": "Ticked",
                                                    "reference": ["T-2021-0004"]})
    assert response.status_code == 303
    assert "T-2021-0004" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.post("/case-files/add", data={"csrf_token": token, "reference": ["T-2021-0004"]}).status_code == 400


def test_case_file_pdf_download(client, as_role):
    token = as_role("lawyer")
    case_url = client.post("/case-files", data={"csrf_token": token, "name": "PDF"}).headers["Location"]
    case_id = int(urlsplit(case_url).path.rsplit("/", 1)[1])
    client.post("/case-files/add", data={"csrf_token": token, "case_file": case_id, "reference": EXPORTED})
    response = downloaded(client, client.post(f"/case-files/{case_id}/export",
                                              data={"csrf_token": token, "format": "pdf"}))
    assert response.mimetype == "application/pdf"
    assert re.search(r'filename=case-summary-case-file-pdf-\d{4}-\d\d-\d\d\.pdf', response.headers["Content-Disposition"])
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    assert all(ref in text for ref in EXPORTED) and "Case file: PDF" in text
    assert not any(name in text for name in NAMES)


def test_the_statistics_page_links_every_count_to_its_subset(client, as_role):
    as_role("viewer")
    response = client.get("/stats?language=ru&language=ar")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<svg" in page and 'class="timeline timeline-wide"' in page and 'class="place-map place-map-wide"' in page
    assert "style=" not in page and "<script" not in page  # the CSP allows neither
    cells = re.findall(r'<td class="n[^"]*"><a href="([^"]+)"[^>]*>(\d+)</a></td>', page)
    assert cells
    for url, count in cells:
        params = parse_qsl(urlsplit(unescape(url)).query)
        assert ("language", "ru") in params and ("language", "ar") in params
        found = client.get(unescape(url)).get_data(as_text=True)
        total = int(re.search(r'class="total"[^>]*><strong>(\d+)</strong>', found).group(1))
        assert total >= int(count)
    # The map is a picture (its dots have tooltips); the table beside it links each place.
    places = re.findall(r'<td dir="auto"><a href="([^"]*place=[^"]*)">', page)
    assert places and any("place=kuznica" in unescape(url) for url in places)
    assert "<circle" in page and 'class="place-map place-map-narrow"' in page  # drawn again for a phone


def test_places_not_in_the_gazetteer_are_one_escaped_line_on_the_statistics(client, as_role, import_records):
    from tests.factories import record

    written = ['<b onmouseover="x()">the farm</b>', "forest near border post 1187", "forest near border post 1187"]
    import_records([record(90 + n, location=place, consent="legal", text=f"Pushed back near {n} the wire.")
                    for n, place in enumerate(written)])
    as_role("lawyer")
    page = client.get("/stats").get_data(as_text=True)
    assert page.count("not in the gazetteer</summary>") == 1
    assert re.search(r"<summary>\d+ places? not in the gazetteer</summary>", page)
    assert "&lt;b onmouseover=&#34;x()&#34;&gt;the farm&lt;/b&gt;" in page and "<b onmouseover" not in page
    assert 'forest near border post 1187</span> <span class="count">2 testimonies' in page
    assert "(not in the gazetteer)" not in page  # no longer a row per place


def test_statistics_need_a_login(app, archive):
    response = app.test_client().get("/stats")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_identities_on_the_web_only_when_asked(client, as_role):
    token = as_role("lawyer")
    assert 'name="identify"' in client.get("/").get_data(as_text=True)
    plain = rows_of(client.post("/export", data={"csrf_token": token, "format": "csv"}))
    assert "witness_name" not in plain[0]
    named = {r["reference"]: r for r in rows_of(client.post("/export", data={"csrf_token": token, "format": "csv",
                                                                             "identify": "true"}))}
    assert named["T-2021-0001"]["witness_name"] == "Karim Haddad"
    assert named["T-2021-0001"]["witness_contact"] == "'+48 600 100 200"  # a phone number starts like a formula


# --- a case file is private to its owner, unless shared ---------------------------------------------------

@pytest.fixture
def colleagues(archive, app):
    """lawyer2, a second lawyer; and a client for each of lawyer, lawyer2 and reviewer, with its CSRF token."""
    from archive.security import accounts
    from archive.store.db import write_transaction
    from tests.conftest import csrf_token, logged_in_client

    db = service.open_db(archive)
    try:
        with write_transaction(db):
            accounts.add_user(db, "lawyer2", "lawyer", "correct horse battery staple")
    finally:
        db.close()
    clients = {}
    for name in ("lawyer", "lawyer2", "reviewer"):
        client = logged_in_client(app, name)
        clients[name] = (client, csrf_token(client, "/case-files"))
    return clients


def _case_file(clients, owner="lawyer", name="Kuźnica 2021", references=("T-2021-0002",)):
    client, token = clients[owner]
    created = client.post("/case-files/add", data={"csrf_token": token, "new_name": name,
                                                   "reference": list(references)})
    assert created.status_code == 303
    return int(urlsplit(created.headers["Location"]).path.rsplit("/", 1)[1])


def _references(archive, case_id):
    db = service.open_db(archive)
    try:
        return store.case_file_references(db, case_id), store.get_case_file(db, case_id)["name"]
    finally:
        db.close()


def _every_door(client, token, case_id):
    """Open, rename, add to, remove from and export the case file: the status of each answer."""
    post = {"csrf_token": token}
    return {
        "open": client.get(f"/case-files/{case_id}").status_code,
        "rename": client.post(f"/case-files/{case_id}/rename", data={**post, "name": "Mine now"}).status_code,
        "add": client.post("/case-files/add", data={**post, "case_file": case_id,
                                                    "reference": ["T-2021-0004"]}).status_code,
        "remove": client.post(f"/case-files/{case_id}/remove", data={**post, "reference": ["T-2021-0002"]}).status_code,
        "export": client.post(f"/case-files/{case_id}/export", data={**post, "format": "json"}).status_code,
        "share": client.post(f"/case-files/{case_id}/share", data={**post, "account": "viewer"}).status_code,
    }


@pytest.mark.parametrize("stranger", ["lawyer2", "reviewer"])
def test_another_account_cannot_open_or_change_a_case_file_nor_learn_it_exists(colleagues, archive, stranger):
    case_id = _case_file(colleagues)
    client, token = colleagues[stranger]
    assert _every_door(client, token, case_id) == dict.fromkeys(
        ("open", "rename", "add", "remove", "export", "share"), 404)
    assert _references(archive, case_id) == (["T-2021-0002"], "Kuźnica 2021")
    assert exports_recorded(archive) == []
    assert "Kuźnica 2021" not in client.get("/case-files").get_data(as_text=True)
    assert "Kuźnica 2021" not in client.get("/").get_data(as_text=True)  # nor in "Add ticked results to"
    assert client.get("/case-files/999").status_code == 404  # the same answer as for no case file at all


def test_the_same_name_is_each_owner_s_own(colleagues):
    _case_file(colleagues, "lawyer", "Kuźnica 2021")
    client, token = colleagues["lawyer2"]
    assert client.post("/case-files", data={"csrf_token": token, "name": "kuźnica 2021"}).status_code == 303
    assert client.post("/case-files", data={"csrf_token": token, "name": "Kuźnica 2021"}).status_code == 409


def test_sharing_lets_a_colleague_work_on_it_but_not_rename_or_reshare_it(colleagues, archive):
    case_id = _case_file(colleagues)
    owner, owner_token = colleagues["lawyer"]
    page = owner.get(f"/case-files/{case_id}").get_data(as_text=True)
    assert "Private: only lawyer can open it" in page and '<option value="lawyer2">' in page
    assert '<option value="viewer">' not in page  # a viewer may not export: not offered
    shared = owner.post(f"/case-files/{case_id}/share", data={"csrf_token": owner_token, "account": "lawyer2"})
    assert shared.status_code == 303
    client, token = colleagues["lawyer2"]
    doors = _every_door(client, token, case_id)
    assert doors == {"open": 200, "rename": 403, "add": 303, "remove": 303, "export": 200, "share": 403}
    assert _references(archive, case_id) == (["T-2021-0004"], "Kuźnica 2021")
    assert "Kuźnica 2021" in client.get("/case-files").get_data(as_text=True)
    assert "Shared with lawyer2" in owner.get(f"/case-files/{case_id}").get_data(as_text=True)
    owner.post(f"/case-files/{case_id}/unshare", data={"csrf_token": owner_token, "account": "lawyer2"})
    assert client.get(f"/case-files/{case_id}").status_code == 404


@pytest.mark.parametrize("account", ["viewer", "nobody", "lawyer", "LAWYER"])
def test_a_case_file_is_shared_only_with_another_account_that_may_export(colleagues, archive, account):
    case_id = _case_file(colleagues)
    owner, token = colleagues["lawyer"]
    response = owner.post(f"/case-files/{case_id}/share", data={"csrf_token": token, "account": account})
    assert response.status_code == 400 and "not another active account" in response.get_data(as_text=True)


def test_sharing_is_audited(colleagues, archive):
    case_id = _case_file(colleagues)
    owner, token = colleagues["lawyer"]
    owner.post(f"/case-files/{case_id}/share", data={"csrf_token": token, "account": "reviewer"})
    owner.post(f"/case-files/{case_id}/unshare", data={"csrf_token": token, "account": "reviewer"})
    db = service.open_db(archive)
    try:
        entries = db.execute("SELECT actor, action, subject, detail FROM audit_event WHERE action LIKE 'case_file_%'"
                             ).fetchall()
    finally:
        db.close()
    assert entries == [("lawyer", "case_file_shared", str(case_id), '{"with": "reviewer"}'),
                       ("lawyer", "case_file_unshared", str(case_id), '{"with": "reviewer"}')]
