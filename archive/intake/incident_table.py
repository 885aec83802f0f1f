"""An organisation's incident table, brought in by the import: rows name incidents by the organisation's
own id (schemas/import_incident.py reads and checks each), and each row's testimony becomes a source of
the incidents it names.

- An id the archive does not hold is a new incident. What the rows naming it say is put together: a
  value one row leaves empty may come from another, but two rows giving different values is the later
  row's problem, and at least one row must give its title.
- An id the archive holds links to that incident. A value a row gives must be the one recorded: the
  import never changes an incident (its page does, with a reason), so importing a file again is harmless.
- Legs are given whole: the rows that give an incident's legs must give the same ones (for an incident
  already recorded, the ones it has).

Nothing is written until every row is checked; then the incidents, legs and links are recorded through
archive.incidents, as the pages record them (history, audit), inside the import's transaction.
"""
from dataclasses import dataclass, field

from archive import incidents
from archive.i18n import N_, say, say_plural
from archive.store import incidents as store_incidents
from schemas import import_incident
from schemas.incident import describe_size


@dataclass
class Definition:
    """One incident id, as the file (and the archive) say it."""
    external_id: str
    first: import_incident.Named
    first_row: int
    existing: dict = None                         # the incident recorded in the archive, if any
    values: dict = field(default_factory=dict)    # key -> (compared value, row that gave it or None)
    columns: dict = field(default_factory=dict)   # the columns to record a new incident with
    legs: list = None                             # loaded legs (None: no row gave any)
    legs_row: int = None
    sources: list = field(default_factory=list)   # testimonies ({id, reference}) that tell of it


