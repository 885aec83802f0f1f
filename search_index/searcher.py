"""Queries: words or Whoosh query language, facet filters and a period -> ranked hits and facet counts.

Keep one `Searcher` per process: opening a Whoosh searcher on a large index takes seconds,
so it is opened once and refreshed only when the index has changed on disk.
User queries never raise: a query the parser cannot read is searched as plain words instead
and the answer says so (`reinterpreted`).

What a plain query matches (search_index.concepts): its words, in any case or accent, and their
inflections in every language the archive holds (a query carries no language, so each word is read
by each language's analyzer); the places and abuse types recognised in it, however a statement
says them (one `concepts` term each, found when the statement was indexed); and the testimonies
coded with all the recognised concepts, even where the words differ.

A plain query (no operators, quotes or field names) is a natural one: the statements matching all
its words come first (those also coded with what it names first of all); then, under the line
"matching some of your words", those matching some, by how many and by BM25. A query in the query
language is taken literally. The answer's `mode` says which ("natural" or "literal").
"""
import datetime as dt
import itertools
import os
import re
import threading
import time

import numpy as np
from whoosh import qparser
from whoosh import query as wq
from whoosh.reading import ReaderClosed

from archive import errors
from archive.i18n import say
from archive.text import WORD, fold
from schemas.validators import REFERENCE
from search_index import concepts as concept_words
from search_index import expansion
from search_index import facets as facet_bits
from search_index import vectorised
from search_index.analysis import FOLDED
from search_index.concepts import ConceptPlugin
from search_index.indexer import open_current
from search_index.postings import PostingsCache
from search_index.schema import FACETS, LANGUAGE_BOOST, LANGUAGE_FIELDS, TEXT_FIELDS
from search_index.tables import Tables

REFRESH_ATTEMPTS = 5
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64
SORTS = ("relevance", "newest", "oldest", "reference")
WORDS = ("some", "all")  # a natural search: all its words first, then some; or only all
FIELD_PREFIX = re.compile(r"(?<![\w:/])([A-Za-z_]\w*):(?!//)")
QUERY_LANGUAGE = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[()*?+\-^~\[\]{}\"]|\w:")
FOLDED_FIELDS = {"title", "text", "places"}  # their words are marked as written (folded)
NATURAL, LITERAL = "natural", "literal"
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
SUGGESTED_WORDS = 8         # 'did you mean' looks at this many words of a query at most…
MIN_SUGGESTED_LENGTH = 4    # …each at least this long (a 3-letter word is 2 edits from too many others)…
MAX_SUGGESTED_LENGTH = 40   # …and no longer than this: the edit-distance search grows with length
BINARY_OPERATOR = re.compile(r"^\s*(AND|OR|ANDNOT|ANDMAYBE)\b|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\s*$")


class UnknownFacet(errors.Invalid):
    status = 400
    """A filter names a field that is not a facet."""


