"""The incidents an import row names: an organisation's own incident table, brought in with its testimonies.

JSON and JSON Lines give a list, `"incidents": [{"id": "BVMN-2021-0042", "title": …, "legs": [{…}, …]}]`;
a CSV row gives one incident in columns `incident.<field>` and its legs in `leg<N>.<field>` (N from 1, in
order; a leg whose columns are all empty is skipped). Each is checked by the schemas the incident pages use
(IncidentSchema, LegSchema), so a value the pages refuse is refused here too, and every problem is named
as the file names it: `incident.group_size` or `leg2.to_side` in a CSV file, `incidents[1].legs[2].to_side`
in JSON (numbered from 1, as rows are).

`take(record, file_format)` removes a record's incidents from it; `load(named, codebook)` checks one.
What rows say of the same incident is compared across rows by archive/intake/incident_table.py.
"""
import re
from dataclasses import dataclass, field

from marshmallow import ValidationError

from archive.i18n import say, say_plural
from schemas.incident import IncidentSchema, LegSchema

INCIDENT_KEYS = ("id", "title", "date", "date_to", "place", "group_size", "minors", "women", "perpetrators",
                 "note", "legs")
LEG_KEYS = ("from_side", "to_side", "place", "date", "date_to", "perpetrator", "note")
MAX_INCIDENTS, MAX_LEGS = 50, 100
CSV_INCIDENT = re.compile(r"incident\.([a-z_]+)")
CSV_LEG = re.compile(r"leg([1-9]\d{0,2})\.([a-z_]+)")

# What a given value is compared by, when rows (or the archive) say something of the same incident:
# the place by its gazetteer id (any spelling of it agrees), the date by its bounds and precision.
COMPARED = {
    "title": ("title",), "date": ("date_from", "date_to", "date_precision"),
    "place": ("place_id", "place_text"), "group_size": ("people_min", "people_max"), "minors": ("minors",),
    "women": ("women",), "perpetrators": ("perpetrators",), "note": ("note",),
}
LEG_COMPARED = ("from_side", "to_side", "place_id", "place_text", "date_from", "date_to", "date_precision",
                "perpetrator_id", "note")
_PLACEHOLDER_TITLE = "untitled"


def is_csv_column(name):
    """`incident.title`, `leg3.from_side`: a CSV column of the incident a row names."""
    found = CSV_INCIDENT.fullmatch(name)
    if found:
        return found.group(1) in INCIDENT_KEYS and found.group(1) != "legs"
    found = CSV_LEG.fullmatch(name)
    return bool(found) and found.group(2) in LEG_KEYS


@dataclass
class Named:
    """One incident as a row gives it, and how the file names its fields (for the problems)."""
    entry: dict
    prefix: str                                   # 'incident.' or 'incidents[2].'
    leg_names: list = field(default_factory=list)  # 'leg1.' or 'incidents[2].legs[1].', per leg
    legs_field: str = "legs"                       # how the legs as a whole are named

    def name(self, key, leg=None):
        return (self.leg_names[leg] if leg is not None else self.prefix) + key


def take(record, file_format):
    """(the record without its incidents, [Named], [(field, reason)] for a shape that cannot be read)."""
    if file_format == "csv":
        return _take_csv(record)
    if "incidents" not in record:
        return record, [], []
    record = dict(record)
    given = record.pop("incidents")
    if given in (None, []):
        return record, [], []
    if not isinstance(given, list):
        return record, [], [("incidents", say("must be a list of incidents: [{\"id\": …, \"title\": …}, …]"))]
    if len(given) > MAX_INCIDENTS:
        return record, [], [("incidents", say_plural("%(num)s incident in one row; at most %(most)s",
                                                   "%(num)s incidents in one row; at most %(most)s", len(given),
                                                   most=MAX_INCIDENTS))]
    named, problems = [], []
    for number, entry in enumerate(given, start=1):
        prefix = f"incidents[{number}]"
        if not isinstance(entry, dict):
            problems.append((prefix, say("expected an object {\"id\": …}, found %(type)s", type=type(entry).__name__)))
            continue
        unknown = sorted(k for k in entry if k not in INCIDENT_KEYS)
        if unknown:
            problems.append((prefix, say("unknown field(s): %(fields)s; an incident has %(known)s",
                                         fields=", ".join(map(_printable, unknown)), known=", ".join(INCIDENT_KEYS))))
        legs = entry.get("legs")
        if legs in (None, []):
            legs = []
        elif not isinstance(legs, list) or not all(isinstance(leg, dict) for leg in legs):
            problems.append((f"{prefix}.legs",
                             say("must be a list of legs: [{\"from_side\": \"BY\", \"to_side\": \"PL\"}, …]")))
            legs = []
        leg_names = [f"{prefix}.legs[{n}]." for n in range(1, len(legs) + 1)]
        for leg, leg_name in zip(legs, leg_names):
            unknown = sorted(k for k in leg if k not in LEG_KEYS)
            if unknown:
                problems.append((leg_name[:-1], say("unknown field(s): %(fields)s; a leg has %(known)s",
                                                    fields=", ".join(map(_printable, unknown)),
                                                    known=", ".join(LEG_KEYS))))
        named.append(Named({**{k: v for k, v in entry.items() if k in INCIDENT_KEYS}, "legs": legs},
                           prefix + ".", leg_names, f"{prefix}.legs"))
    return record, named, problems


