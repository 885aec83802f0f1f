"""A segment's postings and field lengths as numpy arrays, decoded once and kept within a memory bound.

Whoosh reads a posting list one match at a time (a Python call per document for its id, its weight and
its score). The vectorised query path (search_index.vectorised) needs a term's whole list at once: its
documents (ascending, numbered within the segment) and their weights (term frequencies, the float32
values Whoosh stores), and each document's length in a field (the byte Whoosh stores, read back as
Whoosh reads it). They are read here straight from the segment's files, block by block (a block is one
zlib-compressed pickle of up to 128 postings: one C call to decompress and one to unpickle), and kept.

A segment never changes once written (only its deletions, which every search applies from the live
documents), so what is decoded stays right for as long as the segment exists. `PostingsCache` holds the
arrays of every open segment, least recently used dropped first beyond `max_bytes`.
"""
import io
import pickle
import threading
import zlib
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.util.numeric import byte_to_length

MAX_BYTES = 256 * 1024 * 1024  # the cache's bound: about 300 terms that occur in 100,000 documents
LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)  # Whoosh's byte -> length
EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


class PostingsCache:
    """Decoded postings and lengths of segments, by (segment id, field, term), within `max_bytes`."""

    def __init__(self, max_bytes=MAX_BYTES):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def postings(self, leaf, fieldname, text):
        """(ids int32, weights float32) of `text` in `fieldname` of the segment `leaf`; empty when absent."""
        return self._get(leaf, ("p", fieldname, text), lambda: read_postings(leaf, fieldname, text))

    def lengths(self, leaf, fieldname):
        """float64 array: each document's length in `fieldname`, as Whoosh's scorer reads it (0 if none)."""
        return self._get(leaf, ("l", fieldname), lambda: read_lengths(leaf, fieldname))

    def retain(self, segment_ids):
        """Keep only the arrays of these segments: the others are gone (merged away, the index rebuilt)."""
        with self._lock:
            for key in [key for key in self._items if key[0] not in segment_ids]:
                self._drop(key)

    def _get(self, leaf, what, read):
        key = (_segment_id(leaf), *what)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = read()
        with self._lock:
            if key[0] is not None and key not in self._items:
                self._items[key] = value
                self.bytes += _nbytes(value)
                while self.bytes > self.max_bytes and len(self._items) > 1:
                    self._drop(next(iter(self._items)))
        return value

    def _drop(self, key):
        self.bytes -= _nbytes(self._items.pop(key))


def _nbytes(value):
    return sum(part.nbytes for part in value) if isinstance(value, tuple) else value.nbytes


def read_postings(leaf, fieldname, text):
    """(ids, weights) of one term in one segment, decoded from its posting blocks."""
    if fieldname not in leaf.schema:
        return EMPTY_IDS, EMPTY_WEIGHTS
    btext = leaf.schema[fieldname].to_bytes(text) if isinstance(text, str) else text
    terms = getattr(leaf, "_terms", None)
    if terms is None or (fieldname, btext) not in leaf:
        return EMPTY_IDS, EMPTY_WEIGHTS
    info = terms.term_info(fieldname, btext)
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)
    offset, length = info.extent()
    length = length[0] if isinstance(length, tuple) else length  # Whoosh reads it back as a 1-tuple
    return _decode_blocks(terms._postfile.get(offset, length))


def _decode_blocks(buffer):
    """The posting blocks of one term (W3 codec): a header, then blocks of [length: signed int, negative
    for the last][info pickle][data pickle, zlib-compressed when info says so]."""
    if buffer[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a Whoosh 3 posting list")
    ids, weights, position, last = [], [], 4, False
    while not last:
        length = int.from_bytes(buffer[position:position + 4], "big", signed=True)
        last, length = length < 0, abs(length)
        block = io.BytesIO(buffer[position + 4:position + 4 + length])
        count, _, _, compression, _, _ = pickle.load(block)
        data = block.read()
        deltas, block_weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
        ids.append(np.cumsum(np.array(deltas, dtype=np.int64)))  # each block's first id is absolute
        if block_weights is None:
            weights.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights, dtype=np.float32))
        else:
            weights.append(np.array(block_weights, dtype=np.float32))
        position += 4 + length
    return np.concatenate(ids).astype(np.int32), np.concatenate(weights)


def read_lengths(leaf, fieldname):
    """Each document's length in a field, from the segment's length column (one byte a document)."""
    count = leaf.doc_count_all()
    lengths = np.zeros(count, dtype=np.float64)
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return lengths
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return lengths
    stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
    lengths[:len(stored)] = LENGTHS[stored]
    return lengths


def _segment_id(leaf):
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return segment.segment_id() if segment is not None else None
