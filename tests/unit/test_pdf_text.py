"""A statement's PDF read as the statement, not as its page layout: PDFs rendered here by WeasyPrint
as NGO reports are (a heading, narrow hyphenated columns, a running header and footer), read back
through pypdf; and the rules for hyphens, running lines, headings and paragraphs on lines made by hand."""
import io

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.intake.pdf_text import Statement, drop_running_lines, letters, read_statement, split_heading
from archive.intake.reflow import Line, paragraphs
from archive.intake.visual_order import logical_order, was_reversed
from tests.documents import STATEMENTS, statement_pdf


def read(pdf):
    return read_statement(pypdf.PdfReader(io.BytesIO(pdf)))


def layout_lines(pdf):
    """pypdf's plain extraction, line by line: the page layout this module undoes."""
    return [line for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]


def normalised(paragraph):
    return " ".join(paragraph.split())


@pytest.fixture(scope="module", params=list(STATEMENTS))
def published(request):
    statement = STATEMENTS[request.param]
    return statement, statement_pdf(statement)


def test_a_published_statement_reads_as_its_paragraphs_with_its_heading_as_title(published):
    statement, pdf = published
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 3
    assert len(layout_lines(pdf)) > 2 * len(statement.paragraphs)  # the lines wrap
    found = read(pdf)
    assert found.title == statement.heading
    assert [normalised(p) for p in found.text.split("\n\n")] == [normalised(p) for p in statement.paragraphs]


def test_the_running_header_and_footer_are_dropped_from_every_page(published):
    statement, pdf = published
    footer_word = statement.footer.split('"')[1].strip()  # "Strona", "Страница", "صفحة"
    assert sum(footer_word in line for line in layout_lines(pdf)) >= 3  # one a page, numbers differing
    text = read(pdf).text
    assert statement.header not in text and "BWC-2021-17" not in text and footer_word not in text
    assert statement.heading not in text


def test_the_typesetters_hyphens_go_and_the_authors_stay():
    """WeasyPrint marks its hyphenation with U+2010; "push-back" broken at its own hyphen keeps it."""
    statement = STATEMENTS["pl"]
    lines = layout_lines(statement_pdf(statement))
    assert sum(line.endswith("\u2010") for line in lines) >= 5
    assert any(line.endswith(" push-") for line in lines)
    text = read(statement_pdf(statement)).text
    assert "\u2010" not in text
    assert "to jest push-back i że" in text and "ochronę międzynarodową" in text


def test_with_plain_hyphens_for_hyphenation_the_document_decides():
    """A producer that hyphenates with "-" (as LaTeX does): its breaks are undone, except where
    the document writes the hyphenated word so elsewhere ("polsko-białoruskiej")."""
    statement = STATEMENTS["pl"]
    pdf = statement_pdf(statement, width="4.4cm", extra_css='body { hyphenate-character: "-" }')
    lines = layout_lines(pdf)
    assert not any(line.endswith("\u2010") for line in lines)
    assert any(line.endswith(" polsko-") for line in lines)
    assert sum(line.endswith("-") for line in lines) >= 8
    assert read(pdf).text.split("\n\n") == list(statement.paragraphs)


# --- the rules, on lines made by hand -------------------------------------------------------------

def lines_of(*texts, page=0, x=72, top=100, pitch=14, size=10):
    return [Line(page, x, top + pitch * number, size, text) for number, text in enumerate(texts)]


ELSEWHERE = "The guards called it a {}. "


@pytest.mark.parametrize("above, below, elsewhere, joined", [
    ("They called it a push-", "back at the wire.", "push-back", "push-back at"),    # written so elsewhere
    ("They called it a push-", "back at the wire.", "pushback", "pushback at"),      # written whole elsewhere
    ("They called it a push-", "back at the wire.", None, "pushback at"),            # no sign: "-" is the layout's
    ("Mój mąż poprosił o ochronę mię\u2010", "dzynarodową teraz.", "push-back", "międzynarodową"),
    ("They called it a push\u2010", "back at the wire.", "pushback", "pushback at"),
    ("The soft\u00ad", "ware was gone.", None, "software was"),
    ("On the Polish-", "Belarusian border.", None, "Polish-Belarusian border"),      # not a lowercase letter
    ("Since the COVID-", "19 rules began.", None, "COVID-19 rules"),
    ("From 2020-", "2021 we waited.", None, "2020-2021 we"),
    ("He said -", "then he left.", None, "said - then"),                             # a dash, not a hyphen
])
def test_a_hyphen_at_a_lines_end(above, below, elsewhere, joined):
    text = [above, below] + ([ELSEWHERE.format(elsewhere)] if elsewhere else [])
    assert joined in paragraphs(lines_of(*text))[0]


