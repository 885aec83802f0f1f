"""Queries: words or Whoosh query language, plus facet filters -> ranked hits and facet counts.

Keep one `Searcher` per process: opening a Whoosh searcher on a large index takes seconds
(PITFALLS.md), so it is opened once and refreshed only when the index has changed on disk.
User queries never raise: a query the parser cannot read is searched as plain words instead
and the answer says so (`reinterpreted`).
"""
import itertools
import os
import re
import threading

from whoosh import qparser
from whoosh.query import Every

from archive.text import WORD
from search_index import facets as facet_bits
from search_index.indexer import open_index
from search_index.schema import FACETS, TEXT_FIELDS

MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64
FIELD_PREFIX = re.compile(r"(?<![\w:/])([A-Za-z_]\w*):(?!//)")


class UnknownFacet(ValueError):
    """A filter names a field that is not a facet."""


class Searcher:
    def __init__(self, index_path, codebook):
        self.index_path = str(index_path)
        self.label = facet_bits.labeller(codebook)
        self._lock = threading.Lock()
        self._stamp = None
        self._searcher = None

    def close(self):
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def search(self, query="", filters=None, limit=20, offset=0):
        """{'query', 'reinterpreted', 'total', 'results': [{reference, title, score, incident_start}], 'facets'}."""
        filters = {name: list(values) for name, values in (filters or {}).items() if values}
        unknown = sorted(set(filters) - set(FACETS))
        if unknown:
            raise UnknownFacet(f"unknown filter field(s): {', '.join(unknown)}; facets are: {', '.join(FACETS)}")
        with self._lock:
            self._refresh()
            parsed, reinterpreted = self._parse((query or "").strip())
            bits = self._bits
            selected = bits.selection(filters)
            if parsed is None:
                text_matches = bits.live
            else:
                size = self._searcher.doc_count_all()
                text_matches = facet_bits.bits_of(self._searcher.docs_for_query(parsed), size) & bits.live
            matches = text_matches
            for selection in selected.values():
                matches &= selection
            return {
                "query": query, "reinterpreted": reinterpreted, "total": matches.bit_count(),
                "results": self._page(parsed, matches, filters, limit, offset),
                "facets": bits.counts(text_matches, selected, filters, self.label),
            }

    def _page(self, parsed, matches, filters, limit, offset):
        if limit <= 0:
            return []
        if parsed is None:  # no words: every match, in reference order
            members = set(facet_bits.docnums_of(matches))
            in_order = (d for d in self._by_reference if d in members)
            return [self._hit(d, None) for d in itertools.islice(in_order, offset, offset + limit)]
        allowed = set(facet_bits.docnums_of(matches)) if filters else None
        hits = self._searcher.search(parsed, limit=offset + limit, filter=allowed)
        return [self._hit(hit.docnum, hit.score) for hit in hits[offset:offset + limit]]

    def _hit(self, docnum, score):
        stored = self._searcher.stored_fields(docnum)
        return {"reference": stored["reference"], "title": stored["title"], "score": score,
                "incident_start": stored.get("incident_start") or None}

    def _parse(self, text):
        """(query or None for 'everything', whether the text had to be read as plain words)."""
        if not text:
            return None, False
        words = WORD.findall(text)
        too_long = len(text) > MAX_QUERY_CHARS or len(words) > MAX_QUERY_TERMS
        named = {m.group(1) for m in FIELD_PREFIX.finditer(text)}
        if not too_long and named <= self._fields:
            try:
                return self._parser.parse(text), False
            except Exception:  # Whoosh raises IndexError, RecursionError and others on odd input
                pass
        plain = " ".join(words[:MAX_QUERY_TERMS])
        return (self._plain_parser.parse(plain) if plain else Every()), True

    def _refresh(self):
        """Reopen the searcher and facet bitsets when the index changed (or was rebuilt and swapped)."""
        ix = open_index(self.index_path)
        stamp = (os.stat(self.index_path).st_ino, ix.latest_generation())
        if stamp == self._stamp:
            return
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = ix.searcher()
        self._stamp = stamp
        schema = ix.schema
        self._fields = set(schema.names())
        self._parser = _parser(schema)
        self._plain_parser = _parser(schema, plain=True)
        self._bits = facet_bits.FacetBits(self._searcher.reader())
        stored = ((d, self._searcher.stored_fields(d)["reference"]) for d in self._searcher.reader().all_doc_ids())
        self._by_reference = [d for d, _ in sorted(stored, key=lambda pair: pair[1])]


def _parser(schema, plain=False):
    """The query-language parser, or (plain) one that reads only words, any of them matching:
    when the query could not be read, showing statements that match most of its words is kinder
    than an empty page."""
    group = qparser.OrGroup.factory(0.9) if plain else qparser.AndGroup
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=group)
    parser.remove_plugin_class(qparser.GtLtPlugin)  # raises on input such as ">2" (PITFALLS.md)
    if plain:
        for plugin in (qparser.WildcardPlugin, qparser.PhrasePlugin, qparser.GroupPlugin,
                       qparser.OperatorsPlugin, qparser.FieldsPlugin, qparser.RangePlugin,
                       qparser.BoostPlugin, qparser.PlusMinusPlugin, qparser.EveryPlugin,
                       qparser.SingleQuotePlugin):
            parser.remove_plugin_class(plugin)
    return parser
