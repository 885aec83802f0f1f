"""REFI-QDA on the pages, through the Flask test client: a project imported from the intake page (or
refused there, each problem listed, nothing written), exported from the search's export form, the
codebook downloaded as .qdc, and an admin mapping a foreign codebook by hand."""
import hashlib
import io
import re
import zipfile
from html import unescape

from lxml import etree

from archive import service, store
from tests.qdpx_files import Code, Selection, Source, codebook_xml, guid, project_xml, write_project

STRESS, BEATING = Code("Stress"), Code("Beating")


def project(tmp_path, text="They beat us at the fence with batons.", name="p.qdpx", codes=(BEATING,), consent="legal"):
    source = Source("Interview 9", text, [Selection("beat us at the fence", list(codes))], {"Consent": consent})
    return write_project(tmp_path / name, [source], [BEATING, STRESS])


def upload(client, token, path, url="/testimonies/import", field="import_file"):
    return client.post(url, data={"csrf_token": token, field: (io.BytesIO(path.read_bytes()), path.name)},
                       content_type="multipart/form-data")


def count(data_dir, table):
    db = service.open_db(data_dir)
    try:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


def test_a_coder_imports_a_project_from_the_intake_page(signed_in, data_dir, tmp_path):
    client, token = signed_in("coder")
    page = client.get("/testimonies/new").get_data(as_text=True)
    assert 'action="/testimonies/import#import-heading"' in page and "File to import" in page
    response = upload(client, token, project(tmp_path))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Imported 1 of 1 from p.qdpx" in page and "1 testimony imported, with 1 coded passage." in page
    reference = re.search(r'href="/testimonies/(T-\d{4}-\d{4})"', page).group(1)
    coding_page = unescape(client.get(f"/testimonies/{reference}").get_data(as_text=True))
    assert "beat us at the fence" in coding_page and "Maria QualCoder" in coding_page


def test_a_refused_project_lists_its_problems_and_nothing_is_written(signed_in, data_dir, tmp_path):
    client, token = signed_in("coder")
    before = count(data_dir, "testimony"), count(data_dir, "import_batch")
    response = upload(client, token, project(tmp_path, codes=(STRESS,)))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Nothing was imported." in page and "code 'Stress'" in page and "is not mapped onto the codebook" in page
    assert (count(data_dir, "testimony"), count(data_dir, "import_batch")) == before
    assert [p.name for p in data_dir.root.iterdir() if p.name.startswith(("import-", "tmp"))] == []  # no upload left
    response = upload(client, token, _file(tmp_path, "notes.docx"))
    assert response.status_code == 422 and "choose a REFI-QDA project (.qdpx)" in response.get_data(as_text=True)


def _file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"not a project")
    return path


