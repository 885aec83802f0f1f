"""Incident records (archive/incidents/): the incident, its perpetrators, its ordered legs, the
testimonies (or codes) that are its sources, its history, and reviewers' decisions on candidate
links. Every SQL statement of the feature; writers run inside the caller's write transaction.

Linking a testimony never writes to the testimony's row, text or history: only its `revision` is
bumped, which is the search index's bookkeeping (the "incident" facet must follow the link).
"""
import json

from archive.i18n import N_, say
from archive.store.rows import NotFound, grouped, insert_row, insert_rows, now

FIELDS = ("title", "date_text", "date_from", "date_to", "date_precision", "place_id", "place_text",
          "people_min", "people_max", "minors", "women", "note", "external_id")
LEG_FIELDS = ("from_side", "to_side", "place_id", "place_text", "date_text", "date_from", "date_to",
              "date_precision", "perpetrator_id", "note")


def record_change(db, incident_id, entity, entity_id, action, old, new, actor, reason, stamp=None):
    insert_row(db, "incident_history", {
        "incident_id": incident_id, "entity": entity, "entity_id": entity_id, "action": action,
        "old": json.dumps(old, ensure_ascii=False, default=str) if old is not None else None,
        "new": json.dumps(new, ensure_ascii=False, default=str) if new is not None else None,
        "actor": actor, "reason": reason, "at": stamp or now()})


def _follow_index(db, testimony_id):
    """The index must re-read this testimony (its incident facet); nothing else about it changes."""
    db.execute("UPDATE testimony SET revision = revision + 1 WHERE id = ?", [testimony_id])


# --- the incident ------------------------------------------------------------------------------

def insert_incident(db, incident, perpetrators, actor, reason):
    stamp = now()
    row = {**{k: incident.get(k) for k in FIELDS}, "created_by": actor, "created_at": stamp, "updated_at": stamp}
    incident_id = insert_row(db, "incident_record", row)
    _set_perpetrators(db, incident_id, perpetrators)
    record_change(db, incident_id, "incident", incident_id, "create", None,
                   {**row, "perpetrators": sorted(perpetrators)}, actor, reason, stamp)
    return incident_id


def update_incident(db, incident_id, changes, perpetrators, actor, reason):
    """Change the incident's fields and perpetrators; returns the changed fields ({} for none)."""
    current = get_incident(db, incident_id)
    changed = {k: v for k, v in changes.items() if k in FIELDS and current[k] != v}
    if perpetrators is not None and sorted(perpetrators) != current["perpetrators"]:
        changed["perpetrators"] = sorted(perpetrators)
    if not changed:
        return {}
    stamp = now()
    columns = {k: v for k, v in changed.items() if k != "perpetrators"}
    db["incident_record"].update(incident_id, {**columns, "updated_at": stamp})
    if "perpetrators" in changed:
        db.execute("DELETE FROM incident_record_perpetrator WHERE incident_id = ?", [incident_id])
        _set_perpetrators(db, incident_id, changed["perpetrators"])
    record_change(db, incident_id, "incident", incident_id, "update", {k: current[k] for k in changed}, changed,
                   actor, reason, stamp)
    return changed


def _set_perpetrators(db, incident_id, perpetrators):
    insert_rows(db, "incident_record_perpetrator", ({"incident_id": incident_id, "perpetrator_id": p}
                                                    for p in dict.fromkeys(perpetrators)))


# What a number from a URL names, when there is none: one sentence for each.
NO_SUCH = {"incident": N_("no incident %(number)s"), "leg": N_("no leg %(number)s"),
           "source": N_("no source %(number)s")}


def _number(value, what):
    """An id from a URL, as SQLite can bind it: a number past 64 bits is no incident, not an OverflowError."""
    if not isinstance(value, int) or not 0 < value < 2 ** 63:
        raise NotFound(say(NO_SUCH[what], number=value))
    return value


