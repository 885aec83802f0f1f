"""The weights of archive/incidents/comparisons.py, estimated the Fellegi–Sunter way: `python -m
bench.linkage_fit [SIZE] [--seed N] [--lenient] [--ceiling]` (default 10000, seed 7: not the seed the bench
scores, so that the weights are not fitted on the archive they are measured on).

Every blocked pair of testimonies of a generated archive (bench/incidents_bench.py) is put into its levels
by the linker's own comparisons; expectation–maximisation on those pairs, without their labels (an
organisation has none), estimates the share of pairs that tell one event (λ) and, per level, m (how often
two accounts of one event fall into it) and u (two accounts of different events). It prints PARTNERS =
λ × pairs × 2 / testimonies (how many accounts of its event a testimony meets) and WEIGHTS = log2 m/u,
m floored at 1 % so that no level vetoes a pair on its own; a level fewer than MIN_SEEN pairs fall into
is printed None (not estimated: set it by hand).

--ceiling also prints, from the labels, what a linker that knew the true share of matches of every
combination of levels would reach among the top 3: the best these levels can tell apart.
"""
import argparse
import collections
import math
import sys

from archive.incidents import candidates, comparisons
from bench import incidents_bench

M_FLOOR = 0.01
MIN_SEEN = 20   # a level fewer blocked pairs fall into is not estimated (say "apart": blocking keeps few)
FITTED = ("date", "place", "perpetrators", "abuse_types")   # the generated archive has no group sizes


def blocked_patterns(linker):
    """{(testimony id, testimony id): ((part, level), …)} for every blocked pair, lower id first."""
    found = {}
    for testimony_id, profile in linker.testimonies.items():
        for other in linker.blocks.near(profile):
            if other.kind == "testimony" and other.id > testimony_id:
                known = comparisons.levels(profile, other, linker.book)
                found[(testimony_id, other.id)] = tuple((part, known[part][0]) for part in FITTED if part in known)
    return found


def fit(patterns, rounds=200):
    """(λ, m, u) by EM over the counts of each combination of levels; m and u: {part: {level: p}}."""
    counts = collections.Counter(patterns)
    total = sum(counts.values())
    m, u = {}, {}
    for part in FITTED:  # start: m falls off from the closest level, u is what the pairs show
        names = list(comparisons.WEIGHTS[part])
        seen = collections.Counter(level for pattern, n in counts.items() for p, level in pattern if p == part
                                   for _ in range(n))
        m[part] = _normal({name: 4.0 ** -i for i, name in enumerate(names)})
        u[part] = _normal({name: seen[name] + 1.0 for name in names})
    share = 0.05
    for _ in range(rounds):
        m_sum = {part: dict.fromkeys(m[part], 1e-9) for part in FITTED}
        u_sum = {part: dict.fromkeys(u[part], 1e-9) for part in FITTED}
        matched = 0.0
        for pattern, n in counts.items():
            if_match, if_not = share, 1.0 - share
            for part, level in pattern:
                if_match *= m[part][level]
                if_not *= u[part][level]
            g = if_match / (if_match + if_not)
            matched += g * n
            for part, level in pattern:
                m_sum[part][level] += g * n
                u_sum[part][level] += (1 - g) * n
        share = matched / total
        m = {part: _normal(levels) for part, levels in m_sum.items()}
        u = {part: _normal(levels) for part, levels in u_sum.items()}
    seen = collections.Counter(level for pattern, n in counts.items() for level in pattern for _ in range(n))
    m = {part: _normal({k: max(v, M_FLOOR) for k, v in levels.items()}) for part, levels in m.items()}
    return share, m, u, {(part, level) for part in FITTED for level in m[part] if seen[(part, level)] < MIN_SEEN}


def _normal(values):
    total = sum(values.values())
    return {key: value / total for key, value in values.items()}


def ceiling(patterns, event, truth):
    """P/R among the top 3 when each pair is scored by the true share of matches of its combination."""
    share = collections.Counter(patterns.values())
    matched = collections.Counter(pattern for pair, pattern in patterns.items() if pair in truth)
    ranked = collections.defaultdict(list)
    for (a, b), pattern in patterns.items():
        value = matched[pattern] / share[pattern]
        ranked[a].append((value, b))
        ranked[b].append((value, a))
    for found in ranked.values():
        found.sort(key=lambda x: (-x[0], x[1]))
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
        offered = {t: [i for v, i in found if v >= threshold][:candidates.SHOWN] for t, found in ranked.items()}
        precision, recall, pairs = incidents_bench.quality(offered, truth)
        print(f"ceiling at {threshold}: precision {precision:.3f}, recall {recall:.3f}, {pairs:,} pairs offered")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lenient", action="store_true", help="the generator before 2026-12-04")
    parser.add_argument("--ceiling", action="store_true", help="also the best these levels can reach (labels)")
    args = parser.parse_args(argv)
    with incidents_bench.generated_archive(args.size, args.seed, args.lenient) as (db, book, event):
        patterns = blocked_patterns(candidates.Linker(db, book))
    share, m, u, unseen = fit(patterns.values())
    print(f"{len(patterns):,} blocked pairs of {args.size:,} testimonies (seed {args.seed}); EM share of matches "
          f"{share:.4f}")
    print(f"log2 odds of a blocked pair: {math.log2(share / (1 - share)):.2f}; "
          f"PARTNERS = {share * len(patterns) * 2 / args.size:.2f} (matches a testimony meets, on average)")
    print("WEIGHTS = {")
    for part in FITTED:
        print(f'    "{part}": {{' + ", ".join(
            f'"{level}": ' + ("None" if (part, level) in unseen else f"{math.log2(m[part][level] / u[part][level]):.2f}")
            for level in m[part]) + "},")
        print("    # m " + ", ".join(f"{level} {m[part][level]:.3f}" for level in m[part]) + "; u "
              + ", ".join(f"{level} {u[part][level]:.3f}" for level in u[part]))
    print("}")
    if args.ceiling:
        ceiling(patterns, event, incidents_bench.true_pairs(event))


if __name__ == "__main__":
    sys.exit(main())
