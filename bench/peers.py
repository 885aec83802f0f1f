"""The peers the archive is measured against: raw Whoosh (the floor of our design) and Datasette.

- Raw Whoosh bulk indexing: the same documents (search_index.indexer.document) written straight from
  the generated file with `procs=2, multisegment=True`, without validation or SQLite:
  `python -m bench.peers index FILE.jsonl INDEX_DIR`.
- Raw Whoosh search: the query as our parser reads it, `searcher.search(q, limit=20)` on the archive's
  own index, the facet filters as a Whoosh filter, and the 20 hits' stored fields read; no facet counts.
- Datasette: a copy of archive.db with one more table, `testimony_search` (each testimony's title,
  text and facet values, multi-valued facets as JSON arrays), full-text indexed with FTS5 by
  sqlite-utils, served by a real `datasette serve` on 127.0.0.1 and asked for the table view with
  `_search` and every facet (`_facet` / `_facet_array`).
"""
import json
import sqlite3
import sys
from urllib.parse import urlencode

import sqlite_utils
from whoosh import index as whoosh_index
from whoosh import query as wq

from archive import codebook as codebook_module
from archive import dates, store
from archive.text import normalise
from search_index import indexer, schema
from search_index.searcher import Searcher

ARRAY_FACETS = ("abuse_type", "perpetrator", "legal", "place", "country", "year", "month")
SINGLE_FACETS = tuple(name for name in schema.FACETS if name not in ARRAY_FACETS)
DATASETTE_TABLE = "testimony_search"


# --- raw Whoosh ------------------------------------------------------------------------------

def record_of(number, row, book):
    """A generated row shaped like store.iter_index_records' records (what indexer.document takes)."""
    incident = dates.parse_range(row["incident_date_from"], row.get("incident_date_to"))
    age = row.get("witness_age")
    code = {"perpetrators": row["perpetrators"], "place_id": book.resolve_place(row["location"]),
            "place_text": row["location"], "date_from": incident.start.isoformat(),
            "date_to": incident.end.isoformat(), "date_precision": incident.precision}
    return {"id": number, "reference": row["reference"], "title": row["title"], "text": normalise(row["text"]),
            "language": row["language"], "confidentiality": row["confidentiality"], "consent": row["consent"],
            "status": "new", "revision": 1, "gender": row["witness_gender"], "nationality": row["witness_nationality"],
            "minor": int(age < 18) if isinstance(age, int) else None,
            "codes": [{**code, "abuse_type": abuse_type} for abuse_type in row["abuse_types"]]}


def bulk_index(source, index_dir):
    """Index every row of a generated JSON Lines file into a new index, two processes."""
    book = codebook_module.load()
    ix = indexer.create(index_dir)
    count = 0
    with ix.writer(procs=2, multisegment=True, limitmb=128) as writer, open(source, encoding="utf-8") as rows:
        for number, line in enumerate(rows, 1):
            writer.add_document(**indexer.document(record_of(number, json.loads(line), book), book))
            count += 1
    return count


class RawWhoosh:
    """Searches straight on a Whoosh index, with the query exactly as our parser reads it."""

    def __init__(self, index_path, book):
        self.ours = Searcher(index_path, book)
        self.ours.search("")  # opens it, so that its parser exists
        self.searcher = whoosh_index.open_dir(str(index_path)).searcher()

    def parse(self, text):
        parsed = self.ours._parse(text.strip())[0]  # our parser, as Searcher.search itself calls it
        return wq.Every() if parsed is None else parsed

    def search(self, text, filters):
        restrict = wq.And([wq.Or([wq.Term(name, value) for value in values]) for name, values in filters.items()])
        hits = self.searcher.search(self.parse(text), limit=20, filter=restrict if filters else None)
        return len(hits), [hit["reference"] for hit in hits]

    def close(self):
        self.searcher.close()
        self.ours.close()


# --- Datasette -------------------------------------------------------------------------------

def build_datasette_copy(archive_db, target, book):
    """A copy of the archive's SQLite file with `testimony_search` and its FTS5 table; returns its path."""
    target.unlink(missing_ok=True)
    source = sqlite3.connect(archive_db)
    copy = sqlite3.connect(target)
    source.backup(copy)
    source.close()
    db = sqlite_utils.Database(copy)
    db.execute("PRAGMA journal_mode = DELETE")
    db[DATASETTE_TABLE].insert_all(
        (_facet_row(indexer.document(record, book)) for record in store.iter_index_records(db)),
        pk="id", batch_size=500)
    db[DATASETTE_TABLE].enable_fts(["title", "text"], fts_version="FTS5", tokenize="unicode61 remove_diacritics 2")
    db.execute("ANALYZE")
    copy.close()
    return target


def _facet_row(document):
    row = {"id": int(document["id"]), "reference": document["reference"], "title": document["title"],
           "text": document["text"]}
    for name in ARRAY_FACETS:
        row[name] = json.dumps(document[name].split())
    for name in SINGLE_FACETS:
        row[name] = document[name]
    return row


def datasette_command(database, port):
    """`datasette serve` with no time limits (a timed-out facet would be a fast wrong answer) and no
    facet suggestions (our page suggests none either)."""
    settings = {"sql_time_limit_ms": 120000, "facet_time_limit_ms": 120000, "suggest_facets": "off",
                "max_returned_rows": 1000, "num_sql_threads": 3}
    options = [item for name, value in settings.items() for item in ("--setting", name, str(value))]
    return [sys.executable, "-m", "datasette", "serve", str(database), "--host", "127.0.0.1", "--port", str(port),
            *options]


def datasette_path(database, text, filters, html=False):
    """The table view's URL for one search with every facet, as a user of Datasette would ask it."""
    params = [("_search", text)] if text else []
    params += [("_facet_array", name) for name in ARRAY_FACETS] + [("_facet", name) for name in SINGLE_FACETS]
    params += [(f"{name}__arraycontains" if name in ARRAY_FACETS else name, value)
               for name, values in filters.items() for value in values]
    params += [("_size", "20"), ("_facet_size", "max"), ("_col", "reference"), ("_col", "title")]
    return f"/{database.stem}/{DATASETTE_TABLE}{'' if html else '.json'}?{urlencode(params)}"


def main():
    command, *args = sys.argv[1:]
    if command == "index":
        print(bulk_index(*args))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