def test_a_hyphen_minus_is_the_authors_where_the_producer_marks_its_own_hyphenation():
    found = paragraphs(lines_of("They called it a push-", "back at the wire, when the bor\u2010", "der guards came."))
    assert found == ["They called it a push-back at the wire, when the border guards came."]


def test_headers_and_footers_recurring_on_most_pages_are_dropped_and_nothing_else():
    pages = []
    for number, (first, second) in enumerate([("They stopped us", "at night."), ("We asked for", "asylum."),
                                              ("They beat my", "husband."), ("Then the dogs", "came.")]):
        body = lines_of(first, second, page=number)
        running = [Line(number, 72, 40, 8, "Border Watch report BWC-17")] if number else []  # not on page 1
        footer = [Line(number, 200, 800, 8, f"Page {number + 1} of 4")]
        pages.append(running + body + footer)
    # The same words elsewhere are the statement's: at the top of page 1 where no header is, mid-page.
    pages[0].insert(0, Line(0, 72, 86, 10, "Border Watch report BWC-17"))
    pages[2].insert(2, Line(2, 72, 107, 10, "Border Watch report BWC-17"))
    kept = drop_running_lines(pages)
    assert [[line.text for line in page] for page in kept] == [
        ["Border Watch report BWC-17", "They stopped us", "at night."], ["We asked for", "asylum."],
        ["They beat my", "Border Watch report BWC-17", "husband."], ["Then the dogs", "came."]]


def test_a_line_at_the_top_of_only_some_pages_is_kept():
    pages = [lines_of("Witness K", "said this.", page=0), lines_of("Witness K", "said that.", page=1),
             lines_of("The next morning", "they came back.", page=2), lines_of("At night", "it rained.", page=3),
             lines_of("Then", "we left.", page=4)]
    assert [len(page) for page in drop_running_lines(pages)] == [2, 2, 2, 2, 2]


@pytest.mark.parametrize("lines, title", [
    ([Line(0, 72, 60, 16, "Statement of witness K."), *lines_of("We were stopped at night.", "Then beaten.")],
     "Statement of witness K."),                                                   # a larger font
    ([Line(0, 72, 60, 10, "Statement of witness K"), *lines_of("We were stopped in the forest near the border",
                                                               "at night. Then they beat us.")],
     "Statement of witness K"),                                                    # short, then a wide gap
    (lines_of("We were stopped in the forest near the border", "at night. Then they beat us."), None),
    ([Line(0, 72, 74, 10, "Warszawa, 12 listopada 2021"),                         # a paragraph like the others
      *lines_of("We were stopped in the forest near the border", "at night, all of us, and then", "beaten.", top=100),
      *lines_of("Then they beat us, all of us, and took", "our phones from us.", top=154)], None),
])
def test_the_heading_is_the_first_line_in_a_larger_font_or_standing_alone(lines, title):
    found, rest = split_heading(lines)
    assert found == title
    assert len(rest) == len(lines) - (1 if title else 0)


