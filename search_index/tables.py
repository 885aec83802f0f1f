"""What a searcher keeps in memory beside Whoosh's readers: facet bits, the live documents, the
sort orders and the incident periods, made per segment and merged.

A segment never changes once written; only its deletions do. So each segment's tables are read
once (by segment id), its live documents are worked out from its deleted ones, and a refresh
after adding one testimony reads only the new small segment, then merges by shifting ints: the
cost of the segments and facet values, not of every document (2.2 s at 100,000 testimonies when
it was).
The sort orders and the reference positions are merged only when a query asks for them.
"""
import datetime as dt

import numpy as np

from search_index import facets

SORT_FIELDS = ("reference", "incident_start", "incidents")  # the stored fields kept in memory
ORDERS = ("reference", "newest", "oldest")


class SegmentTables:
    """One segment's tables, numbered within it. Deleted documents are included (they never match:
    every search is within the live documents), so that a deletion does not mean reading them again."""

    def __init__(self, leaf):
        stored = [{name: fields.get(name) or "" for name in SORT_FIELDS}
                  for fields in map(leaf.stored_fields, range(leaf.doc_count_all()))]
        self.values = facets.segment_values(leaf)
        self.spans = [[tuple(span.split("/")) for span in fields["incidents"].split()] for fields in stored]
        self.runs = {order: sorted((_sort_key(order, fields), docnum) for docnum, fields in enumerate(stored))
                     for order in ORDERS}


class Tables:
    """The tables of one reader, from its segments' (reusing `cache`, {segment id: SegmentTables})."""

    def __init__(self, reader, cache):
        self._leaves, kept, live = [], set(), 0
        for leaf, offset in reader.leaf_readers():
            self._leaves.append((_segment_tables(cache, leaf), offset))
            kept.add(_segment_id(leaf))
            live |= _live(leaf) << offset
        for gone in set(cache) - kept:  # merged away: let them go
            del cache[gone]
        self.facets = facets.FacetBits(live, [(tables.values, offset) for tables, offset in self._leaves])
        self._orders = {}
        self._positions = None

    @property
    def live(self):
        return self.facets.live

    def order(self, name):
        """Every docnum (deleted ones too), in the order `name` (one of ORDERS)."""
        if name not in self._orders:  # the segments' runs are sorted: this sort only merges them
            merged = sorted((key, docnum + offset) for tables, offset in self._leaves
                            for key, docnum in tables.runs[name])
            self._orders[name] = [docnum for _, docnum in merged]
        return self._orders[name]

    def positions(self):
        """A numpy array: where each document stands in reference order (ranking's last tie-break)."""
        if self._positions is None:
            order = np.array(self.order("reference"), dtype=np.int64)
            self._positions = np.empty(len(order), dtype=np.int64)
            self._positions[order] = np.arange(len(order))
        return self._positions

    def period(self, low, high):
        """Bits of the documents with an incident overlapping [low, high] (ISO dates)."""
        bits = 0
        for tables, offset in self._leaves:
            overlapping = (d for d, spans in enumerate(tables.spans)
                           if any(start <= high and end >= low for start, end in spans))
            bits |= facets.bits_of(overlapping, len(tables.spans)) << offset
        return bits & self.live


def _sort_key(order, fields):
    """Reference order; or dated first by the earliest incident (newest or oldest first), undated
    after, each by reference."""
    if order == "reference":
        return (fields["reference"],)
    start = fields["incident_start"]
    if not start:
        return (1, 0, fields["reference"])
    day = dt.date.fromisoformat(start).toordinal()
    return (0, -day if order == "newest" else day, fields["reference"])


def _segment_tables(cache, leaf):
    key = _segment_id(leaf)
    if key is None:  # a reader that is not a stored segment (an empty index)
        return SegmentTables(leaf)
    if key not in cache:
        cache[key] = SegmentTables(leaf)
    return cache[key]


def _live(leaf):
    """Bits of the segment's live documents: all of them less the deleted."""
    every = (1 << leaf.doc_count_all()) - 1
    segment = leaf.segment()
    if segment is None or not segment.has_deletions():
        return every
    return every & ~facets.bits_of(segment.deleted_docs(), leaf.doc_count_all())


def _segment_id(leaf):
    segment = leaf.segment()
    return segment.segment_id() if segment is not None else None
