"""The REFI-QDA journey: a researcher brings in an interview she coded in QualCoder (a .qdpx, its source
a Windows text file with CRLF and a byte-order mark, in Russian with an emoji and a combining accent),
finds its codes on the coding page, and exports it again as a REFI-QDA project from the search."""
import re
import zipfile

import pytest
from lxml import etree
from playwright.sync_api import expect

from tests.browser.journeys.steps import log_in, search_from_the_box
from tests.browser.journeys.test_languages import WORDS
from tests.factories import PASSWORD, phone_code, secret_for
from tests.qdpx_files import Code, Selection, Source, codebook_xml, write_project

pytestmark = pytest.mark.browser
XSD = "tests/data/refi-qda/Project.xsd"


def interview(variant, first=41):
    """Each run its own text: the archive takes a statement it already holds as a duplicate."""
    number = ["desktop", "phone", "keyboard"].index(variant) + first
    text = ("\ufeffИнтервью {n}. Пограничники избили нас дубинками у забора 😢.\r\n"
            "Потом пришли собаки, и одна укусила моего брата. Cafe\u0301 был закрыт.\r\n").format(n=number)
    beating, dogs = Code("Beating"), Code("собака")
    source = Source(f"Interview {number}", text, [
        Selection("Пограничники избили нас дубинками у забора 😢", [beating], note="Batons, at night."),
        Selection("Потом пришли собаки, и одна укусила моего брата", [dogs]),
    ], variables={"Language": "ru", "Consent": "legal", "Gender": "male"})
    return source, [beating, dogs]


