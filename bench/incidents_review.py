"""A simulated review of candidate links (bench/incidents_bench.py --review N …): how an archive of known
truth improves with use.

A reviewer opens N testimonies taken at random (seeded) and decides each of the candidates its page offers
(the top 3), confirming those that tell the same event and rejecting the others, as the truth says: through
the archive's own `candidates.decide`, so a confirmed pair becomes an incident of both (or the testimony a
source of the incident offered), a rejected pair is never offered again, and every decision is recorded and
audited. Then `archive incidents refit` (archive/incidents/fitting.py) estimates the weights again, holding the
decided pairs at the reviewers' word once there are enough of each kind, and the whole archive is measured
again.

Measured after a review, among the top 3 each testimony is offered: precision of the pairs offered (an
incident offered stands for the pairs of the testimony with each of its sources), and recall of the true pairs
the archive holds, linked by a reviewer or offered.
"""
import random

from archive import errors, store
from archive.incidents import candidates, fitting
from archive.store import incidents as store_incidents

REVIEWER = {"name": "bench reviewer", "role": "reviewer"}


def review(db, book, event, testimonies):
    """Decide, as the truth says, the top candidates of each of `testimonies` (ids). Returns (confirmed,
    rejected) decisions made."""
    confirmed = rejected = 0
    for testimony_id in testimonies:
        testimony = store.testimony_with_id(db, testimony_id)
        for candidate in candidates.linker(db, book).candidates(testimony_id):
            linker = candidates.linker(db, book)
            if candidate.kind == "incident":
                sources = linker.sources.get(candidate.id, [])
                same = any(event[source] == event[testimony_id] for source in sources)
                other = None
            else:
                same, other = event[candidate.id] == event[testimony_id], store.testimony_with_id(db, candidate.id)
            decision = {"decision": "confirmed" if same else "rejected",
                        "incident": candidate.id if candidate.kind == "incident" else None,
                        "reason": "the same group, the same night" if same else "another group"}
            try:
                candidates.decide(db, book, testimony, decision, REVIEWER, other)
            except errors.NotFound:
                continue   # no longer offered: an earlier decision of this page changed it
            confirmed, rejected = confirmed + same, rejected + (not same)
    return confirmed, rejected


def order(event, seed):
    """The testimonies in the order the reviewer opens them."""
    ids = sorted(event)
    random.Random(f"review-{seed}").shuffle(ids)
    return ids


def refit(db, book):
    """`archive incidents refit` on the archive as reviewed; the Refit."""
    return fitting.refit(db, book, "bench reviewer", anyway=True)


def measured(db, book, event, truth):
    """(precision, recall, pairs offered, pairs linked) of the archive as it stands: the pairs the top 3 of
    every testimony offer, and the true pairs it holds linked or offered."""
    linker = candidates.Linker(db, book)
    offered = {}
    for testimony_id in event:
        found = []
        for candidate in linker.candidates(testimony_id):
            found += linker.sources.get(candidate.id, []) if candidate.kind == "incident" else [candidate.id]
        offered[testimony_id] = [other for other in found if other != testimony_id]
    pairs = {tuple(sorted((t, o))) for t, found in offered.items() for o in found}
    sources = {}
    for testimony_id, incident_id in store_incidents.source_pairs(db):
        sources.setdefault(incident_id, set()).add(testimony_id)
    linked = {(a, b) for ids in sources.values() for a in ids for b in ids if a < b}
    precision = len(pairs & truth) / len(pairs) if pairs else 1.0
    recall = len((pairs | linked) & truth) / len(truth) if truth else 1.0
    return precision, recall, len(pairs), len(linked)
