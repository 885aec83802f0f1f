"""The intake form in headless Chromium: upload a statement, correct a field, land on the coding page."""
import pytest

from archive import store
from tests.documents import docx_bytes

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_add_a_testimony_from_an_uploaded_file(live_server, chromium, login_as, screenshot, tmp_path, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        login_as(page, "coder")
        page.goto(f"{live_server.url}/testimonies/new")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        statement = f"Они избили нас дубинками у Кузницы ({width})."
        upload = tmp_path / "interview.docx"
        upload.write_bytes(docx_bytes([statement, "Потом нас вывезли к границе."]))
        page.fill("#f-title", f"Beaten near Kuźnica ({width})")
        page.fill("#f-language", "ru")
        page.set_input_files("#f-upload", str(upload))
        page.fill("#f-witness_pseudonym", "Witness R")
        page.fill("#f-witness_age", "about thirty")
        page.select_option("#f-consent", "legal")
        with page.expect_navigation():
            page.click("form.intake button[type=submit]")
        error = page.locator("#witness_age-error")
        assert "neither an age in years" in error.text_content()
        assert page.input_value("#f-text").startswith(statement)  # the file's text, kept: no second upload
        screenshot(page, f"error-{width}")
        page.fill("#f-witness_age", "30-39")
        with page.expect_navigation():
            page.click("form.intake button[type=submit]")
        reference = page.url.rsplit("/testimonies/", 1)[1]
        assert page.locator("#statement").text_content() == statement + "\nПотом нас вывезли к границе."
        assert page.locator("#code-selection").is_visible()
        db = live_server.db()
        try:
            testimony = store.get_testimony(db, reference)
        finally:
            db.close()
        assert (testimony["language"], testimony["consent"], testimony["confidentiality"],
                testimony["witness"]["age_band"]) == ("ru", "legal", "confidential", "30-39")
    finally:
        context.close()