def test_researcher_imports_a_qualcoder_project_and_exports_it_again(person, variant, tmp_path):
    source, codes = interview(variant)
    project = write_project(tmp_path / "border-interviews.qdpx", [source], codes, folder="sources")

    unmapped = Code("Fear")
    wrong = write_project(tmp_path / "with-an-unknown-code.qdpx",
                          [Source(source.name, source.text, [Selection("дубинками", [unmapped])], source.variables)],
                          [unmapped])

    researcher = log_in(person(), "reviewer")
    page = researcher.page
    researcher.click_and_arrive(researcher.link("Add a testimony"), "intake form")
    researcher.activate(researcher.link("Import a file"))
    researcher.upload(researcher.field("File to import"), wrong)
    researcher.click_and_arrive(researcher.button("Import"), "an import refused")
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Nothing was imported.")
    expect(refusal).to_contain_text("code 'Fear'")
    expect(refusal).to_contain_text("is not mapped onto the codebook")
    expect(refusal).to_be_in_viewport()  # the page opens at the import, not at the top of the long form

    researcher.upload(researcher.field("File to import"), project)
    researcher.click_and_arrive(researcher.button("Import"), "the project imported")
    assert researcher.heading() == "Imported 1 of 1 from border-interviews.qdpx"
    expect(page.get_by_role("status")).to_have_text(re.compile(r"1 testimony imported, with 2 coded passages"))
    reference = page.get_by_role("list").filter(has=page.get_by_role("link", name=re.compile(r"^T-"))) \
        .get_by_role("link").first.inner_text()

    researcher.click_and_arrive(researcher.link(reference), "the imported testimony")
    marks = page.locator("#statement mark").all_inner_texts()
    assert "Пограничники избили нас дубинками у забора 😢" in marks
    assert "Потом пришли собаки, и одна укусила моего брата" in marks
    listed = page.get_by_role("region", name=re.compile(r"^Codes"))
    expect(listed.get_by_role("link", name="Beating", exact=True)).to_be_visible()
    expect(listed.get_by_role("link", name="Dog attack or threat with dogs", exact=True)).to_be_visible()
    expect(listed.get_by_text("Maria QualCoder").first).to_be_visible()  # the coder, as the project names her

    researcher.click_and_arrive(researcher.link("Search", within=page.get_by_role("navigation").first), "search page")
    search_from_the_box(researcher, reference, f"search for {reference}")
    tools = page.locator(".export-tools")
    researcher.activate(tools.get_by_text(re.compile(r"^Export (this result|these \d+ results)")))
    researcher.choose(tools.get_by_label("Format"), "REFI-QDA project (.qdpx)")
    with page.expect_download() as download:
        researcher.activate(tools.get_by_role("button", name="Export"))
    exported = download.value
    assert re.fullmatch(r"project-.+-\d{4}-\d\d-\d\d\.qdpx", exported.suggested_filename)

    with zipfile.ZipFile(exported.path()) as package:
        root = etree.fromstring(package.read("project.qde"))
        schema = etree.XMLSchema(etree.parse(XSD))
        assert schema.validate(root), schema.error_log
        ns = {"q": "urn:QDA-XML:project:1.0"}
        text_source = root.find(".//q:TextSource", ns)
        assert text_source.get("name") == reference
        text = package.read("Sources/" + text_source.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
    quoted = {s.get("name"): text[int(s.get("startPosition")):int(s.get("endPosition"))]
              for s in text_source.findall("q:PlainTextSelection", ns)}
    assert quoted == {name: name for name in ("Пограничники избили нас дубинками у забора 😢",
                                               "Потом пришли собаки, и одна укусила моего брата")}
    assert "\r" not in text and "Caf\u00e9" in text  # stored as the archive stores text: LF, NFC


def test_a_researcher_imports_a_project_in_arabic(person, variant, tmp_path):
    """The same import, read in Arabic: the page runs right to left, the import section, its refusal and
    what came in are in her language; the file's own problem stays as the import found it (English)."""
    source, codes = interview(variant, first=51)
    project = write_project(tmp_path / "border-interviews.qdpx", [source], codes, folder="sources")
    unmapped = Code("Fear")
    wrong = write_project(tmp_path / "with-an-unknown-code.qdpx",
                          [Source(source.name, source.text, [Selection("дубинками", [unmapped])], source.variables)],
                          [unmapped])

    # She picks Arabic at the foot of the login page (the browser's cookie: the account keeps its own
    # choice, which other journeys of this server share), then logs in in Arabic.
    researcher, words = person(), WORDS["ar"]
    page = researcher.page
    researcher.open_archive("login page")
    researcher.choose(researcher.field("Interface language"), words["name"])
    researcher.click_and_arrive(researcher.button("Change language"), "login page in ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    researcher.type_into(researcher.field(words["user"]), "reviewer")
    researcher.type_into(researcher.field(words["password"]), PASSWORD)
    researcher.click_and_arrive(researcher.button(words["log_in"]), "two-factor code page in ar")
    researcher.type_into(researcher.field(words["code"]), phone_code(secret_for("reviewer")))
    researcher.click_and_arrive(researcher.button(words["continue"]), "search page in ar")
    researcher.click_and_arrive(researcher.link("إضافة شهادة"), "intake form in ar")
    researcher.activate(researcher.link("استورد ملفًا"))
    researcher.upload(researcher.field("الملف المراد استيراده"), wrong)
    researcher.click_and_arrive(researcher.button("استيراد"), "an import refused in ar")
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("لم يُستورد شيء. المشكلة:")
    expect(refusal).to_contain_text("غير مطابَق مع دليل الترميز")
    expect(refusal).to_be_in_viewport()

    researcher.upload(researcher.field("الملف المراد استيراده"), project)
    researcher.click_and_arrive(researcher.button("استيراد"), "the project imported in ar")
    assert researcher.heading() == "استُورد 1 من 1 من الملف border-interviews.qdpx"
    expect(page.get_by_role("status")).to_have_text("استُوردت شهادة واحدة، مع مقطعين مرمَّزين.")
    expect(researcher.link("استيراد ملف آخر أو إضافة شهادة")).to_be_visible()


def test_admin_maps_a_foreign_codebook_onto_ours(person, variant, tmp_path):
    """An admin compares a codebook another team made in Taguette with ours, maps the code that matched
    nothing onto an abuse type, refuses another, and saves."""
    stress, rumours = Code("Stress of waiting"), Code("Rumours")
    foreign = tmp_path / "taguette-codebook.qdc"
    foreign.write_text(codebook_xml([Code("Pepper spray"), Code("Избиение"), stress, rumours]), encoding="utf-8")

    admin = log_in(person(), "admin")
    page = admin.page
    admin.click_and_arrive(admin.link("Codebook"), "codebook")
    admin.click_and_arrive(admin.link("REFI-QDA exchange"), "REFI-QDA exchange")
    expect(page.get_by_role("link", name="Download the codebook (.qdc)")).to_be_visible()
    admin.upload(admin.field("Foreign codebook (.qdc, or a project .qdpx)"), foreign)
    admin.click_and_arrive(admin.button("Compare with our codebook"), "the codebook compared")
    assert admin.heading(2) == "2 codes map onto the codebook"
    mapped = page.locator("ul.mapping").get_by_role("listitem").all_inner_texts()
    assert "Избиение → Beating (by name)" in mapped

    admin.choose(admin.field("Stress of waiting"), "Deprivation and dangerous exposure")
    admin.choose(admin.field("Rumours"), "Refuse: leave it out of imports")
    admin.click_and_arrive(admin.button("Save the mapping"), "the mapping saved")
    expect(page.get_by_role("status")).to_have_text("Saved 2 decisions.")
    assert admin.heading(2) == "3 codes map onto the codebook"
    expect(page.get_by_text("Left out of every import: Rumours.")).to_be_visible()
