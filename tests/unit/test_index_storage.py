"""The index's own storage, codec and search, against what they stand in for: Whoosh reads segment
files through views (search_index/storage.py) exactly as through its copies, a segment written with
our codec (search_index/codec.py) holds exactly what Whoosh's own writes, and the search ranks and
counts exactly as Whoosh's own scored search."""
import io
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from bench.generate import statements
from whoosh.codec.whoosh3 import W3Codec

from archive import service, store
from search_index import indexer
from search_index.codec import Codec
from search_index.storage import ViewFile, ViewReader

OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("read"), st.one_of(st.none(), st.integers(-1, 40))),
    st.tuples(st.just("readline"), st.one_of(st.just(-1), st.integers(0, 40))),
    st.tuples(st.just("seek"), st.integers(-10, 60), st.sampled_from([0, 1, 2])),
    st.tuples(st.just("tell")),
    st.tuples(st.just("peek")),
), max_size=30)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=50).map(lambda b: b.replace(b"\x00", b"\n")), operations=OPERATIONS)
def test_a_view_reads_as_a_bytesio_of_the_same_bytes(data, operations):
    view, reference = ViewReader(memoryview(data)), io.BytesIO(data)
    for name, *args in operations:
        if name == "seek":
            offset, whence = args
            if whence == 0 and offset < 0:
                continue  # BytesIO refuses a negative absolute position
            if reference.seek(offset, whence) < 0:
                continue
            assert view.seek(offset, whence) == reference.tell()
        elif name == "peek":  # the next bytes, without moving
            ahead = bytes(view.peek())
            assert reference.getvalue()[reference.tell():].startswith(ahead) and view.tell() == reference.tell()
        else:
            assert getattr(view, name)(*args) == getattr(reference, name)(*args)


def test_pickles_read_through_a_view_come_back_whole():
    objects = [{"block": list(range(200)), "max": 3.5}, "ünïcode", (1, None, b"\x00\n\x01"), 2 ** 70]
    buffer = io.BytesIO()
    for protocol, value in enumerate(objects):
        pickle.dump(value, buffer, protocol=protocol)
    part = ViewFile(memoryview(b"header" + buffer.getvalue()))
    part.seek(len(b"header"))
    assert [part.read_pickle() for _ in objects] == objects
    assert part.subset(0, 6).read() == b"header"


def test_a_search_with_filters_ranks_and_counts_as_whoosh_scoring_every_match(import_records, data_dir, searcher):
    import_records(list(statements(120, seed=5)))
    text, filters = "beaten OR dogs OR truck", {"perpetrator": ["PL"], "year": ["2021"]}  # query language: words only
    found = searcher.search(text, filters=filters, limit=200)
    parsed = searcher._parse(text)[0]
    allowed = wq.And([wq.Or([wq.Term(name, value) for value in values]) for name, values in filters.items()])
    with indexer.open_index(data_dir.index).searcher() as whoosh:
        hits = whoosh.search(parsed, limit=None, filter=allowed)
        expected = sorted(((hit.score, hit["reference"]) for hit in hits), key=lambda pair: (-pair[0], pair[1]))
        unfiltered = whoosh.search(parsed, limit=None)
        without_year = {hit.docnum for hit in unfiltered} & set(whoosh.docs_for_query(allowed.subqueries[0]))
        by_year = {}
        for docnum in without_year:
            for year in whoosh.stored_fields(docnum).get("year", "").split():
                by_year[year] = by_year.get(year, 0) + 1
    assert 5 < len(expected) < len(unfiltered)  # the filters narrow the matches: a real test of both
    assert found["total"] == len(expected)
    assert [hit["reference"] for hit in found["results"]] == [reference for _, reference in expected]
    assert [hit["score"] for hit in found["results"]] == [score for score, _ in expected]
    # Each facet is counted under the other facets' filters: the years, under the perpetrator's.
    assert {row["value"]: row["count"] for row in found["facets"]["year"]} == by_year


def _everything(path):
    """Each segment's terms with their postings, and each document's stored fields and field lengths."""
    ix = indexer.open_index(path)
    with ix.reader() as reader:
        postings = {(field, text): list(reader.postings(field, text).items_as("weight"))
                    for field, text in reader.all_terms()}
        stored = [reader.stored_fields(docnum) for docnum in reader.all_doc_ids()]
        lengths = [[reader.doc_field_length(docnum, name) for name in ix.schema.names()]
                   for docnum in reader.all_doc_ids()]
    return postings, stored, lengths, [type(segment.codec()) for segment in ix._segments()]


def test_our_codec_writes_what_whooshs_own_writes_and_names_whooshs_codec(import_records, db, tmp_path):
    import_records(list(statements(60, seed=9)))
    book = service.load_codebook()
    documents = [indexer.document(record, book) for record in store.iter_index_records(db)]
    written = []
    for name, codec in (("ours", Codec()), ("whoosh", W3Codec())):
        ix = indexer.create(tmp_path / name)
        with ix.writer(codec=codec) as writer:
            for document in documents:
                writer.add_document(**document)
        written.append(_everything(tmp_path / name))
    ours, whoosh = written
    assert ours == whoosh and ours[-1] == [W3Codec]  # the index never depends on our module to be read
    assert any(field.endswith("_pairs") for field, _ in ours[0])  # fields without lengths were written
