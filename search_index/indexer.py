"""Building and keeping the index in step with SQLite.

SQLite commits first and the index follows, so the only possible disagreement is an index that
lags behind (a crash between the two commits) or holds something SQLite no longer has. `drift`
finds both; `update` fixes named testimonies; `rebuild` makes a new index beside the old one
and swaps it in, so a failed rebuild never leaves the archive without an index.
"""
import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass, field

from whoosh import index

from archive import errors, languages
from archive.i18n import say
from search_index import analysis, concepts, schema
from search_index.codec import Codec
from search_index.storage import MappedStorage

OPEN_ATTEMPTS = 5       # reads of a table of contents another process's commit replaced
WRITER_TIMEOUT_S = 30   # wait for another process's writer rather than fail (else Whoosh raises LockError)
BULK_THRESHOLD = 2000   # above this many documents, index with two processes
MONTH_FACET_MAX_DAYS = 366


class IndexMissing(errors.Unavailable):
    """There is no usable index at the path: run `archive reindex`."""


class IndexOutdated(IndexMissing):
    """The index was built by another version of the archive (other fields or analyzers): searching
    or writing it would be wrong, so it must be rebuilt from the database (`archive reindex`)."""


def open_index(path):
    if not index.exists_in(str(path)):
        raise IndexMissing(say("no search index at %(path)s; run `archive reindex`", path=path))
    return MappedStorage(str(path)).open_index()


def open_current(path):
    """The index, if it was built with this version's schema; else IndexOutdated.

    Opening reads the newest table of contents (`_MAIN_<n>.toc`) with no lock, as Whoosh does: a
    writer in another process may commit generation n + 1 and delete n between our listing the files
    and reading it (FileNotFoundError). Then the newer one is there: read again."""
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            ix = open_index(path)
            found = ix.schema  # Whoosh reads the table of contents again for it
            break
        except FileNotFoundError:
            if attempt == OPEN_ATTEMPTS:
                raise
            time.sleep(0.01 * attempt)
    differing = schema.outdated(found)
    if differing:
        raise IndexOutdated(say("the search index at %(path)s was built by another version of the archive "
                                "(fields %(fields)s differ); run `archive reindex`", path=path,
                                fields=", ".join(differing[:5]) + (" …" if len(differing) > 5 else "")))
    return ix


def create(path):
    os.makedirs(path, exist_ok=True)
    return MappedStorage(str(path)).create_index(schema.build())


def document(record, codebook):
    """The index document for one testimony record (see archive.store.iter_index_records)."""
    facets = {name: set() for name in schema.FACETS}
    code_words, place_words, incidents = [], [], []
    for code in [*record["codes"], _stated_incident(record)]:
        if code["abuse_type"]:
            facets["abuse_type"].update(codebook.ancestors(code["abuse_type"]))
            facets["legal"].update(codebook.legal_for(code["abuse_type"]))
            code_words.append(_abuse_words(codebook.abuse_types[code["abuse_type"]]))
        for perpetrator in code["perpetrators"]:
            facets["perpetrator"].update((perpetrator, codebook.side_of(perpetrator)))
        if code["place_id"]:
            place = codebook.places[code["place_id"]]
            facets["place"].add(place["id"])
            facets["country"].update(codebook.place_countries(place["id"]))
            place_words.extend([place["name"], *place["variants"]])
        if code["place_text"]:
            place_words.append(code["place_text"])
        if code["date_from"]:
            incidents.append(f"{code['date_from']}/{code['date_to']}")
            _add_periods(facets, code)
    facets["nationality"].add(record["nationality"] or "unknown")
    facets["gender"].add(record["gender"] or "unknown")
    facets["minor"].add({1: "yes", 0: "no"}.get(record["minor"], "unknown"))
    language = (languages.of(record) or "").lower()  # stated, else detected: what it is read in
    facets["language"].add(language or "unknown")
    for name in ("confidentiality", "consent", "status"):
        facets[name].add(record[name] or "unknown")
    facets["incident"].add("linked" if record.get("incident_ids") else "not_linked")
    recognised = concepts.vocabulary(codebook).found_in(record["text"], language)
    in_language = {analysis.field_of(language): record["text"]} if analysis.field_of(language) else {}
    texts = {"title": record["title"] or "", "text": record["text"], **in_language,
             "places": "\n".join(dict.fromkeys(place_words)), "codes": "\n".join(code_words)}
    return {
        "id": str(record["id"]), "reference": record["reference"], "revision": record["revision"],
        **texts, **{schema.pairs_of(name): _pairs(name, value) for name, value in texts.items()},
        **{field: " ".join(sorted(c.term for c in recognised if c.field == field))
           for field in (concepts.CONCEPTS_FIELD, concepts.NAMED_FIELD)},
        "incident_start": min(incidents)[:10] if incidents else "",
        "incidents": " ".join(sorted(set(incidents))),
        **{name: " ".join(sorted(values)) for name, values in facets.items()},
    }


