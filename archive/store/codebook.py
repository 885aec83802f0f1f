"""The codebook's tables, and how often each of its values is used (the codebook browser)."""

from archive.store.rows import insert_rows


def save_codebook(db, book):
    """Replace the codebook tables with `book`; codes keep pointing at the same stable ids."""
    db["abuse_type_legal"].delete_where()
    db["abuse_type_term"].delete_where()
    db["place_variant"].delete_where()
    # The tables hold the English labels; their translations stay in the codebook file (archive/codebook).
    db["legal_provision"].upsert_all(
        ({k: p.get(k) for k in ("id", "instrument", "article", "title")} for p in book.legal_provisions.values()),
        pk="id")
    # Parents before children, so that the foreign key to `parent` always resolves.
    ordered = sorted(book.abuse_types.values(), key=lambda a: len(book.ancestors(a["id"])))
    db["abuse_type"].upsert_all(
        ({k: a.get(k) for k in ("id", "label", "parent", "definition")} for a in ordered), pk="id")
    insert_rows(db, "abuse_type_legal", (
        {"abuse_type": a["id"], "legal_provision": p} for a in ordered for p in a["legal"]))
    insert_rows(db, "abuse_type_term", (
        {"abuse_type": a["id"], "language": lang, "term": term}
        for a in ordered for lang, terms in a["terms"].items() for term in dict.fromkeys(terms)))
    db["perpetrator"].upsert_all(
        ({k: p[k] for k in ("id", "label", "kind", "side")} for p in book.perpetrators.values()), pk="id")
    db["place"].upsert_all(
        ({k: p.get(k) for k in ("id", "name", "country", "type", "lat", "lon")} for p in book.places.values()),
        pk="id")
    insert_rows(db, "place_variant", (
        {"place_id": p["id"], "spelling": s} for p in book.places.values() for s in dict.fromkeys(p["variants"])))
    db["date_precision"].upsert_all(
        ({k: d.get(k) for k in ("id", "label", "example")} for d in book.date_precisions.values()), pk="id")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('codebook_version', ?)", [book.version])

def codebook_version(db):
    row = db.execute("SELECT value FROM meta WHERE key = 'codebook_version'").fetchone()
    return row[0] if row else None

_COUNTED = {
    "abuse_type": "c.abuse_type",
    "place_id": "c.place_id",
    "perpetrator": "cp.perpetrator_id",
}

def code_counts(db, by, scope):
    """{value: (codes, testimonies)} for `by` ('abuse_type', 'place_id' or 'perpetrator'), over the
    testimonies in `scope` only ({'confidentiality': [...], 'consent': [...]}, access.search_scope),
    so that a count never reveals testimonies the person may not open. Settled codes only (not the
    blind codings of double coding)."""
    column = _COUNTED[by]
    joins = "JOIN code_perpetrator cp ON cp.code_id = c.id" if by == "perpetrator" else ""
    levels, consents = scope.get("confidentiality", []), scope.get("consent", [])
    if not levels or not consents:
        return {}
    sql = f"""
        SELECT {column}, count(DISTINCT c.id), count(DISTINCT c.testimony_id)
        FROM code c JOIN testimony t ON t.id = c.testimony_id {joins}
        WHERE c.stage = 'coded' AND {column} IS NOT NULL
          AND t.confidentiality IN ({",".join("?" * len(levels))}) AND t.consent IN ({",".join("?" * len(consents))})
        GROUP BY {column}"""
    return {value: (codes, testimonies) for value, codes, testimonies in db.execute(sql, [*levels, *consents])}
