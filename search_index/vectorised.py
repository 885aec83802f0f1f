"""A Whoosh query answered on whole arrays: every match and its BM25 score, as Whoosh would give them.

Whoosh walks a query's matchers document by document in Python (for `dogs` over ten fields at 100,000
testimonies, about a million calls). Here each segment's postings are numpy arrays (search_index.postings)
and a query is evaluated as array operations, per segment, into two arrays over the segment's documents:
which match, and their scores. The scores are Whoosh's own: BM25F with the searcher's B and K1, the
index-wide idf and average field length Whoosh's scorer reads from the top searcher, the field length
byte it stores, and the same combination of scores as its matchers (a union or an intersection adds its
parts' scores, a boost multiplies, AND NOT keeps the left's, a NOT alone scores 1). Tested against
Whoosh's scorer on random archives and queries (tests/unit/test_vectorised.py).

Phrases are answered from the word pairs kept as terms at indexing time (schema.pairs_of): a phrase of
two words is the documents having that pair; a longer one, those having each of its pairs, each then
confirmed on positions by Whoosh's own phrase matcher. Any query node this module does not know (a
phrase with slop, a field without pairs, a query type it has no rule for) is answered by Whoosh's own
matcher for that node, collected into the same arrays, so the answer is always Whoosh's.
"""
import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F

from search_index.postings import PostingsCache
from search_index.schema import PAIR_SEPARATOR, pairs_of


class Hits:
    """Matches and scores over a reader's documents (global docnums, deleted ones never matching)."""

    def __init__(self, mask, scores):
        self.mask, self.scores = mask, scores

    def docnums(self):
        return np.flatnonzero(self.mask)

    def score_of(self, docnum):
        """The document's score, or None when it does not match."""
        return float(self.scores[docnum]) if self.mask[docnum] else None


def union(parts):
    """Hits of the OR of queries whose Hits are `parts`: Whoosh's union adds its parts' scores."""
    mask = np.logical_or.reduce([part.mask for part in parts])
    return Hits(mask, np.sum([part.scores for part in parts], axis=0))


def evaluate(query, searcher, cache):
    """Hits of `query` (a Whoosh query) over the top-level Whoosh `searcher`'s documents."""
    weighting = searcher.weighting
    vectorised = type(weighting) is BM25F  # scores only as BM25F computes them; others as Whoosh does
    masks, scores = [], []
    for leaf_searcher, _ in searcher.leaf_searchers():
        segment = _Segment(searcher, leaf_searcher, cache, weighting)
        mask, score = segment.run(query) if vectorised else segment.whoosh(query)
        live = segment.live()
        if live is not None:
            mask &= live
        masks.append(mask)
        scores.append(np.where(mask, score, 0.0))
    if not masks:
        return Hits(np.zeros(0, dtype=bool), np.zeros(0))
    return Hits(np.concatenate(masks), np.concatenate(scores))