class Searcher:
    def __init__(self, index_path, codebook):
        self.index_path = str(index_path)
        self.label = facet_bits.labeller(codebook)
        self.vocabulary = concept_words.vocabulary(codebook)
        self._lock = threading.Lock()
        self._stamp = None
        self._searcher = None
        self._segments = {}  # segment id -> its tables (search_index.tables)
        self._postings = PostingsCache()  # segments' postings as arrays, within a memory bound

    def close(self):
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def search(self, query="", filters=None, date_from=None, date_to=None, sort="relevance", limit=20, offset=0,
               scope=None, words="some"):
        """Everything a results page needs, as plain data (see schemas.search.SearchResultsSchema).

        `filters` is {facet: [values]}; `date_from` / `date_to` (dates, inclusive) keep testimonies
        with an incident that may fall in that period, however partial its date. `scope`
        ({facet: allowed values}, from archive.security.access.search_scope) limits everything, counts and
        suggestions included, to what the user may open; None is no limit (the CLI, run by the archivist).
        `words="all"` keeps, of a natural search's matches, only those with all its words (or coded
        with all it names), counts included; a literal query is taken as written either way.
        """
        filters = {name: list(values) for name, values in (filters or {}).items() if values}
        unknown = sorted(set(filters) - set(FACETS))
        if unknown:
            raise UnknownFacet(say("unknown filter field(s): %(fields)s; facets are: %(facets)s",
                                   fields=", ".join(unknown), facets=", ".join(FACETS)))
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if words not in WORDS:
            raise ValueError(f"words must be one of {', '.join(WORDS)}")
        arguments = (query, filters, date_from, date_to, sort, limit, offset, scope, words == "all")
        with self._lock:
            try:
                return self._search(*arguments)
            except (FileNotFoundError, ReaderClosed):
                # A writer in another process merged away segments this searcher was reading:
                # drop everything read so far and answer from a fresh open of the index.
                self._discard()
                return self._search(*arguments)

    def marked_words(self, query):
        """What to mark in a statement for this query, as `search` marks snippets ({analyzer name:
        word sequences}, see search_index.snippets): its words and the terms and spellings of the
        places and abuse types it names."""
        with self._lock:
            self._refresh()
            if self._reference((query or "").strip()):
                return {}
            parsed, _, found, _ = self._parse((query or "").strip())
            return self._highlight(parsed, found)

    def _discard(self):
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # noqa: BLE001 — closing a half-broken reader must not stop the reopen
                pass
        self._searcher, self._stamp, self._segments = None, None, {}

    def _search(self, query, filters, date_from, date_to, sort, limit, offset, scope, only_all):
        self._refresh()
        bits = self._tables.facets
        selected = bits.selection(filters)
        visible = bits.live
        for allowed in bits.selection(scope or {}).values():
            visible &= allowed
        reference = self._reference((query or "").strip(), visible)
        if reference:  # a reference typed into the box means that testimony, not its words
            parsed, reinterpreted, found, plain = wq.Term("reference", reference), False, [], False
        else:
            parsed, reinterpreted, found, plain = self._parse((query or "").strip())
        units = _units(parsed) if plain else []  # a natural query's words (or named concepts)
        notices = []
        if parsed is not None:  # wildcards and the like stand for a bounded number of words
            parsed, notices = expansion.bound(parsed, self._searcher.reader())
        within = visible & self._period(date_from, date_to)
        chosen = within  # …and within every facet filter: what the page shows
        for selection in selected.values():
            chosen &= selection
        unit_hits = [self._evaluate(unit) for unit in units] if len(units) > 1 else []
        unit_bits = [facet_bits.bits_of_mask(hits.mask) for hits in unit_hits]
        if parsed is None:
            scores, words, coded, every = None, within, within, within
        else:  # every match (for the facet counts) with its score (for the page), on whole arrays
            scores = vectorised.union(unit_hits) if unit_hits else self._evaluate(parsed)
            words = facet_bits.bits_of_mask(scores.mask) & within
            coded = self._coded(found) & within if plain else 0
            every = words  # …and those matching all the words
            for unit in unit_bits:
                every &= unit
            if only_all and plain:
                words = every
        text_matches = words | coded
        matches = text_matches & chosen
        total = matches.bit_count()
        concepts = {c for _, cs in found for c in cs}
        counted = _Counted(len(units), unit_hits)
        preferred = self._in_languages_of(found)
        page = self._page(parsed, matches, scores, every, coded, counted, sort, limit, offset, preferred)
        return {
            "query": query, "reinterpreted": reinterpreted, "notices": notices, "total": total,
            "mode": NATURAL if plain else LITERAL, "words": len(units) if plain else None,
            "total_all_words": (matches & (every | coded)).bit_count(),
            "results": [{**self._hit(docnum, score, concepts), "words_matched": counted.of(docnum),
                         "all_words": bool((every | coded) >> docnum & 1)} for docnum, score in page],
            "facets": bits.counts(text_matches, selected, filters, self.label),
            "understood": _once([{"text": text, "kind": c.kind, "value": c.value, "label": c.label}
                                 for text, cs in found for c in sorted(cs, key=str)])
                          + ([{"text": query.strip(), "kind": "reference", "value": reference, "label": reference}]
                             if reference else []),
            "suggestion": self._suggest(query, visible) if parsed is not None and total == 0 else None,
            "highlight": self._highlight(parsed, found),
        }

    def _evaluate(self, query):
        return vectorised.evaluate(query, self._searcher, self._postings)

    def _reference(self, text, visible=None):
        """The reference of an indexed testimony, if the whole query is one (as typed, or in
        capitals: `t-2021-0042` is T-2021-0042) of a testimony in `visible` (bits; None: any); else
        None. A hidden testimony's reference is read as words, as an unknown one is: the page's "The
        testimony with reference …" must not tell a lawyer that a withdrawn testimony exists."""
        if not text or not REFERENCE.fullmatch(text):
            return None
        for candidate in dict.fromkeys((text, text.upper())):
            if not self._searcher.doc_frequency("reference", candidate):
                continue
            if visible is None or any(visible >> docnum & 1 for docnum in
                                      self._searcher.reader().postings("reference", candidate).all_ids()):
                return candidate
        return None

    def _coded(self, found):
        """Bits of the testimonies coded with every concept the query named (any one of a word's)."""
        if not found:
            return 0
        bits = self._tables.facets
        coded = bits.live
        for _, concepts in found:
            coded &= facet_bits.any_of(bits.values[c.kind].get(c.value, 0) for c in concepts)
        return coded

    def _in_languages_of(self, found):
        """Bits of the statements written in a language the query's words are codebook terms of: a lawyer
        who types `избиение` or `psami` reads the statements in that language first."""
        languages = {code for text, _ in found for code in self.vocabulary.languages_of(text)}
        values = self._tables.facets.values.get("language", {})
        return facet_bits.any_of(values.get(code, 0) for code in languages)

    def _period(self, date_from, date_to):
        """Bits of the documents with an incident overlapping [date_from, date_to]."""
        if date_from is None and date_to is None:
            return self._tables.live
        return self._tables.period((date_from or dt.date.min).isoformat(), (date_to or dt.date.max).isoformat())

    def _page(self, parsed, matches, scores, words, coded, counted, sort, limit, offset, preferred=0):
        """[(docnum, score)] of one page. By relevance, in tiers: coded with what the query
        names and matching all its words, then coded only, then matching all the words only; within
        a tier those in the language of the query's words (`preferred`) first, then by the words' score;
        then (a natural query of several words) those matching some of
        its words, by how many and by score. Ties by reference. (Joining words and codes in one Whoosh
        Or gave a wrong top-N in Whoosh 2.7.4, so they are joined here.)"""
        if limit <= 0:
            return []
        score_of = (lambda d: None) if scores is None else scores.score_of
        if parsed is None or sort != "relevance":  # walk the order until the page is full (the empty
            order = self._tables.order("reference" if sort == "relevance" else sort)  # query matches everything)
            has = facet_bits.contains(matches)
            in_order = (d for d in order if has(d))
            return [(d, score_of(d)) for d in itertools.islice(in_order, offset, offset + limit)]
        size, position = self._searcher.doc_count_all(), self._tables.positions()
        score = np.where(scores.mask, scores.scores, 0.0)
        other = (~facet_bits.mask_of(preferred, size)).astype(np.int8)  # 0: in the query's language
        need, ranked = offset + limit, []
        for tier in (matches & coded & words, matches & coded & ~words, matches & words & ~coded):
            if len(ranked) >= need:
                break
            docs = np.flatnonzero(facet_bits.mask_of(tier, size))
            ranked += _best(docs, need - len(ranked), other[docs], -score[docs], position[docs])
        if len(ranked) < need:  # matching some of the words: most words first
            docs = np.flatnonzero(facet_bits.mask_of(matches & ~words & ~coded, size))
            ranked += _best(docs, need - len(ranked), -counted.counts(docs), other[docs], -score[docs],
                            position[docs])
        return [(d, score_of(d)) for d in ranked[offset:need]]

    def _hit(self, docnum, score, concepts):
        stored = self._searcher.stored_fields(docnum)
        coded = set(stored.get("abuse_type", "").split()) | set(stored.get("place", "").split())
        matched = sorted({c.value for c in concepts if c.value in coded},
                         key=lambda value: (value not in stored.get("abuse_type", "").split(), value))
        return {"reference": stored["reference"], "title": stored["title"], "score": score,
                "incident_start": stored.get("incident_start") or None, "matched_codes": matched}

    def _highlight(self, parsed, found):
        """{analyzer name: word sequences} to mark in a passage: the query's words as each field's
        analyzer made them (one word for a term, several for a phrase, so that only the whole phrase
        is marked), and the terms of every concept it named, as each analyzer makes them."""
        if parsed is None:
            return {}
        marks = {}
        for leaf in parsed.leaves():
            field = getattr(leaf, "fieldname", None)
            name = FOLDED if field in FOLDED_FIELDS else self._languages.get(field)
            if name is None:
                continue
            if isinstance(leaf, wq.Phrase):
                words = tuple(leaf.words)
            elif isinstance(leaf, wq.Term) and isinstance(leaf.text, str):
                words = (leaf.text,)
            else:
                continue
            marks.setdefault(name, set()).add(words)
        for concept in {c for _, cs in found for c in cs}:
            for name in (FOLDED, *self._languages.values()):
                marks.setdefault(name, set()).update(self.vocabulary.sequences(concept, name))
        return marks

    def _parse(self, text):
        """(query or None for 'everything', reinterpreted?, [(words, concepts)] recognised,
        plain?): plain words also find what is coded with every concept they name, while a query
        with operators is taken literally."""
        if not text:
            return None, False, [], False
        words = WORD.findall(text)
        too_long = len(text) > MAX_QUERY_CHARS or len(words) > MAX_QUERY_TERMS
        named = {m.group(1) for m in FIELD_PREFIX.finditer(text)}
        if not too_long and named <= self._fields and not _malformed(text):
            try:
                self._concepts.found = []
                parsed = self._parser.parse(text)
                return parsed, False, self._concepts.found, not QUERY_LANGUAGE.search(text)
            except Exception:  # Whoosh raises IndexError, RecursionError and others on odd input
                pass
        plain = " ".join([w for w in words if w not in OPERATORS][:MAX_QUERY_TERMS])  # syntax, not words
        if not plain:
            return wq.NullQuery, True, [], False
        self._concepts.found = []
        return self._plain_parser.parse(plain), True, self._concepts.found, True

    def _suggest(self, query, visible):
        """'Did you mean': each unknown word replaced by the closest word of a document the user may
        see (a word of any other would reveal what a confidential statement says)."""
        corrected, changed = [], False
        for position, word in enumerate(WORD.findall(query)[:MAX_QUERY_TERMS]):
            folded = fold(word)
            if position < SUGGESTED_WORDS and MIN_SUGGESTED_LENGTH <= len(folded) <= MAX_SUGGESTED_LENGTH \
                    and self._searcher.doc_frequency("text", folded) == 0:
                distance = 1 if len(folded) < 6 else 2
                for candidate in self._searcher.suggest("text", folded, limit=3, maxdist=distance):
                    # Deleted documents' words linger in segment files: check it is live.
                    holders = self._searcher.docs_for_query(wq.Term("text", candidate))
                    if any(visible >> docnum & 1 for docnum in holders):
                        corrected.append(candidate)
                        changed = True
                        break
                else:
                    corrected.append(word)
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None

    def _refresh(self):
        """Reopen the searcher and in-memory tables when the index changed (or was rebuilt and swapped).
        A writer may merge and delete segments between our reading the index's table of contents and
        opening them (FileNotFoundError): then start again from a fresh open of the new one."""
        for attempt in range(REFRESH_ATTEMPTS):
            try:
                return self._reopen()
            except (FileNotFoundError, ReaderClosed):
                self._discard()
                time.sleep(0.02 * (attempt + 1))
        return self._reopen()

    def _reopen(self):
        if self._stamp is not None and _stamp_of(self.index_path) == self._stamp:
            return  # unchanged, told by the folder alone: opening reads and unpickles the table of contents
        ix = open_current(self.index_path)
        stamp = (os.stat(self.index_path).st_ino, ix.latest_generation())
        if stamp == self._stamp:
            return
        if self._searcher is not None and self._stamp[0] == stamp[0]:
            self._searcher = self._searcher.refresh()  # Whoosh reopens every segment: cheap (storage.py)
        else:  # first open, or a rebuilt index swapped in
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = ix.searcher()
            self._segments = {}
        self._stamp = stamp
        schema = ix.schema
        self._fields = set(schema.names())
        reader = self._searcher.reader()
        # The languages the archive holds: a query's words are read in each of them.
        self._languages = {name: code for name, code in LANGUAGE_FIELDS.items() if reader.field_length(name)}
        self._concepts = ConceptPlugin(self.vocabulary, tuple(self._languages.values()), [])
        self._parser = _parser(schema, self._concepts, self._languages)
        self._plain_parser = _parser(schema, self._concepts, self._languages, plain=True)
        self._tables = Tables(self._searcher.reader(), self._segments)
        self._postings.retain(set(self._segments))