def get_incident(db, incident_id):
    rows = list(db.query("SELECT * FROM incident_record WHERE id = ?", [_number(incident_id, "incident")]))
    if not rows:
        raise NotFound(say("no incident %(number)s", number=incident_id))
    incident = rows[0]
    incident["perpetrators"] = perpetrators_of(db, [incident_id]).get(incident_id, [])
    return incident


def incident_with_external_id(db, external_id):
    row = db.execute("SELECT id FROM incident_record WHERE external_id = ?", [external_id]).fetchone()
    return row[0] if row else None


def perpetrators_of(db, incident_ids):
    """{incident id: [perpetrator id, ...]} the incident records name."""
    return grouped(db, "SELECT incident_id, perpetrator_id FROM incident_record_perpetrator "
                       "WHERE incident_id IN ({marks}) ORDER BY perpetrator_id", incident_ids)


def list_incidents(db, limit=-1, offset=0):
    """Every incident (or a page of them), newest event first, with its number of sources."""
    rows = list(db.query("""
        SELECT i.*, count(DISTINCT s.testimony_id) AS sources FROM incident_record i
        LEFT JOIN incident_source s ON s.incident_id = i.id
        GROUP BY i.id ORDER BY i.date_from IS NULL, i.date_from DESC, i.id DESC LIMIT ? OFFSET ?""",
                         [limit, offset]))
    perpetrators = perpetrators_of(db, [row["id"] for row in rows])
    return [{**row, "perpetrators": perpetrators.get(row["id"], [])} for row in rows]


def count_incidents(db):
    return db.execute("SELECT count(*) FROM incident_record").fetchone()[0]


# --- legs ----------------------------------------------------------------------------------------

def legs_of(db, incident_id):
    return list(db.query("SELECT * FROM incident_leg WHERE incident_id = ? ORDER BY position",
                         [_number(incident_id, "incident")]))


def insert_leg(db, incident_id, leg, actor, reason, position=None):
    """Add a leg at `position` (1 = first; default: last); the legs after it move one down."""
    last = db.execute("SELECT coalesce(max(position), 0) FROM incident_leg WHERE incident_id = ?",
                      [incident_id]).fetchone()[0]
    position = last + 1 if position is None else max(1, min(position, last + 1))
    _shift(db, incident_id, position, +1)
    row = {**{k: leg.get(k) for k in LEG_FIELDS}, "incident_id": incident_id, "position": position}
    leg_id = insert_row(db, "incident_leg", row)
    _touch(db, incident_id)
    record_change(db, incident_id, "leg", leg_id, "create", None, row, actor, reason)
    return leg_id


def delete_leg(db, incident_id, leg_id, actor, reason):
    leg = _leg(db, incident_id, leg_id)
    db.execute("DELETE FROM incident_leg WHERE id = ?", [leg_id])
    _shift(db, incident_id, leg["position"] + 1, -1)
    _touch(db, incident_id)
    record_change(db, incident_id, "leg", leg_id, "delete", leg, None, actor, reason)


def move_leg(db, incident_id, leg_id, position, actor, reason):
    leg = _leg(db, incident_id, leg_id)
    last = db.execute("SELECT max(position) FROM incident_leg WHERE incident_id = ?", [incident_id]).fetchone()[0]
    position = max(1, min(position, last))
    if position == leg["position"]:
        return
    # Out of the way first (positions are unique), then close the gap and open the new one.
    db.execute("UPDATE incident_leg SET position = 0 WHERE id = ?", [leg_id])
    _shift(db, incident_id, leg["position"] + 1, -1)
    _shift(db, incident_id, position, +1)
    db.execute("UPDATE incident_leg SET position = ? WHERE id = ?", [position, leg_id])
    _touch(db, incident_id)
    record_change(db, incident_id, "leg", leg_id, "move", {"position": leg["position"]}, {"position": position},
                   actor, reason)


def _leg(db, incident_id, leg_id):
    rows = list(db.query("SELECT * FROM incident_leg WHERE id = ? AND incident_id = ?",
                         [_number(leg_id, "leg"), _number(incident_id, "incident")]))
    if not rows:
        raise NotFound(say("incident %(incident)s has no leg %(leg)s", incident=incident_id, leg=leg_id))
    return rows[0]


