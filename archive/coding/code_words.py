"""A code in words, as a sentence of the history says it: its abuse type emphasised, then what it
says (perpetrators; place; date at its precision; victims) and the passage it codes, quoted.

Labels come from the codebook (a place the gazetteer does not know is said as written, and flagged);
dates at their precision (archive/search/results.py `date_label`). A code's values may be gone from an
entry (history emptied by a purge): then it is 'a code', 'a passage'.
"""
from archive.coding.sentences import Strong, quoted, sentence
from archive.i18n import N_, say, say_plural
from archive.search.results import date_label

# What a code's entry may change, as one aspect each (place_id and place_text are one place); the
# names are keys here, and words where a sentence says them (N_ marks them for translation).
CODE_ASPECTS = {
    "abuse_type": N_("abuse type"), "perpetrators": N_("perpetrators"), "place_id": N_("place"),
    "place_text": N_("place"), "date_text": N_("date"), "date_from": N_("date"), "date_to": N_("date"),
    "date_precision": N_("date"), "victims": N_("victims"), "minors": N_("minors"),
    "passage_start": N_("passage"), "passage_end": N_("passage"), "passage_text": N_("passage"), "note": N_("note"),
}


def code_label(code, book):
    """The code's abuse type, emphasised; None when history no longer holds the code's values."""
    if not code or "abuse_type" not in code:
        return None
    return Strong(book.label("abuse_type", code["abuse_type"]) if code["abuse_type"] else say("No abuse type"))


def code_phrase(code, book):
    """**Beating** (Belarus: Border Guard; Kuźnica; 8 November 2021; 3 victims) on “they beat us”."""
    label = code_label(code, book)
    if label is None:
        return [say("a passage")]
    facts = [perpetrators(code.get("perpetrators"), book), place(code, book), date(code),
             victims(code.get("victims"), code.get("minors"))]
    facts = "; ".join(fact for fact in facts if fact)
    passage = quoted(code["passage_text"]) if code.get("passage_text") else None
    if facts and passage:
        return sentence("%(code)s (%(facts)s) on %(passage)s", code=label, facts=facts, passage=passage)
    if facts:
        return sentence("%(code)s (%(facts)s), awaiting its passage", code=label, facts=facts)
    if passage:
        return sentence("%(code)s on %(passage)s", code=label, passage=passage)
    return sentence("%(code)s, awaiting its passage", code=label)


def the_code(code, book):
    """'the code **Beating**', or 'a code' when its values are gone."""
    label = code_label(code, book)
    return sentence("the code %(code)s", code=label) if label else [say("a code")]


def perpetrators(ids, book):
    return ", ".join(book.label("perpetrator", p) for p in ids or ())


def place(code, book, place_id="place_id", place_text="place_text"):
    if code.get(place_id):
        return book.label("place", code[place_id])
    if code.get(place_text):
        return say("%(place)s (not in the gazetteer)", place=code[place_text])
    return ""


def date(code, text="date_text", precision="date_precision"):
    return date_label(code[text], code[precision]) if code.get(text) and code.get(precision) else ""


def victims(count, minors):
    """'3 victims, 1 of them minor'; '2 minors' when only minors are counted; '' for neither."""
    if count is None:
        return say_plural("%(num)s minor", "%(num)s minors", minors) if minors else ""
    said = say_plural("%(num)s victim", "%(num)s victims", count)
    if not minors:
        return said
    return say_plural("%(victims)s, %(num)s of them minor", "%(victims)s, %(num)s of them minors", minors,
                      victims=said)


def aspect(code, name, book):
    """One aspect of a code as a sentence says it: a list of pieces."""
    value = {
        "abuse type": lambda: book.label("abuse_type", code["abuse_type"]) if code.get("abuse_type") else "",
        "perpetrators": lambda: perpetrators(code.get("perpetrators"), book),
        "place": lambda: place(code, book), "date": lambda: date(code),
        "victims": lambda: "" if code.get("victims") is None else str(code["victims"]),
        "minors": lambda: "" if code.get("minors") is None else str(code["minors"]),
        "passage": lambda: quoted(code["passage_text"]) if code.get("passage_text") else "",
        "note": lambda: quoted(code["note"]) if code.get("note") else "",
    }[name]()
    return [value] if value else [say("none")]
