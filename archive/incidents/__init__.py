"""Incidents: one event as coders judge it, above the testimonies that tell of it.

HRDAG's practice: every source record is kept as it is, and links between records of the same event
are a separate layer of judgment, so that every count traces back to its sources. Here an incident
record holds its own date, place, group size and perpetrators, and its legs (the ordered crossings
of a push-back, back and forth); a testimony, or one of its codes, is linked to it as a source. A
testimony may be a source of several incidents, and linking never changes the testimony: its text,
hash and history stay as they were (only the index's revision follows, for the "incident" facet).

Not the *stated incident* of archive/intake/incident.py, the place and date a testimony gives at
intake: that one belongs to the testimony. Every change here is one transaction, recorded in the
incident's history and in the audit log; the caller reindexes the testimonies it names afterwards.
"""
from archive import errors, store
from archive.custody import audit
from archive.i18n import say
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction

DEFAULT_REASON = {"create": "incident recorded", "link": "tells of this incident", "leg": "leg recorded"}


class IncidentRefused(errors.Refused):
    """A change of an incident that the rules refuse."""


def create_incident(db, incident, user, testimony=None, code_id=None):
    """Record a new incident (IncidentSchema columns); with `testimony`, linked to it as its first
    source. Returns the new incident's id."""
    actor, reason = user["name"], incident.get("reason") or DEFAULT_REASON["create"]
    columns = {k: v for k, v in incident.items() if k not in ("perpetrators", "reason")}
    with write_transaction(db):
        _unique_external_id(db, columns.get("external_id"))
        incident_id = store_incidents.insert_incident(db, columns, incident["perpetrators"], actor, reason)
        audit.record(db, actor, "incident_created", f"incident {incident_id}", {"incident": incident_id})
        if testimony is not None:
            _link(db, incident_id, testimony, code_id, actor, incident.get("reason") or DEFAULT_REASON["link"])
    return incident_id


def update_incident(db, incident_id, incident, user):
    actor, reason = user["name"], (incident.get("reason") or "").strip()
    if not reason:
        raise errors.Invalid(say("reason: say why the incident is changed"))
    columns = {k: v for k, v in incident.items() if k not in ("perpetrators", "reason")}
    with write_transaction(db):
        current = store_incidents.get_incident(db, incident_id)
        if columns.get("external_id") != current["external_id"]:
            _unique_external_id(db, columns.get("external_id"))
        changed = store_incidents.update_incident(db, incident_id, columns, incident["perpetrators"], actor, reason)
        if changed:
            audit.record(db, actor, "incident_changed", f"incident {incident_id}",
                         {"incident": incident_id, "fields": sorted(changed)})
    return changed


def link_testimony(db, incident_id, testimony, user, code_id=None, reason=None):
    """Name the testimony (or its code `code_id`) as a source of the incident. False if it already was."""
    with write_transaction(db):
        store_incidents.get_incident(db, incident_id)
        return _link(db, incident_id, testimony, code_id, user["name"], reason or DEFAULT_REASON["link"])


def _link(db, incident_id, testimony, code_id, actor, reason):
    if code_id is not None:
        code = store.get_code(db, code_id)
        if code["testimony_id"] != testimony["id"] or code["stage"] != "coded":
            raise store.NotFound(say("no code %(code)s in %(reference)s", code=code_id,
                                     reference=testimony["reference"]))
    source_id = store_incidents.link(db, incident_id, testimony["id"], code_id, actor, reason)
    if source_id is not None:
        audit.record(db, actor, "incident_linked", testimony["reference"],
                     {"incident": incident_id, "source": source_id, **({"code": code_id} if code_id else {})})
    return source_id is not None


def unlink_source(db, incident_id, source_id, user, reason):
    if not (reason or "").strip():
        raise errors.Invalid(say("reason: say why this source no longer tells of the incident"))
    with write_transaction(db):
        source = store_incidents.unlink(db, incident_id, source_id, user["name"], reason.strip())
        testimony = store.testimony_with_id(db, source["testimony_id"])
        audit.record(db, user["name"], "incident_unlinked", testimony["reference"],
                     {"incident": incident_id, "source": source_id})
    return source["testimony_id"]


def add_leg(db, incident_id, leg, user):
    actor = user["name"]
    columns = {k: v for k, v in leg.items() if k not in ("position", "reason")}
    with write_transaction(db):
        store_incidents.get_incident(db, incident_id)
        leg_id = store_incidents.insert_leg(db, incident_id, columns, actor, leg.get("reason") or DEFAULT_REASON["leg"],
                                            leg.get("position"))
        audit.record(db, actor, "incident_leg_added", f"incident {incident_id}", {"incident": incident_id, "leg": leg_id})
    return leg_id


def remove_leg(db, incident_id, leg_id, user, reason):
    if not (reason or "").strip():
        raise errors.Invalid(say("reason: say why the leg is removed"))
    with write_transaction(db):
        store_incidents.delete_leg(db, incident_id, leg_id, user["name"], reason.strip())
        audit.record(db, user["name"], "incident_leg_removed", f"incident {incident_id}",
                     {"incident": incident_id, "leg": leg_id})


def move_leg(db, incident_id, leg_id, position, user):
    with write_transaction(db):
        store_incidents.move_leg(db, incident_id, leg_id, position, user["name"], "order of the legs changed")
        audit.record(db, user["name"], "incident_leg_moved", f"incident {incident_id}",
                     {"incident": incident_id, "leg": leg_id, "position": position})


def _unique_external_id(db, external_id):
    if external_id and store_incidents.incident_with_external_id(db, external_id) is not None:
        raise IncidentRefused(say("an incident with the id '%(id)s' is already recorded", id=external_id))


def incident_testimony_ids(db, incident_id):
    return sorted({source["testimony_id"] for source in store_incidents.sources_of(db, incident_id)})
