"""Search answers made readable: each hit with its codes, dates at their precision, places and a
snippet, read from SQLite (the source of truth); facet values in the order a person scans them.

Shared by the search page and the JSON API, so both say the same thing.
"""
import datetime as dt

from babel.dates import format_date
from flask_babel import gettext

from archive import languages, store
from archive.i18n import interface_language
from archive.intake import incident
from search_index.snippets import passage

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def describe(db, codebook, found):
    """`found` from Searcher.search, with results enriched and the abuse-type facet as a tree."""
    rows = store.testimonies_by_reference(db, [hit["reference"] for hit in found["results"]])
    highlight = found.pop("highlight", {})
    results = []
    for hit in found["results"]:
        row = rows.get(hit["reference"])
        if row is None:  # indexed but gone from SQLite: `archive check` reports it; never show it
            continue
        results.append(_describe_hit(hit, row, codebook, highlight))
    found["results"] = results
    found["facets"]["abuse_type"] = as_tree(
        found["facets"]["abuse_type"], lambda value: codebook.abuse_types.get(value, {}).get("parent"))
    found["facets"]["perpetrator"] = as_tree(
        found["facets"]["perpetrator"], lambda value: _side_of_unit(codebook, value))
    return found


def _side_of_unit(codebook, value):
    perpetrator = codebook.perpetrators.get(value)
    return perpetrator["side"] if perpetrator and perpetrator["kind"] == "unit" else None


def _describe_hit(hit, row, codebook, highlight):
    codes = [describe_code(code, codebook) for code in row["codes"]]
    stated = describe_incident(row, codebook)
    dated = sorted((c for c in [*row["codes"], incident.as_code_columns(row)] if c["date_from"]),
                   key=lambda c: c["date_from"])
    places = list(dict.fromkeys(c["place"]["label"] for c in [*codes, stated or {}] if c.get("place")))
    return {
        **hit,
        "language": row["language"], "status": row["status"], "confidentiality": row["confidentiality"],
        "incident_date": date_of(dated[0]) if dated else None,
        "places": places,
        "incident": stated,
        "codes": codes,
        "matched_codes": [{"value": v, "label": codebook.label("abuse_type", v) if v in codebook.abuse_types
                           else codebook.label("place", v)} for v in hit["matched_codes"]],
        "snippet": passage(row["text"], highlight, languages.of(row)),
    }


def describe_incident(row, codebook):
    """The incident the intake stated for a testimony (archive/intake/incident.py), as people read it:
    {place, date, perpetrators}, or None when the intake stated none of them."""
    code = incident.as_code_columns(row)
    place = _place(code, codebook)
    perpetrators = [{"id": p, "label": codebook.label("perpetrator", p)} for p in row.get("incident_perpetrators", [])]
    if not (place or code["date_from"] or perpetrators):
        return None
    return {"place": place, "date": date_of(code) if code["date_from"] else None, "perpetrators": perpetrators}


def _place(code, codebook):
    if code["place_id"]:
        return {"id": code["place_id"], "label": codebook.label("place", code["place_id"]), "resolved": True}
    if code["place_text"]:
        return {"id": None, "label": code["place_text"], "resolved": False}
    return None


def describe_code(code, codebook):
    """A code as people read it: labels beside ids, the date at its precision, the place as written."""
    place = _place(code, codebook)
    abuse_type = code["abuse_type"]
    return {
        "id": code["id"],
        "abuse_type": abuse_type,
        "label": codebook.label("abuse_type", abuse_type) if abuse_type else gettext("No abuse type"),
        "perpetrators": [{"id": p, "label": codebook.label("perpetrator", p)} for p in code["perpetrators"]],
        "place": place,
        "date": date_of(code) if code["date_from"] else None,
        "legal": [{"id": p, "label": codebook.label("legal", p)} for p in codebook.legal_for(abuse_type)]
                 if abuse_type else [],
        "passage": ({"start": code["passage_start"], "end": code["passage_end"], "text": code["passage_text"]}
                    if code["passage_start"] is not None else None),
    }


def date_of(code):
    return {"text": code["date_text"], "precision": code["date_precision"], "from": code["date_from"],
            "to": code["date_to"], "label": date_label(code["date_text"], code["date_precision"])}


def date_label(text, precision):
    """'8 November 2021', 'November 2021', '2021', 'about 16 November 2021', 'September–November 2021'."""
    if precision == "range":
        first, last = text.split("/")
        return f"{date_label(first, _precision_of(first))} – {date_label(last, _precision_of(last))}"
    if precision == "approximate":
        return gettext("about %(date)s", date=date_label(text.rstrip("~"), _precision_of(text.rstrip("~"))))
    parts = text.split("-")
    language = interface_language()
    if language != "en" and len(parts) in (2, 3):  # Babel's month names, in their grammatical case
        moment = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
        return format_date(moment, "d MMMM y" if len(parts) == 3 else "LLLL y", locale=language)
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def month_label(year, month):
    """'November 2021', in the interface's language ('listopad 2021'): a chart's or a table's month."""
    language = interface_language()
    if language != "en":
        return format_date(dt.date(int(year), int(month), 1), "LLLL y", locale=language)
    return f"{MONTHS[int(month) - 1]} {year}"


def _precision_of(text):
    """The precision of one end of a range, which may itself be approximate ('2021-11-16~/2022-02')."""
    if text.endswith("~"):
        return "approximate"
    return {1: "year", 2: "month", 3: "day"}[len(text.split("-"))]


def as_tree(rows, parent_of):
    """Facet values as a two-level tree (abuse category → types, side → units): each top value,
    then its children, both by count as the rows come. Each value's parent is asked once (the rows are
    a few dozen, and asking for each pair was a thousand calls an answer)."""
    parents = [parent_of(row["value"]) for row in rows]
    children = {}
    for row, parent in zip(rows, parents):
        if parent is not None:
            children.setdefault(parent, []).append(row)
    ordered = []
    for row, parent in zip(rows, parents):
        if parent is None:
            ordered.append({**row, "depth": 0})
            ordered.extend({**child, "depth": 1} for child in children.get(row["value"], ()))
    placed = {row["value"] for row in ordered}
    ordered.extend({**row, "depth": 1} for row in rows if row["value"] not in placed)  # parent not counted
    return ordered