def _shift(db, incident_id, from_position, by):
    """Move every leg at or after `from_position` by `by`, in an order that keeps positions unique."""
    order = "DESC" if by > 0 else "ASC"
    for (leg_id,) in db.execute(f"SELECT id FROM incident_leg WHERE incident_id = ? AND position >= ? "
                                f"ORDER BY position {order}", [incident_id, from_position]).fetchall():
        db.execute("UPDATE incident_leg SET position = position + ? WHERE id = ?", [by, leg_id])


def _touch(db, incident_id):
    db.execute("UPDATE incident_record SET updated_at = ? WHERE id = ?", [now(), incident_id])


# --- sources -------------------------------------------------------------------------------------

def link(db, incident_id, testimony_id, code_id, actor, reason):
    """Name a testimony (or one of its codes) as a source of the incident; None if it already is."""
    stamp = now()
    row = {"incident_id": incident_id, "testimony_id": testimony_id, "code_id": code_id, "reason": reason,
           "linked_by": actor, "linked_at": stamp}
    source_id = insert_row(db, "incident_source", row, or_ignore=True)
    if not db.execute("SELECT changes()").fetchone()[0]:
        return None
    _follow_index(db, testimony_id)
    _touch(db, incident_id)
    record_change(db, incident_id, "source", source_id, "link", None, row, actor, reason, stamp)
    return source_id


def unlink(db, incident_id, source_id, actor, reason):
    rows = list(db.query("SELECT * FROM incident_source WHERE id = ? AND incident_id = ?",
                         [_number(source_id, "source"), _number(incident_id, "incident")]))
    if not rows:
        raise NotFound(say("incident %(incident)s has no source %(source)s", incident=incident_id, source=source_id))
    db.execute("DELETE FROM incident_source WHERE id = ?", [source_id])
    _follow_index(db, rows[0]["testimony_id"])
    _touch(db, incident_id)
    record_change(db, incident_id, "source", source_id, "unlink", rows[0], None, actor, reason)
    return rows[0]


def sources_of(db, incident_id):
    """The incident's sources with the testimony's reference, title, language and access fields."""
    return list(db.query("""
        SELECT s.*, t.reference, t.title, t.language, t.organisation, t.confidentiality, t.consent,
               c.abuse_type AS code_abuse_type, c.passage_text AS code_passage
        FROM incident_source s JOIN testimony t ON t.id = s.testimony_id
        LEFT JOIN code c ON c.id = s.code_id
        WHERE s.incident_id = ? AND t.purged_at IS NULL ORDER BY s.linked_at, s.id""", [incident_id]))


def incidents_of(db, testimony_ids):
    """{testimony id: [incident id, ...]} of the incidents each testimony is a source of."""
    return grouped(db, "SELECT DISTINCT testimony_id, incident_id FROM incident_source "
                       "WHERE testimony_id IN ({marks}) ORDER BY incident_id", testimony_ids)


