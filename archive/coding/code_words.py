"""A code in words, as a sentence of the history says it: its abuse type emphasised, then what it
says (perpetrators; place; date at its precision; victims) and the passage it codes, quoted.

Labels come from the codebook (a place the gazetteer does not know is said as written, and flagged);
dates at their precision (archive/search/results.py `date_label`). A code's values may be gone from an
entry (history emptied by a purge): then it is 'a code', 'a passage'.
"""
from archive.coding.sentences import Strong, quoted
from archive.search.results import date_label

# What a code's entry may change, as one aspect each (place_id and place_text are one place).
CODE_ASPECTS = {
    "abuse_type": "abuse type", "perpetrators": "perpetrators", "place_id": "place", "place_text": "place",
    "date_text": "date", "date_from": "date", "date_to": "date", "date_precision": "date",
    "victims": "victims", "minors": "minors", "passage_start": "passage", "passage_end": "passage",
    "passage_text": "passage", "note": "note",
}


def code_label(code, book):
    """The code's abuse type, emphasised; None when history no longer holds the code's values."""
    if not code or "abuse_type" not in code:
        return None
    return Strong(book.label("abuse_type", code["abuse_type"]) if code["abuse_type"] else "No abuse type")


def code_phrase(code, book):
    """**Beating** (Belarus: Border Guard; Kuźnica; 8 November 2021; 3 victims) on “they beat us”."""
    label = code_label(code, book)
    if label is None:
        return ["a passage"]
    pieces = [label]
    facts = [perpetrators(code.get("perpetrators"), book), place(code, book), date(code),
             victims(code.get("victims"), code.get("minors"))]
    facts = [fact for fact in facts if fact]
    if facts:
        pieces.append(f" ({'; '.join(facts)})")
    if code.get("passage_text"):
        pieces += [" on ", quoted(code["passage_text"])]
    else:
        pieces.append(", awaiting its passage")
    return pieces


def the_code(code, book):
    """'the code **Beating**', or 'a code' when its values are gone."""
    label = code_label(code, book)
    return ["the code ", label] if label else ["a code"]


def perpetrators(ids, book):
    return ", ".join(book.label("perpetrator", p) for p in ids or ())


def place(code, book, place_id="place_id", place_text="place_text"):
    if code.get(place_id):
        return book.label("place", code[place_id])
    if code.get(place_text):
        return f"{code[place_text]} (not in the gazetteer)"
    return ""


def date(code, text="date_text", precision="date_precision"):
    return date_label(code[text], code[precision]) if code.get(text) and code.get(precision) else ""


def victims(count, minors):
    """'3 victims, 1 of them minor'; '2 minors' when only minors are counted; '' for neither."""
    if count is None:
        return f"{minors} minor{'s' if minors != 1 else ''}" if minors else ""
    said = f"{count} victim{'s' if count != 1 else ''}"
    return f"{said}, {minors} of them minor{'s' if minors != 1 else ''}" if minors else said


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
    return [value] if value else ["none"]
