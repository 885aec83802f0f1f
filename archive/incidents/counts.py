"""Counts that trace back: testimonies, incidents and people side by side, for a set of testimonies
(a search, a case file), in total and per perpetrator side, abuse type, place and month.

An incident counts when at least one of its sources is in the set, so every incident counted has a
testimony counted beside it, and the people are those of these incidents: the sum of their group
sizes, as a range where a size is a range ("45–60"), with the incidents of unknown size said apart.
Per value, an incident counts under what its sources in the set say of it (their codes, or only the
linked code) and what the incident records itself (its date's month, its place, its perpetrators,
its legs' places and perpetrators). Testimony counts per value are those of archive/export/tables.py.
"""
from collections import Counter
from dataclasses import dataclass, field

from archive import store
from archive.export import tables as testimony_tables
from archive.i18n import say_plural
from archive.store import incidents as store_incidents

BATCH = 500
KINDS = ("side", "abuse_type", "place", "month")


@dataclass
class People:
    low: int = 0
    high: int = 0
    unknown: int = 0          # incidents of unknown group size

    def add(self, incident):
        if incident["people_min"] is None:
            self.unknown += 1
        else:
            self.low += incident["people_min"]
            self.high += incident["people_max"]

    @property
    def label(self):
        """'45–60', and the incidents of unknown size said apart, in the reader's language."""
        known = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        if not self.unknown:
            return known
        return say_plural("%(people)s (and %(num)s incident of unknown size)",
                          "%(people)s (and %(num)s incidents of unknown size)", self.unknown, people=known)


@dataclass
class IncidentCounts:
    testimonies: int = 0
    linked_testimonies: int = 0
    incidents: set = field(default_factory=set)
    people: People = field(default_factory=People)
    by: dict = field(default_factory=lambda: {kind: {} for kind in KINDS})  # kind -> value -> set of incident ids
    people_by: dict = field(default_factory=lambda: {kind: {} for kind in KINDS})  # kind -> value -> People


def count(db, codebook, references):
    counts = IncidentCounts()
    values, linked = {}, set()
    for start in range(0, len(references), BATCH):
        rows = store.testimony_rows_by_reference(db, references[start:start + BATCH])
        ids = [row["id"] for row in rows.values()]
        counts.testimonies += len(ids)
        if not ids:
            continue
        marks = ",".join("?" * len(ids))
        sources = db.execute(f"SELECT incident_id, testimony_id, code_id FROM incident_source "
                             f"WHERE testimony_id IN ({marks})", ids).fetchall()
        codes = store.codes_of(db, sorted({testimony_id for _, testimony_id, _ in sources}))
        for incident_id, testimony_id, code_id in sources:
            linked.add(testimony_id)
            told = [c for c in codes.get(testimony_id, []) if code_id in (None, c["id"])]
            _merge(values.setdefault(incident_id, {kind: set() for kind in KINDS}), _code_values(told, codebook))
    counts.linked_testimonies = len(linked)
    incidents = store_incidents.incidents_by_id(db, sorted(values))
    legs = store_incidents.all_legs(db) if incidents else {}
    for incident_id, incident in incidents.items():
        counts.incidents.add(incident_id)
        counts.people.add(incident)
        own = _incident_values(incident, legs.get(incident_id, []), codebook)
        _merge(values[incident_id], own)
        for kind, found in values[incident_id].items():
            for value in found:
                counts.by[kind].setdefault(value, set()).add(incident_id)
                counts.people_by[kind].setdefault(value, People()).add(incident)
    return counts


def _merge(into, more):
    for kind, found in more.items():
        into[kind] |= found


def _code_values(codes, codebook):
    found = {kind: set() for kind in KINDS}
    for code in codes:
        found["side"] |= {codebook.side_of(p) for p in code["perpetrators"]}
        if code["abuse_type"]:
            found["abuse_type"].add(code["abuse_type"])
        if code["date_from"] and code["date_from"][:7] == code["date_to"][:7]:
            found["month"].add(code["date_from"][:7])
        if code["place_id"]:
            found["place"].add(code["place_id"])
    return found


def _incident_values(incident, legs, codebook):
    found = {kind: set() for kind in KINDS}
    found["side"] |= {codebook.side_of(p) for p in incident["perpetrators"] if p in codebook.perpetrators}
    for row in [incident, *legs]:
        if row["date_from"] and row["date_from"][:7] == row["date_to"][:7]:
            found["month"].add(row["date_from"][:7])
        if row["place_id"]:
            found["place"].add(row["place_id"])
    for leg in legs:
        if leg["perpetrator_id"] in codebook.perpetrators:
            found["side"].add(codebook.side_of(leg["perpetrator_id"]))
    return found


def summary(db, codebook, references, counted=None):
    """The one way every reader counts: side_by_side of these testimonies (`counted`: their
    archive/export/tables.py counts, when the caller already has them)."""
    counted = counted if counted is not None else testimony_tables.count(db, codebook, references)
    return side_by_side(count(db, codebook, references), counted, codebook)


def side_by_side(counts, tables, codebook):
    """{'total': {testimonies, linked, incidents, people}, kind: [{value, label, testimonies, incidents,
    people}]} for the statistics page, the PDF and the exports; each kind by number of testimonies."""
    testimonies_by = {"side": tables.sides, "abuse_type": tables.abuse_types, "place": tables.places,
                      "month": tables.months}
    labels = {"side": lambda v: codebook.label("perpetrator", v), "abuse_type": lambda v: codebook.label("abuse_type", v),
              "place": lambda v: codebook.label("place", v), "month": testimony_tables._month_label}
    result = {"total": {"testimonies": counts.testimonies, "linked": counts.linked_testimonies,
                        "incidents": len(counts.incidents), "people": counts.people.label,
                        "people_low": counts.people.low, "people_high": counts.people.high,
                        "unknown_size": counts.people.unknown}}
    for kind in KINDS:
        values = set(testimonies_by[kind]) | set(counts.by[kind])
        rows = [{"value": value, "label": labels[kind](value), "testimonies": testimonies_by[kind].get(value, 0),
                 "incidents": len(counts.by[kind].get(value, ())),
                 "people": counts.people_by[kind][value].label if value in counts.people_by[kind] else "–"}
                for value in values]
        order = (lambda r: r["value"]) if kind == "month" else (lambda r: (-r["testimonies"], -r["incidents"], r["label"]))
        result[kind] = sorted(rows, key=order)
    return result


def by_value(counts):
    """Counter of incidents per (kind, value): what the tests compare with SQLite."""
    return Counter({(kind, value): len(ids) for kind, found in counts.by.items() for value, ids in found.items()})