@pytest.mark.parametrize("lines, expected", [
    (lines_of("They stopped us at night near the", "forest. We asked.", "Then they beat us."),
     ["They stopped us at night near the forest. We asked.", "Then they beat us."]),  # a short line
    ([*lines_of("They stopped us at night near the", "forest."), *lines_of("Then they beat us.", top=134)],
     ["They stopped us at night near the forest.", "Then they beat us."]),                        # a gap
    ([*lines_of("They stopped us at night near the", "forest in the cold. They came", "back."),
      Line(0, 90, 142, 10, "Then they beat us, all of us, and"), Line(0, 72, 156, 10, "took our phones.")],
     ["They stopped us at night near the forest in the cold. They came back.",
      "Then they beat us, all of us, and took our phones."]),                                     # an indent
    ([*lines_of("They stopped us at night near the", "forest in the cold, all of us."),
      *lines_of("Then they beat us, every one of us.", page=1)],
     ["They stopped us at night near the forest in the cold, all of us. Then they beat us, every one of us."]),
])
def test_paragraphs_break_at_a_gap_an_indent_or_a_short_line_ending_a_sentence(lines, expected):
    assert paragraphs(lines) == expected


def test_a_paragraph_ending_where_its_page_ended_early_breaks_there():
    full_page = lines_of("They stopped us at night near the", "forest where we slept in the cold,", page=0, top=386)
    early = lines_of("and then they took all of our", "phones and our papers from us too.", page=1, top=366)
    last = lines_of("Then they beat us, every one of us.", page=2)
    assert (full_page[-1].y, early[-1].y) == (400, 380)  # page 2's text stops more than a line above
    assert paragraphs(full_page + early + last) == [
        "They stopped us at night near the forest where we slept in the cold, and then they took all of our "
        "phones and our papers from us too.", "Then they beat us, every one of us."]


# --- right-to-left lines ----------------------------------------------------------------------------

@pytest.mark.parametrize("visual, logical", [
    ("2 نم 1 ةحفص", "صفحة 1 من 2"),                                          # a footer: numbers in Arabic
    ("برق BWC-17 مقر", "رقم BWC-17 قرب"),                                    # Latin with its number
    (".ةطرشلاو Frontex ءاج", "جاء Frontex والشرطة."),
    ("اًصخش ١٢ انعم", "معنا ١٢ شخصاً"),                                       # Arabic-Indic digits, a mark
    ("Pushed back near Kuźnica, 2021", "Pushed back near Kuźnica, 2021"),    # no right-to-left letter
])
def test_a_right_to_left_line_is_put_in_logical_order(visual, logical):
    assert logical_order(visual) == logical


@pytest.mark.parametrize("run, previous, reversed_run", [
    ("ضربونا", False, True), ("Frontex", True, False), (" ١٢ ", True, True), (" ١٢ ", False, False)])
def test_which_runs_pypdf_reversed(run, previous, reversed_run):
    assert was_reversed(run, previous) is reversed_run


def test_arabic_presentation_forms_become_letters_and_nothing_else_changes():
    assert letters("ﻻ   ﺷﻲء ½ ²  ﬁnd") == "لا شيء ½ ² find"


def test_a_pdf_without_a_heading_has_no_title():
    statement = STATEMENTS["ru"]
    pdf = statement_pdf(statement, extra_css="h1 { display: none }")
    assert read(pdf) == Statement("\n\n".join(statement.paragraphs), None)


# --- whatever the layout, no letter is lost or moved -------------------------------------------------

layouts = st.lists(st.tuples(
    st.text(st.sampled_from("abcdeąłżАбвгдعربي .,!?-\u2010\u00ad1A"), min_size=1, max_size=30),
    st.integers(0, 2),                       # page
    st.floats(10, 40), st.floats(50, 120),   # step down from the line above, x
    st.sampled_from([9.0, 10.0, 14.0])), min_size=1, max_size=40)


@given(layouts)
@settings(max_examples=300, deadline=None)
def test_joining_lines_changes_only_the_spaces_and_hyphens_between_them(layout):
    lines, y = [], 100.0
    for text, page, step, x, size in layout:
        page = max(page, lines[-1].page if lines else 0)
        y = y + step if lines and page == lines[-1].page else 100.0
        if text.strip():
            lines.append(Line(page, x, y, size, " ".join(text.split())))
    if not lines:
        return
    found = "\n\n".join(paragraphs(lines))
    def bare(text):
        return "".join(char for char in text if not char.isspace() and char not in "-\u2010\u00ad")
    assert bare(found) == bare("".join(line.text for line in lines))
    assert found.count("-") + found.count("\u2010") <= sum(line.text.count("-") + line.text.count("\u2010")
                                                            for line in lines)