class _Segment:
    def __init__(self, top, leaf_searcher, cache, weighting):
        self.top, self.searcher, self.cache, self.weighting = top, leaf_searcher, cache, weighting
        self.reader = leaf_searcher.reader()
        self.size = self.reader.doc_count_all()

    def live(self):
        segment = self.reader.segment() if hasattr(self.reader, "segment") else None
        if segment is None or not segment.has_deletions():
            return None
        live = np.ones(self.size, dtype=bool)
        live[np.fromiter(segment.deleted_docs(), dtype=np.int64)] = False
        return live

    def empty(self):
        return np.zeros(self.size, dtype=bool), np.zeros(self.size)

    def run(self, q):
        kind = type(q)
        if q is wq.NullQuery or kind is type(wq.NullQuery):
            return self.empty()
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost)
        if kind in (wq.And, wq.Or):
            return self.compound(q)
        if kind is wq.AndNot:
            (mask, score), (other, _) = self.run(q.a), self.run(q.b)
            return mask & ~other, score
        if kind is wq.AndMaybe:
            (mask, score), (other, extra) = self.run(q.a), self.run(q.b)
            return mask, score + np.where(mask & other, extra, 0.0)
        if kind is wq.Not:
            mask, _ = self.run(q.query)
            return ~mask, np.ones(self.size)
        if kind is wq.Phrase and q.slop == 1:
            return self.phrase(q)
        if isinstance(q, wq.MultiTerm) and hasattr(q, "words"):  # a bounded expansion (search_index.expansion)
            return self.words(q)
        return self.whoosh(q)

    def compound(self, q):
        subs = q.subqueries
        if not subs:
            return self.empty()
        if len(subs) == 1:  # Whoosh uses the one part's matcher as it is, without the compound's boost
            return self.run(subs[0])
        parts = [self.run(sub) for sub in subs]
        mask = parts[0][0].copy()
        score = np.where(mask, parts[0][1], 0.0)
        for other, extra in parts[1:]:
            if type(q) is wq.And:
                mask &= other
            else:
                mask |= other
            score += np.where(other, extra, 0.0)
        if q.boost != 1.0:
            score = score * q.boost
        return mask, score

    def term(self, fieldname, text, boost=1.0):
        mask, score = self.empty()
        if fieldname not in self.top.schema:
            return mask, score
        ids, weights = self.cache.postings(self.reader, fieldname, text)
        if not len(ids):
            return mask, score
        mask[ids] = True
        score[ids] = self.term_scores(fieldname, text, ids, weights)
        if boost != 1.0:
            score = score * boost
        return mask, score

    def term_scores(self, fieldname, text, ids, weights):
        """BM25F as whoosh.scoring.bm25 computes it, element by element in the same order."""
        weights = weights.astype(np.float64)
        if not self.top.schema[fieldname].scorable:
            return weights  # Whoosh's WeightScorer: the posting's weight
        B = self.weighting._field_B.get(fieldname, self.weighting.B)
        K1 = self.weighting.K1
        idf = self.top.idf(fieldname, text)
        avgfl = self.top.avg_field_length(fieldname) or 1
        lengths = self.cache.lengths(self.reader, fieldname)[ids]
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))

    def words(self, q):
        """An expanded pattern: its words ORed, as Whoosh's MultiTerm matches them."""
        words = [word for word in q._btexts(self.reader) if word]
        if len(words) == 1:
            return self.term(q.fieldname, words[0])
        return self.compound(wq.Or([wq.Term(q.fieldname, word) for word in words], boost=q.boost))

    def phrase(self, q):
        words, fieldname = list(q.words), q.fieldname
        pairs = pairs_of(fieldname)
        if len(words) < 2 or pairs not in self.top.schema or pairs not in self.reader.schema:
            return self.whoosh(q)
        if any((fieldname, word) not in self.reader for word in words):
            return self.empty()
        mask, _ = self.term(pairs, words[0] + PAIR_SEPARATOR + words[1])
        for first, second in zip(words[1:], words[2:]):
            mask &= self.term(pairs, first + PAIR_SEPARATOR + second)[0]
        if len(words) > 2 and mask.any():  # each pair is there, but perhaps not in one run: ask Whoosh
            mask = self.confirmed(q, np.flatnonzero(mask))
        score = np.zeros(self.size)
        for word in words:  # Whoosh scores a phrase as the intersection of its words
            score += np.where(mask, self.term(fieldname, word)[1], 0.0)
        if q.boost != 1.0:
            score = score * q.boost
        return mask, score

    def confirmed(self, q, candidates):
        mask = np.zeros(self.size, dtype=bool)
        matcher = q.matcher(self.searcher, self.searcher.boolean_context())
        for docnum in candidates.tolist():
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                mask[docnum] = True
        return mask

    def whoosh(self, q):
        """Whoosh's own matcher for a node this module has no rule for, collected into arrays."""
        mask, score = self.empty()
        matcher = q.matcher(self.searcher, self.searcher.context())
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        if ids:
            mask[ids] = True
            score[ids] = scores
        return mask, score