def incidents_by_id(db, incident_ids):
    """{id: incident row with perpetrators} for the ids given."""
    found = {}
    ids = list(incident_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT * FROM incident_record WHERE id IN ({marks})", chunk):
            found[row["id"]] = row
    for incident_id, perpetrators in perpetrators_of(db, list(found)).items():
        found[incident_id]["perpetrators"] = perpetrators
    return {key: {"perpetrators": [], **row} for key, row in found.items()}


def history_of(db, incident_id):
    rows = db.query("SELECT * FROM incident_history WHERE incident_id = ? ORDER BY id", [incident_id])
    return [{**r, "old": json.loads(r["old"]) if r["old"] else None,
             "new": json.loads(r["new"]) if r["new"] else None} for r in rows]


# --- decisions on candidate links ---------------------------------------------------------------

def insert_decision(db, testimony_id, incident_id, other_testimony_id, decision, score, reasons, reason, actor):
    return insert_row(db, "incident_link_decision", {
        "testimony_id": testimony_id, "incident_id": incident_id, "other_testimony_id": other_testimony_id,
        "decision": decision, "score": score, "reasons": json.dumps(reasons, ensure_ascii=False),
        "reason": reason, "decided_by": actor, "decided_at": now()})


def linkage_state(db):
    """What candidate links are computed from, as it stands: the newest entry of the testimonies' and the
    incidents' history, of the decisions, of the weights and of the audit log (every change writes one),
    and the number of testimonies. Any change to what a linker read changes it."""
    return tuple(db.execute(
        "SELECT (SELECT max(id) FROM history), (SELECT max(id) FROM incident_history), "
        "(SELECT max(id) FROM incident_link_decision), (SELECT max(id) FROM audit_event), "
        "(SELECT count(*) FROM testimony), (SELECT max(id) FROM linkage_weights)").fetchone())


def linkage_weights(db):
    """The newest weights fitted on this archive: {weights, partners, pairs, labelled, fitted_by, fitted_at},
    or None (the archive scores with the weights it ships with)."""
    found = next(iter(db.query("SELECT * FROM linkage_weights ORDER BY id DESC LIMIT 1")), None)
    return found and {**found, "weights": json.loads(found["weights"])}


def insert_linkage_weights(db, weights, partners, pairs, labelled, actor):
    return insert_row(db, "linkage_weights", {
        "weights": json.dumps(weights, sort_keys=True), "partners": partners, "pairs": pairs,
        "labelled": labelled, "fitted_by": actor, "fitted_at": now()})


def labelled_pairs(db):
    """{(testimony id, testimony id), lower first: True (one event) or False} from the reviewers' decisions:
    a decision on two testimonies labels them; one on a testimony and an incident labels the testimony
    with each of the incident's other sources. A pair decided both ways is left out."""
    sources = {}
    for testimony_id, incident_id in source_pairs(db):
        sources.setdefault(incident_id, set()).add(testimony_id)
    found, both = {}, set()
    for testimony_id, incident_id, other, decision in db.execute(
            "SELECT testimony_id, incident_id, other_testimony_id, decision FROM incident_link_decision"):
        others = {other} if incident_id is None else sources.get(incident_id, set())
        for partner in others - {testimony_id}:
            pair = (min(testimony_id, partner), max(testimony_id, partner))
            said = decision == "confirmed"
            if found.get(pair, said) != said:
                both.add(pair)
            found[pair] = said
    return {pair: said for pair, said in found.items() if pair not in both}


def database_file(db):
    """The file the connection's main database is (the key of what is kept per archive)."""
    return next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")


def rejected_pairs(db):
    """{("incident", testimony id, incident id), ("testimony", a, b) with a < b}: never offered again."""
    found = set()
    for testimony_id, incident_id, other in db.execute(
            "SELECT testimony_id, incident_id, other_testimony_id FROM incident_link_decision "
            "WHERE decision = 'rejected'"):
        if incident_id is not None:
            found.add(("incident", testimony_id, incident_id))
        else:
            found.add(("testimony", min(testimony_id, other), max(testimony_id, other)))
    return found


def decisions_of(db, testimony_id):
    return list(db.query("SELECT * FROM incident_link_decision WHERE testimony_id = ? OR other_testimony_id = ? "
                         "ORDER BY id", [testimony_id, testimony_id]))


# --- what candidate scoring and counting read ---------------------------------------------------

def testimony_features(db, testimony_ids=None):
    """(id, reference, language, stated place id, stated date bounds) of testimonies not purged."""
    sql = ("SELECT id, reference, language, incident_place_id, incident_date_from, incident_date_to "
           "FROM testimony WHERE purged_at IS NULL")
    if testimony_ids is None:
        return list(db.query(sql + " ORDER BY id"))
    ids = list(testimony_ids)
    found = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found += db.query(sql + f" AND id IN ({','.join('?' * len(chunk))}) ORDER BY id", chunk)
    return found


def record_stated_size(db, testimony_id, size):
    """Keep what the testimony's text says of its group's size (a GroupSize, or None: it says none)."""
    db.execute("INSERT OR REPLACE INTO stated_group_size (testimony_id, people_min, people_max, approximate) "
               "VALUES (?, ?, ?, ?)", [testimony_id, size and size.low, size and size.high,
                                       int(bool(size and size.approximate))])


def stated_sizes(db):
    """{testimony id: (people_min, people_max, approximate)} of every testimony whose text was read for its
    size (people None: it says none)."""
    return {row[0]: row[1:] for row in db.execute(
        "SELECT testimony_id, people_min, people_max, approximate FROM stated_group_size")}


def unread_sizes(db):
    """Ids of the testimonies, not purged, whose text has not been read for its group's size."""
    return [row[0] for row in db.execute(
        "SELECT id FROM testimony WHERE purged_at IS NULL "
        "AND id NOT IN (SELECT testimony_id FROM stated_group_size) ORDER BY id")]


def record_stated_circumstances(db, testimony_id, said):
    """Keep what the testimony's text says of when in the day, where it crossed and where its group came from
    (archive/incidents/circumstances.py Circumstances)."""
    from archive.incidents.circumstances import columns

    db.execute("INSERT OR REPLACE INTO stated_circumstances (testimony_id, times, crossings, origins) "
               "VALUES (:id, :times, :crossings, :origins)", {"id": testimony_id, **columns(said)})


def stated_circumstances(db):
    """{testimony id: {times, crossings, origins}} of every testimony whose text was read for them."""
    return {row["testimony_id"]: row for row in db.query(
        "SELECT testimony_id, times, crossings, origins FROM stated_circumstances")}


def unread_circumstances(db):
    """Ids of the testimonies, not purged, whose text has not been read for its circumstances."""
    return [row[0] for row in db.execute(
        "SELECT id FROM testimony WHERE purged_at IS NULL "
        "AND id NOT IN (SELECT testimony_id FROM stated_circumstances) ORDER BY id")]


def texts_of(db, testimony_ids):
    """(id, text) of the testimonies named, read in chunks."""
    ids = list(testimony_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        yield from db.execute(f"SELECT id, text FROM testimony WHERE id IN ({','.join('?' * len(chunk))})", chunk)


def source_pairs(db):
    """Every (testimony id, incident id) link."""
    return db.execute("SELECT DISTINCT testimony_id, incident_id FROM incident_source").fetchall()


def all_legs(db):
    """{incident id: [leg, ...]} in order."""
    found = {}
    for leg in db.query("SELECT * FROM incident_leg ORDER BY incident_id, position"):
        found.setdefault(leg["incident_id"], []).append(leg)
    return found


def code_removed(db, code_id, actor, reason):
    """A code that was a source is removed: its testimony stays a source of the incident, as a whole
    (unless it already is), and the incident's history says so."""
    for source in list(db.query("SELECT * FROM incident_source WHERE code_id = ?", [code_id])):
        db.execute("UPDATE OR IGNORE incident_source SET code_id = NULL WHERE id = ?", [source["id"]])
        db.execute("DELETE FROM incident_source WHERE id = ? AND code_id IS NOT NULL", [source["id"]])
        record_change(db, source["incident_id"], "source", source["id"], "code_removed", {"code_id": code_id},
                       {"code_id": None}, actor, reason)


def erase_testimony(db, testimony_id):
    """A purged testimony is no longer a source, and no copy of what was said about it remains in the
    incidents' history (the entries stay: what was done, by whom, when)."""
    removed = {"incident_source": db.execute("DELETE FROM incident_source WHERE testimony_id = ?",
                                             [testimony_id]).rowcount}
    removed["incident_link_decision"] = db.execute(
        "DELETE FROM incident_link_decision WHERE testimony_id = ? OR other_testimony_id = ?",
        [testimony_id, testimony_id]).rowcount
    removed["incident_history"] = db.execute(
        "UPDATE incident_history SET old = NULL, new = NULL, reason = NULL WHERE entity = 'source' AND "
        "(json_extract(coalesce(new, old), '$.testimony_id') = ?)", [testimony_id]).rowcount
    return removed
