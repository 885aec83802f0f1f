"""A lawyer exports a long PDF in headless Chromium: the export form answers at once with the job's
page, which refreshes by itself until the file is ready, and the download is the PDF of the search.
Uses the harness of tests/browser/conftest.py (live_server, browser_page, login_as)."""
import pytest
from pypdf import PdfReader

from archive.export import pdf

pytestmark = pytest.mark.browser


def test_a_long_pdf_export_waits_on_its_own_page_then_downloads(live_server, browser_page, login_as,
                                                                monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "PART_SIZE", 1)  # three testimonies: a job (the server runs in this process)
    references = [live_server.add_testimony(f"Zubrowkaprobe night {n}: they pushed us back over the wire.",
                                            consent="legal") for n in range(3)]
    page = browser_page
    login_as(page, "lawyer")
    page.goto("/?q=Zubrowkaprobe")
    page.click("text=Export these 3 results")
    page.select_option("select[name=format]", "pdf")
    with page.expect_navigation():
        page.click("fieldset.export-options button[type=submit]")
    assert "/exports/" in page.url
    page.wait_for_selector("text=Your PDF is ready", timeout=120_000)  # the page refreshed itself
    with page.expect_download() as download:
        page.click("text=Download case-summary-zubrowkaprobe-")
    saved = tmp_path / "export.pdf"
    download.value.save_as(saved)
    text = " ".join(p.extract_text() for p in PdfReader(saved).pages)
    assert all(reference in text for reference in references)
    page.reload()
    assert page.is_visible("text=no longer on the server")
