"""Purging documents from the index's files, not only from its searches.

Whoosh deletes a document by marking it in its segment: its words stay in the segment's files, and
`suggest` still offers them, until the segment is rewritten. A full optimize rewrites every
segment (43 s, 28 CPU seconds, at 10,000 testimonies: bench/results/purge.md). `purge` rewrites only the
segments that hold a trace of the documents (10 s, 8.7 CPU seconds there), copying their other documents
into one new segment without holding the index's lock, which it takes only to swap the new segment in.
"""
import heapq
import os
import shutil

from search_index.indexer import WRITER_TIMEOUT_S, open_index
from search_index.shown_words import shown_words
from search_index.storage import MappedStorage

SWAP_ATTEMPTS = 5  # copy again when another writer merged a holding segment away meanwhile


def hide(path, testimony_ids):
    """Delete these testimonies' documents at once (a quick commit): no search finds, counts or
    suggests them any more. Their words stay in the segment files until `purge` rewrites them, and
    leave this process's memory now: the splits kept for results pages are dropped (another process,
    a server beside `archive purge`, drops them in their turn, or when it stops)."""
    with open_index(path).writer(timeout=WRITER_TIMEOUT_S, delay=0.05) as writer:
        writer.merge = False
        for testimony_id in testimony_ids:
            writer.delete_by_term("id", str(testimony_id))
    shown_words.clear()


def purge(path, testimony_ids):
    """Remove these testimonies from the index and from its files: delete their documents (`hide`),
    then rewrite every segment that holds any trace of them, live or deleted (a deleted document's
    words stay in its segment's files until the segment is rewritten, and `suggest` still offers
    them). Only those segments are rewritten, so the cost is theirs, not the whole index's.

    The copy of their live documents is made without the index's lock, which is taken only to swap
    the new segment in (milliseconds), so imports and coding saves are not kept waiting by a large
    segment. A document another writer deleted meanwhile (an update) is deleted in the copy too; a
    segment another writer merged away meanwhile means copying again. Whoosh's commit then removes
    the old segments' files and any a killed writer left, and leftover pools (`*.tmp`) go too.
    Returns how many documents were copied."""
    terms = {str(testimony_id) for testimony_id in testimony_ids}
    hide(path, testimony_ids)
    ix = open_index(path)
    copied = 0
    for _ in range(SWAP_ATTEMPTS):
        toc = ix._read_toc()
        holding = [segment for segment in toc.segments if _holds(ix.storage, toc.schema, segment, terms)]
        fresh, deletions, count = _copy_live(ix, toc.schema, holding) if holding else (None, {}, 0)
        if _swap(ix, path, holding, fresh, deletions):
            return copied + count
        copied += count
    raise RuntimeError("the index kept changing under the purge; run `archive reindex`")


def _holds(storage, schema, segment, terms):
    from whoosh.reading import SegmentReader

    reader = SegmentReader(storage, schema, segment)
    try:
        return any(("id", term) in reader for term in terms)
    finally:
        reader.close()


def _copy_live(ix, schema, segments):
    """A new segment with the live documents of `segments`, written without the lock into a folder
    beside the index (a commit by another writer meanwhile would delete a segment file it does not
    know from the index's own folder); and for each old segment, (its deletions then, {old docnum:
    new docnum})."""
    from types import SimpleNamespace

    from whoosh.reading import SegmentReader
    from whoosh.writing import SegmentWriter

    side = _side_folder(ix)
    shutil.rmtree(side, ignore_errors=True)  # left by a killed purge: live documents only, never needed
    os.makedirs(side)
    # SegmentWriter reads the schema from the index and writes to `storage`: here the side folder.
    target = SimpleNamespace(storage=MappedStorage(side), indexname=ix.indexname, _read_toc=ix._read_toc)
    builder = SegmentWriter(target, _lk=False)
    deletions, readers, postings = {}, [], []
    try:
        fieldnames = set(schema.names())
        for segment in segments:
            reader = SegmentReader(ix.storage, schema, segment)
            readers.append(reader)
            live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
            deletions[segment.segment_id()] = (set(segment.deleted_docs()),
                                               {old: builder.docnum + n for n, old in enumerate(live)})
            base = builder.docnum
            docmap = builder.write_per_doc(fieldnames | set(reader.indexed_field_names()), reader)
            postings.append(builder._process_posts(reader.iter_postings(), base, docmap))
        count = builder.docnum
        builder.perdocwriter.close()
        if count:
            # Each segment's postings come in (field, term, document) order, and the documents of each
            # are numbered after the one before: merged, they are in order without Whoosh's pool, which
            # would write them all to temporary runs and sort them again (twice the time).
            lengths = builder.per_document_reader()
            try:
                builder.fieldwriter.add_postings(schema, lengths, heapq.merge(*postings))
            finally:
                lengths.close()
        builder._close_segment()
        if count:
            builder._assemble_segment()
        fresh = builder.get_segment() if count else None
    finally:
        for reader in readers:
            reader.close()
        builder._tempstorage.destroy()
    return fresh, deletions, count


def _side_folder(ix):
    return os.path.abspath(ix.storage.folder) + ".purging"


def _swap(ix, path, holding, fresh, deletions):
    """Under the lock: `fresh` (its files moved in from the side folder) replaces `holding`, with the
    deletions made since the copy. False when a holding segment is gone (merged by another writer):
    copy again."""
    side = _side_folder(ix)
    writer = ix.writer(timeout=WRITER_TIMEOUT_S, delay=0.05)
    try:
        current = {segment.segment_id(): segment for segment in writer.segments}
        if any(segment.segment_id() not in current for segment in holding):
            writer.cancel()
            return False
        for segment in holding:
            before, moved = deletions[segment.segment_id()]
            for docnum in set(current[segment.segment_id()].deleted_docs()) - before:
                if docnum in moved:
                    fresh.delete_document(moved[docnum])
        if fresh is not None:
            for entry in os.scandir(side):
                if entry.is_file():
                    os.replace(entry.path, os.path.join(path, entry.name))
        gone = {segment.segment_id() for segment in holding}
        kept = [segment for segment in writer.segments if segment.segment_id() not in gone]
        _remove_stray_pools(path, writer)
        writer.commit(mergetype=lambda w, segments: kept + ([fresh] if fresh is not None else []))
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        shutil.rmtree(side, ignore_errors=True)
    return True


def _remove_stray_pools(path, writer):
    """Pools (`NAME.tmp` folders) left by writers killed before they finished; ours is in use."""
    own = os.path.basename(getattr(writer._tempstorage, "folder", ""))
    for entry in os.scandir(path):
        if entry.is_dir() and entry.name.endswith(".tmp") and entry.name != own:
            shutil.rmtree(entry.path, ignore_errors=True)
