"""An incident as people read it: labels beside ids, the group size in words, the abuse types its
sources' codes name, its legs in order, and the map and timeline of its legs. Plain data for the
incident's page, the testimony page and the API; templates only display it.

Sources a person may not open (the witness's consent, the testimony's confidentiality) are counted,
never named: the page says how many more there are, not which.
"""
from archive import store
from archive.export import place_map
from archive.i18n import N_, say
from archive.search.results import date_of
from archive.security import access
from archive.store import incidents as store_incidents
from schemas.incident import describe_size

# The incident's own history (store/incidents.py writes it, apart from the testimonies' history) in
# words: every (entity, action) written has its words (tests/unit/test_history_words.py checks).
HISTORY_WORDS = {
    ("incident", "create"): N_("%(actor)s recorded the incident"),
    ("incident", "update"): N_("%(actor)s changed the incident"),
    ("leg", "create"): N_("%(actor)s added a leg"),
    ("leg", "delete"): N_("%(actor)s removed a leg"),
    ("leg", "move"): N_("%(actor)s moved a leg"),
    ("source", "link"): N_("%(actor)s linked a source"),
    ("source", "unlink"): N_("%(actor)s unlinked a source"),
    ("source", "code_removed"): N_("%(actor)s kept a source whose code was removed, as its testimony"),
}


def read(db, incident_id, book):
    """The incident described, with its legs and abuse types (its sources are the reader's: `sources`)."""
    incident = describe(store_incidents.get_incident(db, incident_id), book)
    return {**incident, "legs": [describe_leg(leg, book) for leg in store_incidents.legs_of(db, incident_id)],
            "abuse_types": abuse_types(db, incident_id, book)}


# The incident's columns (archive/store/incidents.py FIELDS) as a person names them, in the form's order.
FIELD_WORDS = {"title": N_("title"), "date_text": N_("date"), "date_from": N_("date"), "date_to": N_("date"),
               "date_precision": N_("date"), "place_id": N_("place"), "place_text": N_("place"),
               "people_min": N_("group size"), "people_max": N_("group size"), "minors": N_("minors"),
               "women": N_("women"), "perpetrators": N_("perpetrators"), "note": N_("note"),
               "external_id": N_("organisation's id")}


def history(db, incident_id):
    """The incident's history, oldest first, each entry with what was done in words, in the reader's
    language (a change, with the fields it changed)."""
    found = []
    for entry in store_incidents.history_of(db, incident_id):
        if (entry["entity"], entry["action"]) == ("incident", "update") and entry["new"]:
            words = say("%(actor)s changed the incident (%(fields)s)", actor=entry["actor"],
                        fields=changed_words(entry["new"]))
        else:
            words = say(HISTORY_WORDS[entry["entity"], entry["action"]], actor=entry["actor"])
        found.append({**entry, "words": words})
    return found


def changed_words(changed):
    """'group size, place' for the columns changed."""
    return ", ".join(dict.fromkeys(say(FIELD_WORDS[column]) if column in FIELD_WORDS else column for column in sorted(
        changed, key=lambda c: list(FIELD_WORDS).index(c) if c in FIELD_WORDS else len(FIELD_WORDS))))


def form_values(incident):
    """The incident's fields as its edit form shows them, to change what needs changing."""
    first, _, last = (incident["date_text"] or "").partition("/")
    size = describe_size(incident["people_min"], incident["people_max"])
    return {"title": incident["title"], "date": first, "date_to": last, "place": incident["place_text"] or "",
            "group_size": size.replace("–", "-") if size else "",
            **{k: "" if incident[k] is None else str(incident[k]) for k in ("minors", "women")},
            "perpetrators": list(incident["perpetrators"]), "note": incident["note"] or "",
            "external_id": incident["external_id"] or "", "reason": ""}


def describe(incident, book):
    """{id, title, date, place, size, people, minors, women, perpetrators, external_id, note}."""
    size = describe_size(incident["people_min"], incident["people_max"])
    return {
        "id": incident["id"], "title": incident["title"], "note": incident["note"],
        "external_id": incident["external_id"],
        "date": date_of(incident) if incident["date_from"] else None,
        "place": _place(incident, book),
        "size": size, "people": f"{size} {'person' if size == '1' else 'people'}" if size else None,
        "people_min": incident["people_min"], "people_max": incident["people_max"],
        "minors": incident["minors"], "women": incident["women"],
        "perpetrators": [{"id": p, "label": book.label("perpetrator", p)} for p in incident["perpetrators"]],
    }