def _take_csv(record):
    kept, incident, legs = {}, {}, {}
    for column, value in record.items():
        found_incident, found_leg = CSV_INCIDENT.fullmatch(column), CSV_LEG.fullmatch(column)
        if found_incident:
            incident[found_incident.group(1)] = value
        elif found_leg:
            legs.setdefault(int(found_leg.group(1)), {})[found_leg.group(2)] = value
        else:
            kept[column] = value
    numbers = sorted(n for n, leg in legs.items() if any(v.strip() for v in leg.values()))
    if not any(v.strip() for v in incident.values()) and not numbers:
        return kept, [], []
    perpetrators = incident.get("perpetrators", "")
    entry = {**incident, "perpetrators": [p.strip() for p in perpetrators.split(";") if p.strip()],
             "legs": [legs[n] for n in numbers]}
    return kept, [Named(entry, "incident.", [f"leg{n}." for n in numbers], _legs_field(numbers))], []


def _legs_field(numbers):
    if not numbers:
        return "leg1"
    return f"leg{numbers[0]}" if len(numbers) == 1 else f"leg{numbers[0]}–leg{numbers[-1]}"


@dataclass
class Loaded:
    """One incident a row names, checked: its id, the values it gives (to compare across rows), the
    columns to store should it be new, and its legs (None when the row gives none)."""
    external_id: str
    given: dict
    columns: dict
    legs: list
    named: Named
    has_title: bool


def load(named, codebook):
    """(Loaded or None, [(field, reason)])."""
    entry, problems = named.entry, []
    blank = (None, "", [])
    values = {k: v.strip() if isinstance(v, str) else v for k, v in entry.items() if k != "legs"}
    values = {k: v for k, v in values.items() if v not in blank}
    external_id = values.pop("id", None)
    if external_id is None:
        problems.append((named.name("id"), say("name the incident by your organisation's id, so that other rows "
                                               "and later imports can link to it")))
    elif not isinstance(external_id, (str, int)) or isinstance(external_id, bool):
        problems.append((named.name("id"), say("must be text or a number")))
        external_id = None
    if isinstance(values.get("perpetrators"), str):
        values["perpetrators"] = [p.strip() for p in values["perpetrators"].split(";") if p.strip()]
    for key in ("group_size",):
        if isinstance(values.get(key), int) and not isinstance(values[key], bool):
            values[key] = str(values[key])  # JSON may give 80 for "80"
    columns = None
    try:
        columns = IncidentSchema(codebook).load({"title": _PLACEHOLDER_TITLE, **values,
                                                 "external_id": None if external_id is None else str(external_id)})
    except ValidationError as err:
        problems += [(named.name("id" if key == "external_id" else key), reason)
                     for key, reason in _flat(err.messages)]
    legs = []
    for number, leg in enumerate(entry.get("legs") or []):
        given_leg = {k: v.strip() if isinstance(v, str) else v for k, v in leg.items()}
        try:
            legs.append(LegSchema(codebook).load({k: v for k, v in given_leg.items() if v not in blank}))
        except ValidationError as err:
            problems += [(named.name(key, number), reason) for key, reason in _flat(err.messages)]
    if problems:
        return None, problems
    given = {key: compared(columns, key) for key in COMPARED
             if key in values or (key == "date" and "date_to" in values)}
    return Loaded(str(external_id), given, columns, legs or None, named, "title" in values), []


def compared(columns, key):
    """What a value is compared by: see COMPARED."""
    if key == "place":
        return columns["place_id"] or columns["place_text"]
    if key == "perpetrators":
        return tuple(sorted(columns["perpetrators"]))
    return tuple(columns[c] for c in COMPARED[key]) if len(COMPARED[key]) > 1 else columns[COMPARED[key][0]]


def leg_compared(leg):
    """A leg's stored columns, as a dict, with the place compared by its gazetteer id."""
    compared_leg = {k: leg.get(k) for k in LEG_COMPARED}
    return compared_leg | {"place_text": None if leg.get("place_id") else leg.get("place_text")}


def _flat(messages):
    """marshmallow's {field: [reason] or {index: [reason]}} as (field, reason) pairs."""
    for key, reasons in messages.items():
        if isinstance(reasons, dict):
            for inner in reasons.values():
                yield from ((key, str(r)) for r in (inner if isinstance(inner, list) else [inner]))
        else:
            yield from ((key, str(r)) for r in (reasons if isinstance(reasons, list) else [reasons]))


def _printable(name):
    return str(name)[:40].encode("utf-8", "backslashreplace").decode("utf-8")
