"""The intake form, through the Flask test client on a real archive: pasted or uploaded text,
validated as an import row, stored with its witness and codes, indexed; errors beside each field."""
import io
import logging
import re

import pypdf
import pytest

from archive import service, store
from tests.documents import STATEMENTS, docx_bytes, pdf_bytes, statement_pdf

FORM = {
    "title": "Pushed back at night near Kuźnica", "language": "en", "interview_date": "2021-12-02",
    "interviewer": "Marta K.", "organisation": "Border Witness Collective", "source": "Recording BWC-17",
    "witness_pseudonym": "Witness K", "witness_gender": "female", "witness_age": "29", "witness_nationality": "IQ",
    "witness_name": "Shilan Qadir", "witness_contact": "+964 750 000 0000",
    "consent": "legal", "confidentiality": "restricted",
    "abuse_types": ["pushback", "beating"], "perpetrators": ["pl_border_guard"], "location": "Kuznitsa",
    "incident_date_from": "2021-11-08",
}
TEXT = "The Polish guards beat my husband and drove us back to the wire at night."


def csrf_of(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def form_client(signed_in):
    client, token = signed_in("coder")

    def post(fields, files=None):
        data = {**fields, "csrf_token": token}
        for name, (filename, content) in (files or {}).items():
            data[name] = (io.BytesIO(content), filename)
        return client.post("/testimonies/new", data=data, content_type="multipart/form-data")
    post.client = client
    return post


def field_error(page, name):
    found = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', page)
    return found.group(1) if found else None


def test_a_pasted_testimony_is_stored_indexed_and_opened_for_coding(form_client, db, data_dir):
    answer = form_client({**FORM, "text": TEXT})
    assert answer.status_code == 303
    reference = answer.headers["Location"].rsplit("/testimonies/", 1)[1]
    assert re.fullmatch(r"T-2021-\d{4}", reference)
    testimony = store.get_testimony(db, reference)
    assert {k: testimony[k] for k in ("title", "text", "language", "interview_date", "consent", "confidentiality",
                                      "status")} == {
        "title": FORM["title"], "text": TEXT, "language": "en", "interview_date": "2021-12-02", "consent": "legal",
        "confidentiality": "restricted", "status": "new"}
    assert testimony["witness"] == {"pseudonym": "Witness K", "gender": "female", "age": 29, "age_band": None,
                                    "nationality": "IQ", "minor": False}
    assert store.get_witness_identity(db, testimony["witness_id"]) == {"name": "Shilan Qadir",
                                                                       "contact": "+964 750 000 0000"}
    codes = testimony["codes"]
    assert sorted((c["abuse_type"], c["place_id"], c["date_text"], tuple(c["perpetrators"])) for c in codes) == [
        ("beating", "kuznica", "2021-11-08", ("pl_border_guard",)),
        ("pushback", "kuznica", "2021-11-08", ("pl_border_guard",))]
    problems, drift = service.check(data_dir)
    assert problems == [] and not drift  # SQLite and the index agree: the new testimony was indexed
    assert form_client.client.get(answer.headers["Location"]).status_code == 200


def test_the_new_testimony_is_in_the_index(form_client, searcher):
    answer = form_client({**FORM, "text": TEXT})
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    assert [hit["reference"] for hit in searcher.search("husband")["results"]] == [reference]


def test_errors_are_shown_beside_each_field_and_values_kept(form_client, db, caplog):
    caplog.set_level(logging.DEBUG)
    answer = form_client({**FORM, "text": TEXT, "witness_age": "two hundred", "language": "xx",
                          "confidentiality": "public", "incident_date_from": "2021-02-29"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "neither an age in years" in field_error(page, "witness_age")
    assert "not an ISO 639-1" in field_error(page, "language")
    assert "consent to publication" in field_error(page, "confidentiality")
    assert "does not exist in the calendar" in field_error(page, "incident_date_from")
    described = 'aria-describedby="witness_age-hint witness_age-error" aria-invalid="true"'
    assert re.search(rf'id="f-witness_age"[^>]*{described}', page)
    assert 'value="two hundred"' in page and TEXT in page
    assert re.search(r'<option value="pushback" data-label="[^"]*" data-terms="[^"]*" selected>', page)
    assert store.count_testimonies(db) == 0
    assert not any("Shilan" in record.getMessage() or "+964" in record.getMessage() for record in caplog.records)


def test_a_refused_form_names_under_each_list_every_choice_it_kept(form_client):
    """A list of eight rows hides most of its options: what stays chosen is named under it, and the list
    is described by that line (static/chosen.js keeps it current as the choice changes)."""
    page = form_client({**FORM, "text": TEXT, "witness_age": "two hundred",
                        "perpetrators": ["pl_border_guard", "lv_border_guard"]}).get_data(as_text=True)
    chosen = re.search(r'<p class="chosen" id="perpetrators-chosen" role="status" data-for="f-perpetrators"[^>]*>'
                       r'Chosen: <strong>([^<]*)</strong>', page)
    assert chosen.group(1) == "Poland: Border Guard (Straż Graniczna, SG); Latvia: State Border Guard"
    assert re.search(r'id="f-perpetrators"[^>]*aria-describedby="perpetrators-chosen"', page)
    assert re.search(r'id="abuse_types-chosen"[^>]*>Chosen: <strong>Push-back; Beating</strong>', page)
    empty = form_client.client.get("/testimonies/new").get_data(as_text=True)
    assert re.search(r'<p class="chosen empty" id="perpetrators-chosen"[^>]*>Chosen: <strong>none yet</strong>', empty)


def test_the_date_hint_is_in_the_readers_language(form_client):
    page = form_client.client.get("/testimonies/new", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<p class="hint" id="incident_date_from-hint">2021, 2021-11 lub 2021-11-08; ~ dla daty przybliżonej.</p>' in page
    assert '<p class="hint" id="interview_date-hint">2021-12-02, 2021-12 lub 2021.</p>' in page


def test_a_statement_already_in_the_archive_is_refused(form_client, db):
    first = form_client({**FORM, "text": TEXT})
    reference = first.headers["Location"].rsplit("/", 1)[1]
    again = form_client({**FORM, "text": TEXT})
    assert again.status_code == 422
    assert field_error(again.get_data(as_text=True), "text") == (
        f"this statement is already in the archive, as {reference}")
    taken = form_client({**FORM, "text": "Another statement.", "reference": reference})
    assert field_error(taken.get_data(as_text=True), "reference") == f"{reference} is already in the archive"
    assert store.count_testimonies(db) == 1


@pytest.mark.parametrize("filename, content, stored", [
    ("statement.txt", "\ufeffОни избили нас.\r\nЗатем собаки.".encode("utf-8"), "Они избили нас.\nЗатем собаки."),
    ("../../etc/passwd.TXT", "They beat us near Bruzgi.".encode(), "They beat us near Bruzgi."),
    ("interview.docx", docx_bytes(["ضربونا بالهراوات قرب الحدود", "ثم الكلاب"], [["date", "2021-11-08"]]),
     "ضربونا بالهراوات قرب الحدود\nثم الكلاب\ndate\t2021-11-08"),
    # Two pages of a line each: nothing in the layout ends the paragraph at the page's end (no short
    # line, no gap, no indent), so the second page continues it.
    ("interview.pdf", pdf_bytes([["They took our phones (all of them)."], ["Then they beat us."]]),
     "They took our phones (all of them). Then they beat us."),
])
def test_an_uploaded_file_gives_the_statement(form_client, db, filename, content, stored):
    answer = form_client({**FORM, "text": "", "title": ""}, files={"upload": (filename, content)})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    testimony = store.get_testimony(db, answer.headers["Location"].rsplit("/", 1)[1])
    assert testimony["text"] == stored
    assert testimony["title"] == stored.split("\n")[0]


@pytest.mark.parametrize("filename, content, words", [
    ("legacy.txt", "Byli pobici pałkami".encode("cp1250"), "not UTF-8 text (byte 0xB3 at position 15)"),
    ("utf16.txt", "They beat us".encode("utf-16"), "UTF-16, not UTF-8"),
    ("scan.pdf", pdf_bytes([None, None]), "no text layer"),
    ("broken.pdf", b"%PDF-1.4 this is not really a PDF", "cannot be read as a PDF"),
    ("old.docx", b"\xd0\xcf\x11\xe0 an old Word file", "cannot be read as a Word document"),
    ("statement.rtf", b"{\\rtf1 They beat us}", "only .txt (UTF-8), .docx and .pdf"),
    ("empty.txt", b"", "the file is empty"),
])
def test_an_unreadable_upload_is_explained(form_client, db, filename, content, words):
    answer = form_client({**FORM, "text": ""}, files={"upload": (filename, content)})
    assert answer.status_code == 422
    assert words in field_error(answer.get_data(as_text=True), "upload")
    assert store.count_testimonies(db) == 0


def test_text_and_file_together_are_refused(form_client):
    answer = form_client({**FORM, "text": TEXT}, files={"upload": ("s.txt", b"Other words.")})
    assert "either as pasted text or as a file" in field_error(answer.get_data(as_text=True), "upload")


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_a_published_pdf_is_stored_as_its_paragraphs_with_its_heading_as_title(form_client, db, language):
    statement = STATEMENTS[language]
    answer = form_client({**FORM, "text": "", "title": "", "language": language},
                         files={"upload": ("report.pdf", statement_pdf(statement))})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    testimony = store.get_testimony(db, answer.headers["Location"].rsplit("/", 1)[1])
    assert (testimony["title"], testimony["text"]) == (statement.heading, "\n\n".join(statement.paragraphs))


def test_a_typed_title_is_kept_and_the_pdfs_heading_stays_out_of_the_text(form_client, db):
    statement = STATEMENTS["ru"]
    answer = form_client({**FORM, "text": ""}, files={"upload": ("report.pdf", statement_pdf(statement))})
    testimony = store.get_testimony(db, answer.headers["Location"].rsplit("/", 1)[1])
    assert testimony["title"] == FORM["title"]
    assert testimony["text"] == "\n\n".join(statement.paragraphs)


def encrypted(pdf, user_password, owner_password="the owner's"):
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_is_named_as_such(form_client, db):
    locked = encrypted(pdf_bytes([["They took our phones."]]), user_password="secret")
    answer = form_client({**FORM, "text": ""}, files={"upload": ("locked.pdf", locked)})
    assert answer.status_code == 422
    assert field_error(answer.get_data(as_text=True), "upload") == (
        "the PDF is encrypted: remove its password and upload it again")
    assert store.count_testimonies(db) == 0


def test_a_pdf_with_only_an_owner_password_opens_as_a_reader_opens_it(form_client, db):
    restricted = encrypted(pdf_bytes([["They took our phones."]]), user_password="")
    answer = form_client({**FORM, "text": ""}, files={"upload": ("restricted.pdf", restricted)})
    assert answer.status_code == 303
    assert store.get_testimony(db, answer.headers["Location"].rsplit("/", 1)[1])["text"] == "They took our phones."


def test_the_saved_testimony_says_so_on_its_page(form_client):
    answer = form_client({**FORM, "text": TEXT})
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    page = form_client.client.get(answer.headers["Location"]).get_data(as_text=True)
    assert (f'<p class="notice info" role="status" tabindex="-1" autofocus>Saved as {reference}. Select a passage '
            'of the statement to code it.</p>') in page  # the answer has the focus when the page opens
    again = form_client.client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Saved as" not in again  # said once


def summary_links(page):
    summary = re.search(r'<div class="notice error" role="alert" tabindex="-1" id="form-problems" autofocus>(.*?)</div>',
                        page, re.S).group(1)
    return re.findall(r'<li><a href="#(f-[a-z_]+)">([^<]*)</a></li>', summary)


@pytest.mark.parametrize("fields, files, links", [
    ({"text": ""}, None, [("f-text", "Statement text")]),
    ({"text": TEXT}, {"upload": ("s.txt", b"Other words.")}, [("f-upload", "…or upload a file")]),
    ({"text": TEXT, "incident_date_from": "2021-02-29", "witness_age": "old", "language": "xx"}, None,
     [("f-language", "Language"), ("f-witness_age", "Age"), ("f-incident_date_from", "Date")]),
])
def test_the_error_summary_names_each_field_by_its_label_and_links_to_it(form_client, fields, files, links):
    page = form_client({**FORM, **fields}, files=files).get_data(as_text=True)
    assert summary_links(page) == links
    assert all(f'id="{target}"' in page for target, _ in links)


def test_a_file_over_the_size_limit_is_refused(app, signed_in, db):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client, token = signed_in("coder")
    answer = client.post("/testimonies/new", content_type="multipart/form-data", data={
        **FORM, "csrf_token": token, "upload": (io.BytesIO(b"a" * 20_000), "big.txt")})
    assert answer.status_code == 413
    assert store.count_testimonies(db) == 0


def test_the_form_needs_its_csrf_token(signed_in, db):
    client, _ = signed_in("coder")
    answer = client.post("/testimonies/new", data={**FORM, "text": TEXT})
    assert answer.status_code == 400
    assert store.count_testimonies(db) == 0


def test_the_empty_form_has_safe_defaults_and_a_label_for_every_field(signed_in):
    client, _ = signed_in("coder")
    page = client.get("/testimonies/new").get_data(as_text=True)
    assert '<option value="confidential" selected>' in page and '<option value="internal" selected>' in page
    inputs = set(re.findall(r'<(?:input|select|textarea) id="(f-[a-z_]+)"', page))
    labels = set(re.findall(r'<label for="(f-[a-z_]+)"', page))
    assert inputs and inputs == labels
    # Attributes given to the field macro arrive as attributes, not as escaped text.
    assert re.search(r'id="f-location"[^>]* list="places" autocomplete="off">', page)
    assert re.search(r'id="f-witness_age"[^>]* size="8">', page)
