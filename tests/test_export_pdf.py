"""The PDF case summary read back with pypdf: every selected testimony and quote is there, no
identifying field, redacted passage or testimony without consent is; it has a cover, contents with
page numbers, page x of y, the manifest of hashes; Arabic and Cyrillic come out as text."""
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from archive import service, store
from archive.cli import cli
from tests import export_data
from tests.export_data import EXPORTED, NAMES, NEVER, QUOTED


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return export_data.build(tmp_path_factory.mktemp("export-pdf") / "archive-data")


@pytest.fixture(scope="module")
def summary(archive, tmp_path_factory):
    """The PDF of every exportable testimony, with full statements: (CLI output, [page texts])."""
    path = tmp_path_factory.mktemp("pdf") / "case.pdf"
    result = CliRunner().invoke(cli, ["--data", str(archive.root), "export", "--format", "pdf", "--statements",
                                      "--out", str(path), "--as", "lawyer"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    reader = PdfReader(path)
    return result.output, [page.extract_text() for page in reader.pages], reader


def flat(text):
    return re.sub(r"\s+", " ", text)


def test_every_testimony_and_quote_is_there(summary):
    _, pages, _ = summary
    body = flat(" ".join(pages))
    for reference in EXPORTED:
        assert body.count(reference) >= 3  # contents, the testimony, the manifest
    for quote in QUOTED - {"ضربنا الجنود بالهراوات قرب كوزنيتسا"}:
        assert flat(quote) in body
    assert "Кузницы" in body and "Białowieży" in body


def test_arabic_comes_out_as_arabic_text(summary):
    _, pages, _ = summary
    arabic = set(re.findall(r"[\u0600-\u06ff]+", " ".join(pages)))
    # Shaped glyphs map back to the letters; pypdf may give right-to-left runs in visual order.
    assert {"الجنود", "بالهراوات"} <= arabic or {w[::-1] for w in ("الجنود", "بالهراوات")} <= arabic


def test_nothing_identifying_or_unconsented(summary):
    _, pages, _ = summary
    body = flat(" ".join(pages))
    for absent in NEVER + NAMES + ["Withdrawn statement", "Internal only"]:
        assert absent not in body
    assert body.count("[redacted]") >= 3


def test_cover_contents_and_page_numbers(summary):
    _, pages, reader = summary
    total = len(pages)
    assert "Case summary" in pages[0].replace("CASE SUMMARY", "Case summary")
    assert "Exported by lawyer (lawyer)" in flat(pages[0])
    assert "1 testimony left out: consent is internal" in flat(pages[0])
    assert "small group" in flat(" ".join(pages)).lower()
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {total}" in text
    contents = flat(pages[1])
    assert "Contents" in contents
    for reference in EXPORTED:  # each contents line ends with the page its testimony starts on
        page = int(re.search(re.escape(reference) + r"[^\d]*?(\d+)(?= |$)", contents.split("Testimonies", 1)[1]).group(1))
        assert reference in pages[page - 1]
    assert "Search of the archive" in pages[2]  # the running header
    assert reader.metadata.title == "Search of the archive"


def test_manifest_lists_each_statements_hash(summary, archive):
    _, pages, _ = summary
    manifest = flat(" ".join(pages[-2:]))
    db = service.open_db(archive)
    try:
        for reference in EXPORTED:
            assert store.get_testimony_row(db, reference)["sha256"] in manifest.replace(" ", "")
    finally:
        db.close()


def test_summary_tables_and_appendix(summary, codebook):
    _, pages, _ = summary
    body = flat(" ".join(pages))
    for heading in ("Perpetrator side × abuse type", "Incidents by month", "Places",
                    "Appendix A. Codebook definitions used", "Appendix B. Methodology"):
        assert heading in body
    assert codebook.abuse_types["pepper_spray"]["definition"][:60] in body
    assert "ECHR Art. 3" in body and "Białowieża" in body and "September 2021" in body


def test_bookmarks_and_tags_for_navigation(summary):
    _, _, reader = summary

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    bookmarks = list(titles(reader.outline))
    assert {"Summary tables", "Testimonies", "Appendix C. Manifest of statement hashes"} <= set(bookmarks)
    assert all(any(b.startswith(ref) for b in bookmarks) for ref in EXPORTED)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # a tagged PDF, for screen readers


def test_no_text_runs_off_the_right_edge(import_records, users, run, codebook, tmp_path):
    """Wide tables (one column per perpetrator side) are split, not cut off at the page's edge."""
    from tests.factories import record

    sides = [p["id"] for p in codebook.perpetrators.values() if p["kind"] == "state"][:12]
    assert len(sides) == 12
    import_records([record(n, perpetrators=[side], consent="legal") for n, side in enumerate(sides, 1)])
    assert run("export", "--format", "pdf", "--out", tmp_path / "wide.pdf", "--as", "lawyer").exit_code == 0
    reader = PdfReader(tmp_path / "wide.pdf")
    labels = " ".join(flat(page.extract_text()) for page in reader.pages)
    assert all(codebook.perpetrators[side]["label"] in labels for side in sides)
    for number, page in enumerate(reader.pages, 1):
        width, beyond = float(page.mediabox.width), []

        def visit(text, cm, tm, font, size):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip() and x > width:
                beyond.append(text)

        page.extract_text(visitor_text=visit)
        assert beyond == [], f"page {number}: {beyond[:3]}"
