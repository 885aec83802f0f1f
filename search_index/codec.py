"""Whoosh's W3 codec, writing faster where our schema has fields without lengths.

Writing a segment asks the lengths reader for the length of every posting's field. Whoosh 2.7.4's
reader remembers the length columns it found but not the ones it did not, so for a field with no
lengths (the word-pair fields, search_index.schema.pairs_of) each posting costs a look for a file on
disk: at 1,000 statements, 500,000 stat calls and a fifth of the indexing time. This reader
remembers both. The segments written name Whoosh's own codec, so an index does not depend on this
module to be read.
"""
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3Segment


class Codec(W3Codec):
    def per_document_reader(self, storage, segment):
        return _Lengths(storage, segment)

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


class _Lengths(W3PerDocReader):
    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)  # None: no such column
        return self._readers[fieldname]
