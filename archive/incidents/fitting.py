"""The weights of the candidate links (archive/incidents/comparisons.py) estimated from an archive, the
Fellegi–Sunter way, and kept where the linker reads them: `archive incidents refit`.

Every pair of testimonies that blocking lets meet is put into its levels by the linker's own comparisons;
expectation–maximisation on those pairs estimates the share of pairs that tell one event (λ) and, per
level, m (how often two accounts of one event fall into it) and u (two accounts of different events). The
weights are log2 m/u, m floored at M_FLOOR so that no level vetoes a pair on its own (and u at U_FLOOR, so
that none outweighs all the others); a level fewer than
MIN_SEEN pairs fall into keeps the weight it had. PARTNERS (how many accounts of its event a testimony
meets, which the prior comes from) is λ × pairs × 2 / testimonies.

The reviewers' decisions are labels: a confirmed pair tells one event, a rejected pair two. Where there are
at least MIN_LABELS of each, EM holds those pairs at what the reviewers said (semi-supervised: the others
are still estimated); with fewer, the decisions are too few to outweigh what they were chosen by (the
linker's own top candidates), and EM runs without them, as on an archive nobody has reviewed.
"""
import collections
import math
import time
from dataclasses import dataclass

from archive import errors
from archive.custody import audit
from archive.i18n import say
from archive.incidents import candidates, comparisons
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction

FITTED = ("date", "place", "perpetrators", "abuse_types", "size", "time_of_day", "crossing", "origin")
M_FLOOR = 0.01
U_FLOOR = 0.001   # nor a level that no two different events fell into here outweighs every other (≤ +10)
MIN_SEEN = 20     # a level fewer blocked pairs fall into is not estimated ("apart": blocking keeps few)
MIN_LABELS = 20   # confirmed and as many rejected pairs, at least, for the decisions to be labels
MIN_PAIRS = 2000  # fewer pairs that meet than this (an archive of a few hundred testimonies) fit weights to
                  # its few events: refused unless asked for anyway (a generated 1,000 meet in 32,000 pairs)
ROUNDS = 200


@dataclass
class Fit:
    share: float          # λ: the share of blocked pairs that tell one event
    m: dict               # {part: {level: p}}
    u: dict
    unseen: set           # {(part, level)} too rare to estimate
    pairs: int
    labelled: int         # pairs EM held at the reviewers' word (0: their decisions were too few)

    def weights(self, current=None):
        """{part: {level: log2 m/u}}, a level not estimated keeping its weight in `current`."""
        current = current or comparisons.WEIGHTS
        return {part: {level: (current[part][level] if (part, level) in self.unseen
                               else round(math.log2(self.m[part][level] / self.u[part][level]), 2))
                       for level in current[part]} for part in FITTED}

    def partners(self, testimonies):
        return round(self.share * self.pairs * 2 / max(testimonies, 1), 2)


def blocked_patterns(linker, testimonies=None, comparing=None):
    """{(testimony id, testimony id): ((part, level), …)} for every pair of the testimonies (default: all of
    the linker's, linked or not) that blocking lets meet, lower id first. `comparing`: a progress reporter
    (`.start(total)`, then `.advance()` a testimony), as the command line's."""
    profiles = testimonies or linker.testimonies
    blocks = candidates.Blocks(profiles.values())
    found = {}
    if comparing is not None:
        comparing.start(len(profiles))
    for testimony_id, profile in profiles.items():
        if comparing is not None:
            comparing.advance()
        for other in blocks.near(profile):
            if other.id > testimony_id:
                found[(testimony_id, other.id)] = pattern(linker, profile, other)
    return found


def pattern(linker, profile, other):
    known = comparisons.levels(profile, other, linker.book, linker.weights)
    return tuple((part, known[part][0]) for part in FITTED if part in known)