_TABLE_OF_CONTENTS = re.compile(r"_MAIN_(\d+)\.toc")  # Whoosh writes one a generation (whoosh.index.TOC)


def _stamp_of(index_path):
    """(the index folder's inode, its newest generation), as the opened index would say them: a rebuilt
    index is swapped in as a new folder, and every commit writes a new generation."""
    generations = (int(found.group(1)) for found in map(_TABLE_OF_CONTENTS.fullmatch, os.listdir(index_path)) if found)
    return os.stat(index_path).st_ino, max(generations, default=-1)


def _once(understood):
    """Each thing understood once, in order: a word typed many times (or pasted twice) is one concept."""
    return list({(item["text"], item["kind"], item["value"]): item for item in understood}.values())


def _malformed(text):
    """Input Whoosh would read without complaint but not as meant: an unbalanced quote or
    parenthesis, or an operator with nothing on one side ('AND', 'dogs OR')."""
    return (text.count('"') % 2 == 1 or text.count("(") != text.count(")")
            or BINARY_OPERATOR.search(text) is not None)


def _parser(schema, concepts, languages, plain=False):
    """The query-language parser over the text fields and those of the `languages` the archive holds,
    or (plain) one that reads only words: when the query could not be read, its words are searched
    as a natural query (all of them first, then some)."""
    boosts = {**TEXT_FIELDS, **{name: LANGUAGE_BOOST for name in languages}}
    parser = qparser.MultifieldParser(list(boosts), schema, fieldboosts=boosts, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.GtLtPlugin)  # raises on input such as ">2"
    if plain:
        for plugin in (qparser.WildcardPlugin, qparser.PhrasePlugin, qparser.GroupPlugin,
                       qparser.OperatorsPlugin, qparser.FieldsPlugin, qparser.RangePlugin,
                       qparser.BoostPlugin, qparser.PlusMinusPlugin, qparser.EveryPlugin,
                       qparser.SingleQuotePlugin):
            parser.remove_plugin_class(plugin)
    parser.add_plugin(concepts)
    return parser