def _pairs(fieldname, text):
    """The word pairs of a text field, from the words concept recognition read (analysis.read keeps the split)."""
    return analysis.pairs_text(analysis.read(schema.ANALYZERS[fieldname], text).words)


def _stated_incident(record):
    """The incident the intake stated (archive/intake/incident.py), read as a code without an abuse type:
    its place, date and perpetrators count in the facets, the period and the sort like a code's."""
    return {"abuse_type": None, "perpetrators": record.get("incident_perpetrators", []),
            **{name: record.get(f"incident_{name}") for name in
               ("place_id", "place_text", "date_from", "date_to", "date_precision")}}


def _abuse_words(abuse_type):
    terms = [term for words in abuse_type["terms"].values() for term in words]
    return " ".join([abuse_type["label"], *terms])


def _add_periods(facets, code):
    start, end = dt.date.fromisoformat(code["date_from"]), dt.date.fromisoformat(code["date_to"])
    facets["year"].update(str(year) for year in range(start.year, end.year + 1))
    # A month facet only where the date says which month(s): not for "2021" or a long range.
    if code["date_precision"] != "year" and (end - start).days <= MONTH_FACET_MAX_DAYS:
        month = start.replace(day=1)
        while month <= end:
            facets["month"].add(month.strftime("%Y-%m"))
            month = (month + dt.timedelta(days=32)).replace(day=1)


def _writer_options(expected):
    """Two indexing processes for bulk work (about twice as fast), one otherwise."""
    if expected > BULK_THRESHOLD:
        return {"procs": 2, "multisegment": True, "limitmb": 128, "codec": Codec()}
    return {"limitmb": 128, "codec": Codec()}


def update(path, records, codebook, expected=0):
    """Add or replace the documents for `records`; returns how many were written."""
    ix = open_current(path)
    count = 0
    with ix.writer(timeout=WRITER_TIMEOUT_S, delay=0.05, **_writer_options(expected)) as writer:
        for record in records:
            writer.update_document(**document(record, codebook))
            count += 1
    return count


def delete(path, testimony_ids):
    ix = open_index(path)
    with ix.writer(timeout=WRITER_TIMEOUT_S, delay=0.05) as writer:
        for testimony_id in testimony_ids:
            writer.delete_by_term("id", str(testimony_id))


def traces(path, testimony_ids):
    """The testimonies among `testimony_ids` that any segment still holds, live or deleted: what
    `archive check` reports after a purge that did not finish."""
    terms = {str(testimony_id): testimony_id for testimony_id in testimony_ids}
    if not terms:
        return []
    found = set()
    with open_index(path).reader() as reader:
        for leaf, _ in reader.leaf_readers():
            found.update(testimony_id for term, testimony_id in terms.items() if ("id", term) in leaf)
    return sorted(found)


def rebuild(path, records, codebook, expected=0):
    """A complete new index from `records`, swapped in for the old one when it is finished."""
    path = os.path.abspath(path)
    fresh, stale = path + ".new", path + ".old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    ix = create(fresh)
    count = 0
    with ix.writer(**_writer_options(expected)) as writer:
        for record in records:
            writer.add_document(**document(record, codebook))
            count += 1
    if os.path.exists(path):
        os.replace(path, stale)
    os.replace(fresh, path)
    shutil.rmtree(stale, ignore_errors=True)
    return count


@dataclass
class Drift:
    missing: list = field(default_factory=list)  # in SQLite, not in the index
    stale: list = field(default_factory=list)    # in both, the index holding an older revision
    extra: list = field(default_factory=list)    # in the index, not in SQLite
    duplicated: list = field(default_factory=list)  # indexed more than once
    outdated_fields: list = field(default_factory=list)  # the index was built with another schema
    purged: list = field(default_factory=list)   # purged in SQLite, yet some segment still holds a trace

    def __bool__(self):
        return bool(self.missing or self.stale or self.extra or self.duplicated or self.outdated_fields
                    or self.purged)

    def to_fix(self):
        return sorted(set(self.missing) | set(self.stale) | set(self.duplicated))


def drift(path, revisions, purged=()):
    """Compare the index with `revisions` ({testimony id: revision}, from SQLite); `purged`: ids of
    purged testimonies, of which no segment may hold any trace."""
    ix = open_index(path)
    found = Drift()
    found.outdated_fields = schema.outdated(ix.schema)
    indexed = {}
    with ix.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            testimony_id = int(stored["id"])
            if testimony_id in indexed:
                found.duplicated.append(testimony_id)
            indexed[testimony_id] = stored["revision"]
    for testimony_id, revision in revisions.items():
        if testimony_id not in indexed:
            found.missing.append(testimony_id)
        elif indexed[testimony_id] != revision:
            found.stale.append(testimony_id)
    found.extra = sorted(set(indexed) - set(revisions))
    found.purged = traces(path, purged)
    return found
