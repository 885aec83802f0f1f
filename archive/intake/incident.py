"""The testimony's incident as stated at intake: where and when it happened and who did it,
before anyone codes a passage.

An import row or the intake form may give a place, a date and perpetrators with or without abuse
types. They belong to the testimony, not to a code: a code is an abuse type tied to a passage.
(Archives made before this held them as codes without an abuse type, shown as "Not yet coded";
`adopt_pseudo_codes` moves them here.) Each abuse type given at intake still becomes a code
awaiting its passage, carrying the same place, date and perpetrators.
"""
from archive import store

COLUMNS = ("incident_place_id", "incident_place_text", "incident_date_text", "incident_date_from",
           "incident_date_to", "incident_date_precision")
CODE_COLUMNS = dict(zip(COLUMNS, ("place_id", "place_text", "date_text", "date_from", "date_to",
                                  "date_precision")))
MIGRATED = "place, date and perpetrators given at intake belong to the testimony's incident, not to a code"


def columns(place_id, place_text, when):
    """The testimony's incident columns from a resolved place and a PartialDate (either may be None)."""
    return {
        "incident_place_id": place_id, "incident_place_text": place_text,
        "incident_date_text": when.text if when else None,
        "incident_date_from": when.start.isoformat() if when else None,
        "incident_date_to": when.end.isoformat() if when else None,
        "incident_date_precision": when.precision if when else None,
    }


def as_code_columns(row):
    """A testimony row's incident in a code's column names (place_id, date_from, …), so that the
    readers of codes (labels, dates, facets) read it the same way."""
    return {code_column: row.get(column) for column, code_column in CODE_COLUMNS.items()}


def adopt_pseudo_codes(db):
    """Move every code without an abuse type (the old import's "Not yet coded") into its testimony's
    incident, and remove it; history records both. Returns the ids of the testimonies changed.
    Runs inside the caller's write transaction; a testimony whose incident is already set keeps it."""
    changed = []
    for code_id in store.codes_without_abuse_type(db):
        code = store.get_code(db, code_id)
        testimony = store.testimony_with_id(db, code["testimony_id"])
        if not any(testimony[column] for column in COLUMNS):
            store.set_incident(db, testimony["reference"],
                               {column: code[code_column] for column, code_column in CODE_COLUMNS.items()},
                               code["perpetrators"], "archive", MIGRATED)
        elif code["perpetrators"]:
            store.add_incident_perpetrators(db, testimony["id"], code["perpetrators"])
        store.delete_code(db, code["id"], "archive", MIGRATED)
        changed.append(testimony["id"])
    return sorted(set(changed))
