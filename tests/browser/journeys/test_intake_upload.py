"""The intake journey: a coder adds a testimony by uploading the PDF an NGO published, after the form
has refused it twice (nothing given; text and file both), and reads it back as a statement."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys.steps import log_in
from tests.documents import STATEMENTS, statement_pdf

pytestmark = pytest.mark.browser


def summary(person):
    """The links of the form's error summary, by the words they show."""
    return person.page.get_by_role("alert").get_by_role("link").all_inner_texts()


def follows_each_link_to_its_field(person):
    for label in summary(person):
        person.activate(person.link(label, within=person.page.get_by_role("alert")))
        field = person.field(label)
        assert field.evaluate("e => e === document.activeElement"), f"{label} does not get the focus"


def test_coder_uploads_a_published_pdf(person, tmp_path, variant):
    statement = STATEMENTS["pl"]
    # Each run adds its own statement: the archive refuses a text it already holds.
    paragraphs = (*statement.paragraphs, f"Zapis rozmowy nr {['desktop', 'phone', 'keyboard'].index(variant) + 17}.")
    pdf = tmp_path / "zeznanie.pdf"
    pdf.write_bytes(statement_pdf(type(statement)(**{**statement.__dict__, "paragraphs": paragraphs})))

    coder = log_in(person(), "coder")
    page = coder.page
    coder.click_and_arrive(coder.link("Add a testimony"), "intake form")
    assert coder.heading() == "Add a testimony"

    coder.click_and_arrive(coder.button("Add the testimony"), "an empty form refused")
    assert summary(coder) == ["Statement text"]
    expect(page.get_by_role("alert")).to_be_focused()  # the summary is where the coder starts again
    follows_each_link_to_its_field(coder)

    coder.type_into(coder.field("Statement text"), "Zabrali nam telefony.")
    coder.upload(coder.field("…or upload a file"), pdf)
    coder.click_and_arrive(coder.button("Add the testimony"), "text and file refused")
    assert summary(coder) == ["…or upload a file"]
    expect(page.get_by_text("either as pasted text or as a file, not both")).to_be_visible()
    follows_each_link_to_its_field(coder)

    coder.type_into(coder.field("Statement text"), "")
    coder.upload(coder.field("…or upload a file"), pdf)
    coder.type_into(coder.field("Language"), "pl")
    coder.choose(coder.field("Consent"), "Legal")
    coder.click_and_arrive(coder.button("Add the testimony"), "the new testimony")

    reference = page.url.rsplit("/testimonies/", 1)[1]
    assert re.fullmatch(r"T-\d{4}-\d{4}", reference)
    expect(page.get_by_role("status").filter(has_text="Saved as")).to_have_text(
        f"Saved as {reference}. Select a passage of the statement to code it.")
    # The answer has the focus (where the page names no target of its own, as "#language" is after a correction).
    expect(page.get_by_role("status").filter(has_text="Saved as")).to_be_focused()
    assert coder.heading() == statement.heading
    reading = page.get_by_role("region", name="Statement")
    assert reading.locator("#statement").text_content() == "\n\n".join(paragraphs)
    assert "Strona" not in reading.inner_text() and statement.header not in reading.inner_text()
    # In paragraphs on the screen too: a blank line's height between the first two.
    tops = page.evaluate("""() => {
      const statement = document.querySelector('#statement'), range = document.createRange();
      const text = statement.firstChild, breakAt = text.data.indexOf('\\n\\n');
      range.setStart(text, breakAt - 1); range.setEnd(text, breakAt);
      const before = range.getBoundingClientRect().top;
      range.setStart(text, breakAt + 2); range.setEnd(text, breakAt + 3);
      return [before, range.getBoundingClientRect().top, parseFloat(getComputedStyle(statement).lineHeight)];
    }""")
    assert tops[1] - tops[0] >= 1.9 * tops[2]


def test_coder_imports_the_csv_polish_excel_saves(person, tmp_path, variant):
    """Excel in a Polish (Ukrainian, Russian) locale saves "CSV UTF-8" separated by semicolons, abuse-type
    lists quoted: the file a Polish NGO has. It imports as a comma-separated one does."""
    reference = f"PL-EXCEL-{variant}"
    sheet = tmp_path / "zeznania.csv"
    sheet.write_text(f'reference;text;language;abuse_types\r\n{reference};"Zabrali nam buty; potem nas wywieźli '
                     f'({variant})";pl;"theft;pushback"\r\n', encoding="utf-8-sig")
    coder = log_in(person(), "coder")
    coder.click_and_arrive(coder.link("Add a testimony"), "intake form")
    coder.upload(coder.field("File to import"), sheet)
    coder.click_and_arrive(coder.button("Import"), "semicolon CSV imported")
    assert coder.heading() == "Imported 1 of 1 from zeznania.csv"
    coder.click_and_arrive(coder.link(re.compile(re.escape(reference))), "the imported testimony")
    reading = coder.page.get_by_role("region", name="Statement")
    expect(reading.locator("#statement")).to_have_text(f"Zabrali nam buty; potem nas wywieźli ({variant})")
    codes = coder.page.get_by_role("region", name=re.compile("^Codes"))
    expect(codes.get_by_text("Theft or confiscation of belongings")).to_be_visible()
    expect(codes.get_by_text("Push-back", exact=True)).to_be_visible()
