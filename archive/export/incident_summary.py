"""What the exports say of incidents: the JSON export's counts of testimonies, incidents and people
(archive.incidents.counts.summary, the one way the statistics page and the PDF count too), the incidents
its testimonies are sources of, and each record's incidents (its CSV row's too).

The selection is already narrowed to what may leave (selection.py); an incident's sources outside it
are counted, never named. Source titles are not repeated here: a record's title is redacted, and only
the records carry it.
"""
from archive import store
from archive.incidents import counts, pages
from archive.store import incidents as store_incidents


def summary(db, codebook, references):
    return counts.summary(db, codebook, list(references))


def incidents(db, codebook, references):
    """Every incident a testimony of `references` is a source of, with its legs, in number order."""
    held = store.testimony_rows_by_reference(db, list(references))
    linked = store_incidents.incidents_of(db, [row["id"] for row in held.values()])
    found = []
    for incident_id in sorted({i for ids in linked.values() for i in ids}):
        sources = {source["reference"] for source in store_incidents.sources_of(db, incident_id)}
        inside = sorted(sources & set(held))
        found.append({**pages.read(db, incident_id, codebook), "sources": inside,
                      "other_sources": len(sources) - len(inside), "sources_count": len(sources)})
    return found


def of_testimonies(db, testimony_ids):
    """{testimony id: [{id, external_id, title}, ...]}: the incidents each is a source of."""
    linked = store_incidents.incidents_of(db, testimony_ids)
    described = store_incidents.incidents_by_id(db, sorted({i for ids in linked.values() for i in ids}))
    return {testimony_id: [{k: described[i][k] for k in ("id", "external_id", "title")} for i in ids if i in described]
            for testimony_id, ids in linked.items()}