def test_the_export_form_offers_and_sends_a_refi_qda_project(signed_in, data_dir, tmp_path):
    coder, token = signed_in("coder")
    upload(coder, token, project(tmp_path))
    service.reindex(data_dir)
    client, token = signed_in("lawyer")
    assert "REFI-QDA project (.qdpx)" in client.get("/?q=fence").get_data(as_text=True)
    response = client.post("/export", data={"csrf_token": token, "q": "fence", "format": "qdpx"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = response.get_data()
    assert response.headers["X-Export-SHA256"] == hashlib.sha256(data).hexdigest()
    assert re.fullmatch(r'attachment; filename=project-fence-\d{4}-\d\d-\d\d\.qdpx',
                        response.headers["Content-Disposition"])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("project.qde"))
    assert etree.XMLSchema(etree.parse("tests/data/refi-qda/Project.xsd")).validate(root)
    response = client.post("/export", data={"csrf_token": token, "q": "fence", "format": "qdpx", "identify": "true"})
    assert response.status_code == 403


def test_the_codebook_downloads_as_qdc(signed_in):
    client, _ = signed_in("viewer")
    response = client.get("/codebook.qdc")
    assert response.status_code == 200 and "codebook-" in response.headers["Content-Disposition"]
    schema = etree.XMLSchema(etree.parse("tests/data/refi-qda/Codebook.xsd"))
    assert schema.validate(etree.fromstring(response.get_data()))
    assert "/codebook.qdc" in client.get("/codebook").get_data(as_text=True)


def test_an_admin_maps_a_foreign_codebook_by_hand(signed_in, data_dir, tmp_path):
    client, token = signed_in("admin")
    assert "REFI-QDA exchange" in client.get("/codebook").get_data(as_text=True)
    foreign = tmp_path / "taguette.qdc"
    foreign.write_text(codebook_xml([BEATING, STRESS]), encoding="utf-8")
    page = unescape(upload(client, token, foreign, "/codebook/exchange", "codebook").get_data(as_text=True))
    assert "1 code maps onto the codebook" in page and "1 to map by hand" in page
    assert f'name="decision-{STRESS.guid}"' in page
    form = {"csrf_token": token, "guid": [BEATING.guid, STRESS.guid], "name": ["Beating", "Stress"],
            "path": ["Beating", "Stress"], f"decision-{STRESS.guid}": "abuse_type:deprivation"}
    response = client.post("/codebook/exchange/decisions", data=form)
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "Saved 1 decision." in page and "2 codes map onto the codebook" in page
    db = service.open_db(data_dir)
    try:
        assert store.exchange.code_mappings(db)[STRESS.guid]["target_id"] == "deprivation"
    finally:
        db.close()
    form[f"decision-{STRESS.guid}"] = "abuse_type:brand_new_type"
    response = client.post("/codebook/exchange/decisions", data=form)
    assert response.status_code == 422 and "not in the codebook" in unescape(response.get_data(as_text=True))
    bad = upload(client, token, _file(tmp_path, "x.qdc"), "/codebook/exchange", "codebook")
    assert bad.status_code == 422 and "not well-formed XML" in bad.get_data(as_text=True)


def speaking(client, language):
    """The client's browser asks for `language` (Accept-Language) on every request from now on."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def test_a_polish_coder_imports_a_project_and_reads_the_pages_in_polish(signed_in, tmp_path):
    client, token = signed_in("coder")
    page = unescape(speaking(client, "pl").get("/testimonies/new").get_data(as_text=True))
    assert '<a href="#import-heading">zaimportuj plik</a>' in page and "Plik do zaimportowania" in page
    page = unescape(upload(client, token, project(tmp_path)).get_data(as_text=True))
    assert "Zaimportowano 1 z 1 z pliku p.qdpx" in page
    assert "Zaimportowano 1 relację, z 1 zakodowanym fragmentem." in page
    assert "Zaimportuj kolejny plik albo dodaj relację" in page and "testimony imported" not in page


def test_sources_other_than_text_left_out_are_counted_in_the_readers_language(signed_in, tmp_path):
    client, token = signed_in("coder")
    source = Source("Interview 9", "They beat us at the fence with batons.", [], {"Consent": "legal"})
    scans = "".join(f'<PictureSource guid="{guid()}" name="photo {n}"/>' for n in range(5))
    xml = project_xml([source], [BEATING]).replace("<Sources>", f"<Sources>{scans}")
    path = write_project(tmp_path / "photos.qdpx", [source], [BEATING], xml=xml)
    page = unescape(upload(speaking(client, "pl"), token, path).get_data(as_text=True))
    assert "<h2>Pominięto</h2>" in page
    assert "Pominięto 5 źródeł innych niż tekst (PDF, obraz, dźwięk, wideo)" in page


def test_a_refused_import_and_its_problems_are_said_in_the_readers_language(
        signed_in, data_dir, tmp_path):
    client, token = signed_in("coder")
    speaking(client, "uk")
    response = upload(client, token, _file(tmp_path, "notes.docx"))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Нічого не імпортовано. Проблема:" in page and "виберіть проєкт REFI-QDA (.qdpx)" in page
    response = upload(speaking(client, "ru"), token, project(tmp_path, codes=(STRESS,)))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and "Ничего не импортировано. Проблема:" in page
    assert "не сопоставлен с кодовой книгой" in page  # the import's own problems, in her language too
    assert count(data_dir, "testimony") == 0


def test_an_arabic_admin_maps_a_foreign_codebook_in_arabic(signed_in, tmp_path):
    client, token = signed_in("admin")
    speaking(client, "ar")
    assert "تبادل REFI-QDA" in client.get("/codebook").get_data(as_text=True)  # the codebook's link
    foreign = tmp_path / "taguette.qdc"
    foreign.write_text(codebook_xml([BEATING, STRESS]), encoding="utf-8")
    page = unescape(upload(client, token, foreign, "/codebook/exchange", "codebook").get_data(as_text=True))
    assert "رمز واحد يطابق دليل الترميز" in page and "رمز واحد للمطابقة يدويًا" in page and "(بالاسم)" in page
    book = service.load_codebook()
    assert f'<option value="abuse_type:deprivation">{book.label("abuse_type", "deprivation", "ar")}</option>' in page
    side = next(iter(book.perpetrators))
    said = book.label("perpetrator", side, "ar")
    assert f'<option value="perpetrator:{side}">الجهة المرتكبة: {said}</option>' in page
    form = {"csrf_token": token, "guid": [BEATING.guid, STRESS.guid], "name": ["Beating", "Stress"],
            "path": ["Beating", "Stress"], f"decision-{STRESS.guid}": "abuse_type:deprivation"}
    page = unescape(client.post("/codebook/exchange/decisions", data=form).get_data(as_text=True))
    assert "حُفظ قرار واحد." in page and "رمزان يطابقان دليل الترميز" in page
    empty = client.post("/codebook/exchange", data={"csrf_token": token})
    assert empty.status_code == 422 and "اختر ملف .qdc أو .qdpx أولًا." in unescape(empty.get_data(as_text=True))


def test_a_lawyer_reads_the_codebooks_download_link_and_the_qdpx_option_in_russian(signed_in, data_dir, tmp_path):
    coder, token = signed_in("coder")
    upload(coder, token, project(tmp_path))
    service.reindex(data_dir)
    client, _ = signed_in("lawyer")
    speaking(client, "ru")
    assert "Скачать (.qdc)" in client.get("/codebook").get_data(as_text=True)
    assert '<option value="qdpx">Проект REFI-QDA (.qdpx)</option>' in client.get("/?q=fence").get_data(as_text=True)