def _place(row, book):
    if row["place_id"]:
        return {"id": row["place_id"], "label": book.label("place", row["place_id"]), "resolved": True}
    if row["place_text"]:
        return {"id": None, "label": row["place_text"], "resolved": False}
    return None


def describe_leg(leg, book):
    sides = [book.label("perpetrator", side) if side else "?" for side in (leg["from_side"], leg["to_side"])]
    return {
        "id": leg["id"], "position": leg["position"], "from_side": leg["from_side"], "to_side": leg["to_side"],
        "route": " → ".join(sides) if leg["from_side"] or leg["to_side"] else None,
        "place": _place(leg, book), "date": date_of(leg) if leg["date_from"] else None,
        "perpetrator": {"id": leg["perpetrator_id"], "label": book.label("perpetrator", leg["perpetrator_id"])}
                       if leg["perpetrator_id"] else None,
        "note": leg["note"],
    }


def summary(leg, dated=True):
    """'Belarus → Poland, Kuźnica, 8 November 2021, Poland: Border Guard' from a described leg."""
    parts = [leg["route"], leg["place"]["label"] if leg["place"] else None,
             leg["date"]["label"] if leg["date"] and dated else None, leg["perpetrator"]["label"] if leg["perpetrator"] else None]
    return ", ".join(part for part in parts if part)


def sources(db, incident_id, user, book):
    """(sources this user may open, how many others there are)."""
    shown, hidden = [], 0
    for source in store_incidents.sources_of(db, incident_id):
        if not access.may_open(user, source):
            hidden += 1
            continue
        shown.append({**source, "code_label": book.label("abuse_type", source["code_abuse_type"])
                      if source["code_abuse_type"] else None})
    return shown, hidden


def abuse_types(db, incident_id, book):
    """The abuse types its sources' codes name (a code source's own; a whole testimony's every code)."""
    found = set()
    linked = store_incidents.sources_of(db, incident_id)
    codes = store.codes_of(db, sorted({s["testimony_id"] for s in linked}))
    for source in linked:
        for code in codes.get(source["testimony_id"], []):
            if code["abuse_type"] and source["code_id"] in (None, code["id"]):
                found.add(code["abuse_type"])
    return sorted(({"id": a, "label": book.label("abuse_type", a)} for a in found), key=lambda a: a["label"])


def route_map(incident, legs, book):
    """{width name: map} of the incident's place and its legs' places, the dots joined in the legs'
    order; None when none of them has coordinates."""
    stops, seen = [], {}
    for leg in legs:
        if leg["place"] and leg["place"]["id"]:
            stops.append(leg["place"]["id"])
            seen.setdefault(leg["place"]["id"], []).append(leg["position"])
    if incident["place"] and incident["place"]["id"]:
        seen.setdefault(incident["place"]["id"], [])
    places = []
    for place_id, positions in seen.items():
        place = book.places[place_id]
        words = f"leg{'s' if len(positions) > 1 else ''} {', '.join(map(str, positions))}" if positions else "the incident"
        places.append({"id": place_id, "label": place["name"], "lat": place["lat"], "lon": place["lon"],
                       "count": max(1, len(positions)), "title": f"{place['name']}: {words}"})
    maps = place_map.place_map(places)
    if not maps:
        return None
    for drawn in maps.values():
        at = {point["id"]: (point["x"], point["y"]) for point in drawn["points"]}
        route = [at[stop] for stop in stops if stop in at]
        drawn["route"] = "M" + " L".join(f"{x} {y}" for x, y in route) if len(route) > 1 else None
    return maps


def timeline(incident, legs):
    """The dated moments in order: the incident's date, then each dated leg, earliest first."""
    moments = [{"date": leg["date"], "what": f"Leg {leg['position']}: {summary(leg, dated=False)}"} for leg in legs if leg["date"]]
    moments.sort(key=lambda m: (m["date"]["from"], m["date"]["to"]))
    return moments


def testimony_incidents(db, testimony_id, book):
    """The incidents a testimony is a source of, described, for its page."""
    ids = store_incidents.incidents_of(db, [testimony_id]).get(testimony_id, [])
    found = store_incidents.incidents_by_id(db, ids)
    return [describe(found[i], book) for i in ids if i in found]