def fit(patterns, labels=None, rounds=ROUNDS):
    """A Fit by EM over `patterns` (an iterable of level combinations, one a pair); `labels`: {pattern index:
    True or False}, pairs held at what reviewers said."""
    patterns = list(patterns)
    labels = labels or {}
    counts = collections.Counter(p for i, p in enumerate(patterns) if i not in labels)
    held = collections.Counter((patterns[i], said) for i, said in labels.items())
    total = len(patterns)
    seen = collections.Counter(level for p in patterns for level in p)
    m, u = {}, {}
    for part in FITTED:  # start: m falls off from the closest level, u is what the pairs show
        names = list(comparisons.WEIGHTS[part])
        m[part] = _normal({name: 4.0 ** -i for i, name in enumerate(names)})
        u[part] = _normal({name: seen[(part, name)] + 1.0 for name in names})
    share = 0.05
    for _ in range(rounds):
        m_sum = {part: dict.fromkeys(m[part], 1e-9) for part in FITTED}
        u_sum = {part: dict.fromkeys(u[part], 1e-9) for part in FITTED}
        matched = 0.0
        weighed = [(p, n, _posterior(p, share, m, u)) for p, n in counts.items()]
        weighed += [(p, n, 1.0 if said else 0.0) for (p, said), n in held.items()]
        for p, n, g in weighed:
            matched += g * n
            for part, level in p:
                m_sum[part][level] += g * n
                u_sum[part][level] += (1 - g) * n
        share = matched / max(total, 1)
        m = {part: _normal(levels) for part, levels in m_sum.items()}
        u = {part: _normal(levels) for part, levels in u_sum.items()}
    m = {part: _normal({k: max(v, M_FLOOR) for k, v in levels.items()}) for part, levels in m.items()}
    u = {part: _normal({k: max(v, U_FLOOR) for k, v in levels.items()}) for part, levels in u.items()}
    unseen = {(part, level) for part in FITTED for level in m[part] if seen[(part, level)] < MIN_SEEN}
    return Fit(share, m, u, unseen, total, len(labels))


def _posterior(pattern, share, m, u):
    if_match, if_not = share, 1.0 - share
    for part, level in pattern:
        if_match *= m[part][level]
        if_not *= u[part][level]
    return if_match / (if_match + if_not)


def _normal(values):
    total = sum(values.values())
    return {key: value / total for key, value in values.items()}


@dataclass
class Refit:
    """What `refit` did: the weights and PARTNERS before and after, and what they were fitted on."""
    before: dict
    after: dict
    partners_before: float
    partners_after: float
    fit: Fit
    testimonies: int
    labels_offered: int      # pairs the decisions label, used or not
    seconds: float


class TooFewPairs(errors.Refused):
    """An archive too small for its own weights."""


def refit(db, book, actor, min_labels=MIN_LABELS, anyway=False, comparing=None):
    """Estimate the weights on this archive, store them where the linker reads them (linkage_weights),
    record it in the audit chain, and say what changed (a Refit). Refused (TooFewPairs) on an archive whose
    testimonies meet in fewer than MIN_PAIRS pairs, unless `anyway`. `comparing`: a progress reporter."""
    started = time.process_time()
    linker = candidates.Linker(db, book)
    patterns = blocked_patterns(linker, comparing=comparing)
    if len(patterns) < MIN_PAIRS and not anyway:
        raise TooFewPairs(say("only %(pairs)s pairs of testimonies may meet here, fewer than %(least)s: weights "
                              "fitted on so few would follow its few events; the weights kept are unchanged "
                              "(--anyway to fit them all the same)", pairs=f"{len(patterns):,}",
                              least=f"{MIN_PAIRS:,}"))
    labelled = store_incidents.labelled_pairs(db)
    for pair in labelled:   # a decided pair that blocking does not let meet is compared all the same
        if pair not in patterns and all(t in linker.testimonies for t in pair):
            patterns[pair] = pattern(linker, linker.testimonies[pair[0]], linker.testimonies[pair[1]])
    pairs = list(patterns)
    confirmed = sum(1 for said in labelled.values() if said)
    enough = confirmed >= min_labels and len(labelled) - confirmed >= min_labels
    index = {pair: i for i, pair in enumerate(pairs)}
    labels = {index[pair]: said for pair, said in labelled.items() if pair in index} if enough else {}
    found = fit([patterns[pair] for pair in pairs], labels)
    weights = found.weights(linker.weights)
    partners = found.partners(len(linker.testimonies))
    with write_transaction(db):
        store_incidents.insert_linkage_weights(db, weights, partners, found.pairs, found.labelled, actor)
        audit.record(db, actor, "incident_weights_refitted", "candidate links",
                     {"pairs": found.pairs, "labelled": found.labelled, "partners": partners,
                      "share": round(found.share, 5)})
    return Refit(linker.weights, comparisons.merged(weights), linker.partners, partners, found,
                 len(linker.testimonies), len(labelled), time.process_time() - started)