def _units(parsed):
    """The parts of a plain query that count as its words: each word, or the words that name one
    concept ('pepper spray'), as the parser ANDed them."""
    if parsed is None or isinstance(parsed, type(wq.NullQuery)):
        return []
    return list(parsed.subqueries) if isinstance(parsed, wq.And) else [parsed]


def _best(docs, count, *keys):
    """The `count` docnums of `docs` first by `keys` (arrays beside `docs`, the first most significant),
    in that order. Only those that can be among them are sorted: the first key's `count`-th value
    bounds them (ties at the bound kept, so the order is exactly a full sort's)."""
    if count <= 0 or not len(docs):
        return []
    if len(docs) > count:
        bound = np.partition(keys[0], count - 1)[count - 1]
        near = keys[0] <= bound
        docs, keys = docs[near], [key[near] for key in keys]
    order = np.lexsort(tuple(reversed(keys)))[:count]
    return docs[order].tolist()


class _Counted:
    """How many of a natural query's words a statement matches."""

    def __init__(self, words, unit_hits):
        self.words, self.unit_hits = words, unit_hits

    def of(self, docnum):
        if not self.unit_hits:
            return self.words or None
        return sum(int(hits.mask[docnum]) for hits in self.unit_hits)

    def counts(self, docs):
        """How many words each of `docs` (an array of docnums) matches."""
        if not self.unit_hits:
            return np.full(len(docs), self.words or 0)
        return sum(hits.mask[docs].astype(np.int64) for hits in self.unit_hits)
