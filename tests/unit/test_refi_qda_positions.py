"""Positions in REFI-QDA files: code points of the source as written, mapped onto the stored text (LF,
NFC) across a byte-order mark, CRLF and composed characters; and offsets moved past redactions."""
import unicodedata

import pytest

from archive.exchange.positions import Mapping, decode_source
from archive.export.redaction import REDACTED, Redactor
from archive.text import normalise


def span_of(written, phrase, quoted=True):
    start = written.lstrip("\ufeff").index(phrase)
    return Mapping(written).span(start, start + len(phrase), phrase if quoted else None)


@pytest.mark.parametrize("written, phrase", [
    ("Latin first. The dogs bit us near Kuźnica.", "The dogs bit us"),
    ("\ufeffС BOM: пограничники избили нас.", "пограничники избили"),
    ("Line one\r\nLine two 😢 and three\r\nضربونا بالعصي", "ضربونا بالعصي"),
    ("Cafe\u0301 then 👨‍👩‍👧 then a word", "then a word"),
    ("e\u0301\u0301 stacked marks, then x", "then x"),
])
def test_a_selection_lands_on_the_same_words_in_the_stored_text(written, phrase):
    span, reason = span_of(written, phrase)
    assert reason is None
    stored = normalise(written.lstrip("\ufeff"))
    assert stored[span.start:span.end] == normalise(phrase) == span.text


def test_crlf_counted_as_one_by_the_other_program_is_found_too():
    written = "First line\r\nSecond line\r\nThe soldiers took our phones."
    lf = written.replace("\r\n", "\n")
    start = lf.index("The soldiers")  # positions as a program that read the file with universal newlines counts
    span, reason = Mapping(written).span(start, start + len("The soldiers took"), "The soldiers took")
    assert reason is None and span.text == "The soldiers took"


def test_the_text_at_the_positions_must_be_the_selections_text():
    span, reason = Mapping("They beat us with batons.").span(5, 9, "took")
    assert span is None and "is not the selection's text" in reason


def test_a_position_inside_a_composed_character_is_refused():
    span, reason = Mapping("Cafe\u0301 open").span(2, 4)  # ends between e and the accent NFC joins to it
    assert span is None and "inside a character" in reason


def test_positions_counted_with_crlf_as_two_come_first():
    written = "one\r\ntwo\r\nthree"
    span, _ = Mapping(written).span(5, 8)  # "two" counted with CRLF as two; "wo\r" counted as one
    assert span.text == "two"


@pytest.mark.parametrize("start, end", [(-1, 3), (3, 3), (5, 99)])
def test_positions_outside_the_text_are_refused(start, end):
    span, reason = Mapping("short text").span(start, end)
    assert span is None and "outside the source's text" in reason


def test_a_source_file_is_utf8_its_bom_not_counted():
    assert decode_source("\ufeffПривет".encode("utf-8")) == "Привет"
    assert decode_source("Kuźnica".encode("cp1250")) is None


def test_offsets_move_past_redactions_in_the_statement():
    text = "My name is Oleg Petrenko. Oleg Petrenko was beaten near Kuźnica by the guards."
    name = text.index("Oleg Petrenko")
    redacted, moved = Redactor(text, [(name, name + len("Oleg Petrenko"))]).statement_mapped()
    assert redacted == f"My name is {REDACTED}. {REDACTED} was beaten near Kuźnica by the guards."
    beaten = text.index("was beaten near Kuźnica")
    start, end = moved(beaten), moved(beaten + len("was beaten near Kuźnica"), end=True)
    assert redacted[start:end] == "was beaten near Kuźnica"
    # A passage that begins inside the redacted name begins at its [redacted].
    start, end = moved(name + 5), moved(name + len("Oleg Petrenko") + 1, end=True)
    assert redacted[start:end] == REDACTED + "."


def test_statement_mapped_is_the_statement_the_other_exports_show():
    text = unicodedata.normalize("NFC", "Ahmad Khalidi said: Ahmad Khalidi was hit. 😢 and more")
    spans = [(0, len("Ahmad Khalidi"))]
    assert Redactor(text, spans).statement_mapped()[0] == Redactor(text, spans).statement()
