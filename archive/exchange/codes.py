"""Our codebook as REFI-QDA `<Code>` elements, shared by the .qdc codebook and the .qdpx project.

Abuse types nested as in the codebook (each top-level category with its colour on the coding page),
then a group of the perpetrators (each state side with its units) and one of the places; every code
has a GUID kept in `exchange_guid`, so every file names it the same way.
"""
from lxml import etree

from archive.store import exchange as store_exchange
from archive.store.db import write_transaction

# The darker colour of each top-level category, as archive/static/archive.css draws its passages.
COLOURS = {
    "physical_violence": "#B42318", "degrading_treatment": "#6F3C98", "deprivation": "#1B5E9E",
    "property_violation": "#A55D00", "expulsion": "#1C6B44", "liberty_and_procedure": "#7A6500",
    "death_or_disappearance": "#30363B",
}
GROUPS = {"perpetrators": "Perpetrators", "places": "Places"}


def ensure_guids(db, codebook):
    """{(kind, id): GUID} for every abuse type, perpetrator, place and group; a write only when the
    codebook has something new (a download of the codebook is otherwise a read)."""
    kinds = (("abuse_type", codebook.abuse_types), ("perpetrator", codebook.perpetrators),
             ("place", codebook.places), ("group", GROUPS))
    given = {(kind, key): guid for kind, _ in kinds for key, guid in store_exchange.known_guids(db, kind).items()}
    if all((kind, key) in given for kind, ids in kinds for key in ids):
        return given
    with write_transaction(db):
        for kind, ids in kinds:
            given.update({(kind, key): guid for key, guid in store_exchange.guids_for(db, kind, ids).items()})
    return given


def codes_element(ns, codebook, guids, places=None):
    """<Codes> in namespace `ns`; `places`: the place ids to include (None: every place)."""
    codes = etree.Element(f"{{{ns}}}Codes")
    children = {}
    for abuse in codebook.abuse_types.values():
        children.setdefault(abuse["parent"], []).append(abuse)

    def add_abuse(parent, abuse):
        top = codebook.ancestors(abuse["id"])[-1]
        element = _code(parent, ns, guids[("abuse_type", abuse["id"])], abuse["label"], COLOURS.get(top),
                        _description(abuse))
        for child_abuse in children.get(abuse["id"], []):
            add_abuse(element, child_abuse)

    for abuse in children.get(None, []):
        add_abuse(codes, abuse)
    group = _code(codes, ns, guids[("group", "perpetrators")], GROUPS["perpetrators"], None,
                  "Who did it: a state's forces (each side with its units) or a non-state actor.", codable=False)
    sides = {}
    for perpetrator in codebook.perpetrators.values():
        parent = sides.get(perpetrator["side"], group) if perpetrator["kind"] == "unit" else group
        element = _code(parent, ns, guids[("perpetrator", perpetrator["id"])], perpetrator["label"], None,
                        "Also written: " + ", ".join(perpetrator["aliases"]) if perpetrator.get("aliases") else None)
        if perpetrator["kind"] == "state":
            sides[perpetrator["id"]] = element
    wanted = [p for p in codebook.places.values() if places is None or p["id"] in places]
    if wanted:
        group = _code(codes, ns, guids[("group", "places")], GROUPS["places"], None,
                      "Where: the gazetteer's places, each with the spellings it is known by.", codable=False)
        for place in wanted:
            spellings = f"; also written: {', '.join(place['variants'])}" if place["variants"] else ""
            _code(group, ns, guids[("place", place["id"])], place["name"], None, place["country"] + spellings)
    return codes


def _code(parent, ns, guid, name, colour, description, codable=True):
    attributes = {"guid": guid, "name": name, "isCodable": "true" if codable else "false"}
    if colour:
        attributes["color"] = colour
    element = etree.SubElement(parent, f"{{{ns}}}Code", attributes)
    if description:
        etree.SubElement(element, f"{{{ns}}}Description").text = description
    return element


def _description(abuse):
    """The definition, then the terms in each language, so that a name in any language travels."""
    terms = "; ".join(f"{language}: {', '.join(words)}" for language, words in abuse["terms"].items() if words)
    parts = [abuse.get("definition") or "", f"Terms: {terms}" if terms else ""]
    return "\n".join(part for part in parts if part) or None