class IncidentTable:
    def __init__(self, db, codebook):
        self.db, self.codebook, self.defined = db, codebook, {}
        self.refused = set()  # ids of entries with problems: their title may be among them

    def check(self, row_number, record, file_format):
        """(the record without its incidents, [Loaded], [(row, field, reason)])."""
        record, named, shape = import_incident.take(record, file_format)
        problems = [(row_number, name, reason) for name, reason in shape]
        loaded, ids = [], set()
        for one in named:
            incident, found = import_incident.load(one, self.codebook)
            problems += [(row_number, name, reason) for name, reason in found]
            if incident is None:
                self.refused.add(str(one.entry.get("id") or "").strip())
                continue
            if incident.external_id in ids:
                problems.append((row_number, one.name("id"), say("%(incident)s is named twice in this row",
                                                                 incident=incident.external_id)))
                continue
            ids.add(incident.external_id)
            problems += [(row_number, name, reason) for name, reason in self._agree(row_number, incident)]
            loaded.append(incident)
        return record, loaded, problems

    def _definition(self, row_number, incident):
        definition = self.defined.get(incident.external_id)
        if definition is None:
            definition = Definition(incident.external_id, incident.named, row_number)
            found = store_incidents.incident_with_external_id(self.db, incident.external_id)
            if found is not None:
                definition.existing = store_incidents.get_incident(self.db, found)
                definition.values = {key: (import_incident.compared(definition.existing, key), None)
                                     for key in import_incident.COMPARED}
                definition.legs = store_incidents.legs_of(self.db, found)
            self.defined[incident.external_id] = definition
        return definition

    def _agree(self, row_number, incident):
        definition, named = self._definition(row_number, incident), incident.named
        for key, value in incident.given.items():
            if key not in definition.values:
                definition.values[key] = (value, row_number)
                definition.columns.update({c: incident.columns[c] for c in _columns(key)})
                continue
            recorded, where = definition.values[key]
            if recorded != value:
                yield named.name(key), self._differs(definition, key, where)
        if incident.legs is not None:
            if definition.legs is None:
                definition.legs, definition.legs_row = incident.legs, row_number
            elif _legs(definition.legs) != _legs(incident.legs):
                legs = _count(definition.legs)
                if definition.existing is None:
                    yield named.legs_field, say(
                        "incident %(incident)s: row %(row)s gives other legs (%(legs)s); give the same legs, or leave "
                        "them empty here", incident=definition.external_id, row=definition.legs_row, legs=legs)
                else:
                    yield named.legs_field, say(
                        "incident %(incident)s: the archive records other legs (%(legs)s); give the same legs, or leave "
                        "them empty here (to change it, edit incident %(id)s on its page)",
                        incident=definition.external_id, legs=legs, id=definition.existing["id"])

    def _differs(self, definition, key, where):
        """A row's value that is not the one recorded: by an earlier row (`where`, its number) or, with
        `where` None, by the archive (which holds every compared value of an incident it records)."""
        recorded = definition.existing if where is None else definition.columns
        given = say(_GIVEN[key], value=_said(recorded, key))
        if where is not None:
            return say("incident %(incident)s: row %(row)s gives %(given)s; give the same, or leave it empty here",
                       incident=definition.external_id, row=where, given=given)
        return say("incident %(incident)s: the archive records %(given)s; give the same, or leave it empty here "
                   "(to change it, edit incident %(id)s on its page)", incident=definition.external_id, given=given,
                   id=definition.existing["id"])

    def add_source(self, loaded, testimony):
        """The row's testimony ({id, reference}: stored now, or already in the archive) tells of these."""
        for incident in loaded:
            self.defined[incident.external_id].sources.append(testimony)

    def finish(self):
        """Problems only known once every row is read: a new incident that no row gives a title."""
        return [(d.first_row, d.first.name("title"),
                 say("incident %(incident)s is new: give its title (in at least one of the rows that name it)",
                     incident=d.external_id))
                for d in self.defined.values()
                if d.existing is None and "title" not in d.values and d.external_id not in self.refused]

    def write(self, actor, reason):
        """Record the new incidents with their legs, and every link; returns (new ids, linked
        incidents already recorded, testimony ids linked)."""
        user, created, existing, linked = {"name": actor}, [], [], set()
        for definition in self.defined.values():
            if definition.existing is not None:
                incident_id = definition.existing["id"]
                existing.append(definition.external_id)
            else:
                incident_id = self._create(definition, user, reason)
                created.append(definition.external_id)
            for testimony in definition.sources:
                if incidents.link_testimony(self.db, incident_id, testimony, user, reason=reason):
                    linked.add(testimony["id"])
        return created, existing, sorted(linked)

    def _create(self, definition, user, reason):
        columns = {**dict.fromkeys(store_incidents.FIELDS), **definition.columns,
                   "external_id": definition.external_id, "reason": reason}
        columns["perpetrators"] = list(columns.get("perpetrators") or [])
        incident_id = incidents.create_incident(self.db, columns, user)
        for leg in definition.legs or []:
            incidents.add_leg(self.db, incident_id, {**leg, "position": None, "reason": reason}, user)
        return incident_id


# What a row gives of an incident, with its value ('…', or "(none)"), as "row 2 gives …" and "the archive
# records …" name it; the note is not quoted (it may be long).
_GIVEN = {"title": N_("the title %(value)s"), "date": N_("the date %(value)s"), "place": N_("the place %(value)s"),
          "group_size": N_("the group size %(value)s"), "minors": N_("the number of minors %(value)s"),
          "women": N_("the number of women %(value)s"), "perpetrators": N_("the perpetrators %(value)s"),
          "note": N_("another note")}


def _columns(key):
    extra = ("date_text",) if key == "date" else ()
    return import_incident.COMPARED[key] + extra


def _said(columns, key):
    """A recorded value in words (the note is not quoted: it may be long)."""
    if key == "note":
        return ""
    if key == "date":
        value = columns.get("date_text")
    elif key == "place":
        value = columns.get("place_text") or columns.get("place_id")
    elif key == "group_size":
        value = describe_size(columns.get("people_min"), columns.get("people_max"))
    elif key == "perpetrators":
        value = ", ".join(columns.get("perpetrators") or ())
    else:
        value = columns.get(key)
    return f"'{value}'" if value not in (None, "") else say("(none)")


def _legs(legs):
    return [import_incident.leg_compared(leg) for leg in legs]


def _count(legs):
    return say("no legs") if not legs else say_plural("%(num)s leg", "%(num)s legs", len(legs))
