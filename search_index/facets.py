"""Facet counts from bitsets: one Python int per facet value, bit n set when document n has it.

Whoosh's own `groupedby` takes seconds on a large result set; here a facet value's
count is `popcount(matches & value_bits)`, microseconds each. Counts for a facet are taken over
the matches filtered by every *other* facet, so that ticking a value still shows the
alternatives within the same facet (OR within a facet, AND across facets).
"""
import numpy as np
import pycountry

from archive import value_words
from archive.i18n import language_name
from search_index.schema import FACETS

CODEBOOK_KINDS = {"abuse_type": "abuse_type", "perpetrator": "perpetrator", "place": "place", "legal": "legal"}
def bits_of(docnums, size):
    """An int with bit n set for each docnum n."""
    buffer = bytearray((size + 7) // 8)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def bits_of_mask(mask):
    """An int with bit n set where the boolean numpy array `mask` is true."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def mask_of(bits, size):
    """The boolean numpy array of `size` documents whose bit is set in `bits`."""
    buffer = bits.to_bytes((size + 7) // 8, "little")
    return np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), bitorder="little")[:size].astype(bool)


def contains(bits):
    """has(docnum) for the documents in `bits`, in constant time a docnum (shifting a large int copies
    it), so that walking a sort order to fill one page costs the page, not every match."""
    buffer = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    size = len(buffer)
    return lambda docnum: docnum >> 3 < size and buffer[docnum >> 3] >> (docnum & 7) & 1


def segment_values(reader):
    """{field: {value: bits}} of one segment's postings, numbered within the segment. A segment never
    changes once written (only its deletions do), so these are computed once per segment."""
    size = reader.doc_count_all()
    return {
        name: {term.decode("utf-8") if isinstance(term, bytes) else term:
               bits_of(reader.postings(name, term).all_ids(), size)
               for term in reader.lexicon(name)} if name in reader.indexed_field_names() else {}
        for name in FACETS
    }


class FacetBits:
    """Per-field, per-value bitsets of one index reader's documents."""

    def __init__(self, live, segments):
        """`live`: bits of the reader's live documents; `segments`: [(segment_values of a leaf reader,
        its first docnum)]."""
        self.live = live
        merged = {name: {} for name in FACETS}
        for values, offset in segments:
            for name, by_value in values.items():
                for value, bits in by_value.items():
                    merged[name][value] = merged[name].get(value, 0) | (bits << offset)
        self.values = {name: {value: bits & live for value, bits in by_value.items()}
                       for name, by_value in merged.items()}

    def selection(self, filters):
        """{field: bits of the documents having any of the selected values}."""
        return {name: any_of(self.values[name].get(v, 0) for v in values) for name, values in filters.items()}

    def counts(self, matches, selected, filters, label):
        """{field: [{value, label, count, selected}]} for documents in `matches` (before facet filters)."""
        facets = {}
        for name in FACETS:
            base = matches
            for other, bits in selected.items():
                if other != name:
                    base &= bits
            chosen = set(filters.get(name, ()))
            rows = []
            for value, bits in self.values[name].items():
                count = (base & bits).bit_count()
                if count or value in chosen:
                    rows.append({"value": value, "label": label(name, value), "count": count,
                                 "selected": value in chosen})
            for value in chosen - set(self.values[name]):  # selected, but no document has it
                rows.append({"value": value, "label": label(name, value), "count": 0, "selected": True})
            rows.sort(key=lambda row: (-row["count"], row["label"]))
            facets[name] = rows
        return facets


def any_of(bit_sets):
    result = 0
    for bits in bit_sets:
        result |= bits
    return result


def labeller(codebook):
    """label(field, value) -> what a person reads for that facet value."""

    def label(name, value):
        if name in CODEBOOK_KINDS:
            return codebook.label(CODEBOOK_KINDS[name], value)
        if name in ("nationality", "country") and value != "unknown":
            return value_words.country(value)
        if name == "language" and value != "unknown":
            language = pycountry.languages.get(alpha_2=value)
            return language_name(value, language.name) if language else value
        return value_words.word(value)

    return label
