"""The codebook as people browse it: the abuse-type tree with counts, places, perpetrators.

Plain functions of the codebook and of counts from `store.code_counts` (already limited to the
testimonies the person may open); the views only display what these return. A filter query is
matched folded ('kuznica' finds Kuźnica) against labels, ids, definitions, terms and spellings.
"""
from archive.i18n import LANGUAGES
from archive.text import direction, fold


def search_text(*parts):
    """One folded string to match a filter against (also what the page's script filters on)."""
    return fold(" ".join(str(part) for part in parts if part))


def matches(query, text):
    words = fold(query or "").split()
    return all(word in text for word in words)


def abuse_tree(codebook, counts, query=None):
    """Every abuse type in tree order, with depth, its own code count and its subtree's; with a
    query, the matching types and the ancestors that place them (marked `context`)."""
    rows = []
    for abuse in _tree_order(codebook):
        own = counts.get(abuse["id"], (0, 0))[0]
        rows.append({
            "id": abuse["id"], "label": codebook.label("abuse_type", abuse["id"]),
            "definition": codebook.definition(abuse["id"]),
            "depth": len(codebook.ancestors(abuse["id"])) - 1, "codes": own,
            "total": sum(counts.get(d, (0, 0))[0] for d in descendants(codebook, abuse["id"])),
            "ancestors": codebook.ancestors(abuse["id"])[1:],
            "search": search_text(abuse["id"], abuse["label"], abuse.get("definition"),
                                  *abuse["labels"].values(), *abuse["definitions"].values(),
                                  *(t for terms in abuse["terms"].values() for t in terms)),
        })
    if not query:
        return rows
    hits = {row["id"] for row in rows if matches(query, row["search"])}
    shown = hits | {a for row in rows if row["id"] in hits for a in row["ancestors"]}
    return [{**row, "context": row["id"] not in hits} for row in rows if row["id"] in shown]


def descendants(codebook, abuse_type):
    """The abuse type and every type under it."""
    return [a for a in codebook.abuse_types if abuse_type in codebook.ancestors(a)]


def abuse_type_detail(codebook, abuse_type, counts):
    abuse = codebook.abuse_types[abuse_type]
    children = [c for c in codebook.abuse_types.values() if c["parent"] == abuse_type]
    return {
        **abuse,
        "label": codebook.label("abuse_type", abuse_type), "definition": codebook.definition(abuse_type),
        "languages": in_every_language(codebook, abuse_type),
        "parent": {"id": abuse["parent"], "label": codebook.label("abuse_type", abuse["parent"])}
                  if abuse["parent"] else None,
        "children": [{**c, "label": codebook.label("abuse_type", c["id"]), "codes": counts.get(c["id"], (0, 0))[0]}
                     for c in children],
        "legal": [{**codebook.legal_provisions[p], "title": codebook.title(p)} for p in abuse["legal"]],
        "terms": [{"language": lang, "dir": direction(lang), "terms": terms}
                  for lang, terms in abuse["terms"].items() if terms],
        "codes": counts.get(abuse_type, (0, 0))[0],
        "total": sum(counts.get(d, (0, 0))[0] for d in descendants(codebook, abuse_type)),
    }


def in_every_language(codebook, abuse_type):
    """The abuse type's label and definition in each interface language, English first; a language
    the codebook has no words for says so (`missing`) rather than repeat the English."""
    entry = codebook.abuse_types[abuse_type]
    return [{"language": code, "name": name, "dir": direction(code),
             "label": entry["label"] if code == "en" else entry["labels"].get(code),
             "definition": entry.get("definition") if code == "en" else entry["definitions"].get(code),
             "missing": code != "en" and code not in entry["labels"]}
            for code, name in LANGUAGES.items()]


def places(codebook, counts, query=None):
    """Every place (by name), with its variants and how many testimonies are coded there."""
    rows = [{**place, "testimonies": counts.get(place["id"], (0, 0))[1],
             "search": search_text(place["id"], place["name"], place["country"], place.get("type"),
                                   *place["variants"])}
            for place in sorted(codebook.places.values(), key=lambda p: fold(p["name"]))]
    return [row for row in rows if matches(query, row["search"])] if query else rows


def perpetrators(codebook, counts):
    """Sides, each with its units, and non-state actors, with the codes naming each."""
    def with_count(p):
        return {**p, "label": codebook.label("perpetrator", p["id"]), "codes": counts.get(p["id"], (0, 0))[0]}
    sides = [with_count(p) for p in codebook.perpetrators.values() if p["kind"] == "state"]
    for side in sides:
        side["units"] = [with_count(p) for p in codebook.perpetrators.values()
                         if p["kind"] == "unit" and p["side"] == side["id"]]
    non_state = [with_count(p) for p in codebook.perpetrators.values() if p["kind"] == "non_state"]
    return sides, non_state


def _tree_order(codebook):
    def walk(parent):
        for abuse in codebook.abuse_types.values():
            if abuse["parent"] == parent:
                yield abuse
                yield from walk(abuse["id"])
    return list(walk(None))


def as_document(codebook):
    """The whole codebook as plain data, for the API: the abuse-type tree (in the tree order of the codebook
    page, each type with its terms and legal provisions), the perpetrators by side, the places by name."""
    nodes = {}
    roots = []
    for row in abuse_tree(codebook, {}):
        abuse = codebook.abuse_types[row["id"]]
        nodes[row["id"]] = node = {
            "id": row["id"], "label": row["label"], "definition": row["definition"],
            "terms": {lang: terms for lang, terms in abuse["terms"].items() if terms},
            "legal": [{**codebook.legal_provisions[p], "label": codebook.label("legal", p), "title": codebook.title(p)}
                      for p in abuse["legal"]],
            "children": []}
        (nodes[abuse["parent"]]["children"] if abuse["parent"] else roots).append(node)
    sides, non_state = perpetrators(codebook, {})
    return {"version": codebook.version, "abuse_types": roots,
            "perpetrators": {"sides": [{**side, "units": [{**u, "aliases": u.get("aliases", [])} for u in side["units"]]}
                                       for side in sides], "non_state": non_state},
            "places": places(codebook, {})}
