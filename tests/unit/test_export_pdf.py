"""The PDF case summary read back with pypdf: every selected testimony and quote is there, no
identifying field, redacted passage or testimony without consent is; it has a cover, contents with
page numbers, page x of y, the manifest of hashes; Arabic and Cyrillic come out as text.

The summary is laid out two testimonies a part, in worker processes, so that every assertion
also checks the join (pdf_join.py): page numbers, links, outline and tags across parts."""
import re

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from archive import service, store
from archive.cli import cli
from archive.export import pdf
from tests import export_data
from tests.export_data import EXPORTED, NAMES, NEVER, QUOTED


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return export_data.build(tmp_path_factory.mktemp("export-pdf") / "archive-data")


@pytest.fixture(scope="module")
def summary_path(archive, tmp_path_factory):
    """The PDF of every exportable testimony, with full statements, in parts of two testimonies."""
    path = tmp_path_factory.mktemp("pdf") / "case.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "PART_SIZE", 2)
        patch.setattr(pdf, "MAX_WORKERS", 2)
        result = CliRunner().invoke(cli, ["--data", str(archive.root), "export", "--format", "pdf", "--statements",
                                          "--out", str(path), "--as", "lawyer"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path, result.output


@pytest.fixture(scope="module")
def summary(summary_path):
    """(CLI output, [page texts], PdfReader)."""
    path, output = summary_path
    reader = PdfReader(path)
    return output, [page.extract_text() for page in reader.pages], reader


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


def test_the_summary_has_the_map_and_the_compact_month_table(summary, codebook):
    _, pages, reader = summary
    months = next(n for n, text in enumerate(pages) if "Incidents by month" in text)
    assert "Year Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Total" in flat(pages[months])
    grid = re.search(r"^2021((?: (?:\d+|–)){13})$", pages[months], re.M)
    assert grid, "one row for 2021, the only year with incidents"
    cells = grid.group(1).split()
    assert cells[8:11] != ["–", "–", "–"] and cells[:8] == ["–"] * 8 and cells[11] == "–"  # Sep-Nov 2021
    assert not re.search(r"^20(1\d|2[2-9]) ", pages[months], re.M)  # no other year, no month listed by name
    places = next(n for n, text in enumerate(pages) if re.search(r"^Places$", text, re.M))
    on_the_map = re.sub(r"\s+", "", pages[places])
    assert "POLAND" in on_the_map and "BELARUS" in on_the_map  # country names drawn on the map, in capitals
    drawn = reader.pages[places].get_contents().get_data()
    assert drawn.count(b" l\n") > 150, "country borders drawn as paths of many segments"
    assert "Białowieża" in pages[places]


def test_bookmarks_and_tags_for_navigation(summary):
    _, _, reader = summary

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    bookmarks = list(titles(reader.outline))
    assert {"Summary tables", "Testimonies", "Appendix C. Manifest of statement hashes"} <= set(bookmarks)
    assert all(any(b.startswith(ref) for b in bookmarks) for ref in EXPORTED)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # a tagged PDF, for screen readers


def contents_lines(text):
    """The contents page's lines that end with a page number: [(line, number)] in order."""
    return [(line, int(number)) for line, number in re.findall(r"^(.*?)\s+(\d+)$", text, re.M)
            if not line.startswith("Page ")]


def test_contents_links_open_the_page_each_line_names(summary, summary_path):
    _, pages, _ = summary
    lines = contents_lines(pages[1])
    assert len(lines) == 2 + len(EXPORTED) + 3  # tables, testimonies, each testimony, three appendices
    with pikepdf.open(summary_path[0]) as document:
        numbers = {page.obj.objgen: n for n, page in enumerate(document.pages, 1)}
        links = sorted(document.pages[1].obj.Annots, key=lambda link: -float(link.Rect[3]))  # top to bottom
        assert [numbers[link.Dest[0].objgen] for link in links] == [number for _, number in lines]
    for line, number in lines:
        if line.startswith("T-"):
            assert line.split()[0] in pages[number - 1]
    assert pages[lines[-1][1] - 1].startswith("Appendix C. Manifest of statement hashes")


def test_outline_nests_each_testimony_under_its_chapter(summary):
    _, _, reader = summary
    top = [item for item in reader.outline if not isinstance(item, list)]
    chapters = [item.title for item in top]
    assert chapters[:2] == ["Summary tables", "Testimonies"]
    nested = reader.outline[reader.outline.index(top[1]) + 1]  # the children of "Testimonies"
    assert [item.title.split()[0] for item in nested if not isinstance(item, list)] == EXPORTED
    assert reader.get_destination_page_number(nested[-1]) > reader.get_destination_page_number(nested[0])


def test_one_tag_tree_over_every_page(summary_path):
    """Each part's tags under one Document; each page's marked content maps to elements on it; the
    furniture is an artifact, outside the tree."""
    with pikepdf.open(summary_path[0]) as document:
        tree = document.Root.StructTreeRoot
        assert len(tree.K) == 1 and tree.K[0].S == "/Document"
        assert len(tree.K[0].K) >= 5 and all(part.S == "/Part" for part in tree.K[0].K)  # front, tables, 3 parts…
        nums = tree.ParentTree.Nums
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in document.pages:
            elements = parent_tree[int(page.obj.StructParents)]
            assert len(elements) > 0
            assert all(element.Pg.objgen == page.obj.objgen for element in elements if "/Pg" in element)
            drawing = b"".join(stream.read_bytes() for stream in page.obj.Contents)
            assert drawing.startswith(b"q\n") and b"/Artifact BMC" in drawing
        roots = [o for o in document.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructTreeRoot"]
        assert len(roots) == 1
        for link in document.pages[1].obj.Annots:  # the contents' links, made by the join, are tagged too
            element = parent_tree[int(link.StructParent)]
            assert element.S == "/Link" and element.K[0].Obj.objgen == link.objgen


def test_a_failed_part_leaves_no_file_and_no_record(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "PART_SIZE", 2)
    monkeypatch.setattr(pdf, "STYLESHEETS", [str(tmp_path / "missing.css")])  # every worker fails
    out = tmp_path / "out" / "case.pdf"
    out.parent.mkdir()
    db = service.open_db(archive)
    before = db.execute("SELECT count(*) FROM export_record").fetchone()[0]
    with pytest.raises(FileNotFoundError, match="missing.css"):
        CliRunner().invoke(cli, ["--data", str(archive.root), "export", "--format", "pdf", "--out", str(out),
                                 "--as", "lawyer"], catch_exceptions=False)
    assert list(out.parent.iterdir()) == []  # neither the file nor the parts' working directory
    assert db.execute("SELECT count(*) FROM export_record").fetchone()[0] == before
    db.close()


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
