"""The weights of archive/incidents/comparisons.py, estimated the Fellegi–Sunter way: `python -m
bench.linkage_fit [SIZE] [--seed N] [--lenient] [--ceiling]` (default 10000, seed 7: not the seed the bench
scores, so that the weights are not fitted on the archive they are measured on).

Every blocked pair of testimonies of a generated archive (bench/incidents_bench.py) is put into its levels
by the linker's own comparisons; expectation–maximisation on those pairs, without their labels (an
organisation has none), estimates the share of pairs that tell one event (λ) and, per level, m (how often
two accounts of one event fall into it) and u (two accounts of different events). It prints PARTNERS =
λ × pairs × 2 / testimonies (how many accounts of its event a testimony meets) and WEIGHTS = log2 m/u,
m floored at 1 % so that no level vetoes a pair on its own; a level fewer than fitting.MIN_SEEN pairs fall
into is printed None (not estimated: set it by hand). The fit is archive/incidents/fitting.py's, the one
`archive incidents refit` runs on an organisation's archive; --reviewed N holds N pairs at the truth, as
reviewers' decisions are held there.

--parts compares only the parts named (the others count for nothing, as if no record said them), to see
what one part adds. --ceiling also prints, from the labels, what a linker that knew the true share of matches of every
combination of levels would reach among the top 3: the best these levels can tell apart.
"""
import argparse
import collections
import math
import sys

from archive.incidents import candidates, fitting
from bench import incidents_bench

# The fit itself is the archive's (archive/incidents/fitting.py: `archive incidents refit` runs it on an
# organisation's own archive); here it runs on a generated one, without its labels.
FITTED = fitting.FITTED


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


def reviewed(linker, event, count, seed):
    """{pair: the truth} for `count` candidate pairs offered to testimonies taken at random, as reviewers
    would decide them on the pages (the candidates a page shows, so biased as theirs are)."""
    import random

    decided, order = {}, sorted(event)
    random.Random(seed).shuffle(order)
    for testimony_id in order:
        for candidate in linker.candidates(testimony_id):
            pair = (min(testimony_id, candidate.id), max(testimony_id, candidate.id))
            decided[pair] = event[pair[0]] == event[pair[1]]
        if len(decided) >= count:
            break
    return decided


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lenient", action="store_true", help="the generator before 2026-12-04")
    parser.add_argument("--ceiling", action="store_true", help="also the best these levels can reach (labels)")
    parser.add_argument("--parts", nargs="*", choices=FITTED, default=list(FITTED),
                        help="compare only these parts (to see what one adds to the ceiling); default all")
    parser.add_argument("--reviewed", type=int, default=0, metavar="N",
                        help="as if reviewers had decided N candidate pairs (those the pages offer), the truth "
                             "their decision: EM holds them at it, as `archive incidents refit` does")
    args = parser.parse_args(argv)
    with incidents_bench.generated_archive(args.size, args.seed, args.lenient) as (db, book, event):
        linker = candidates.Linker(db, book)
        patterns = {pair: tuple(level for level in found if level[0] in args.parts)
                    for pair, found in fitting.blocked_patterns(linker).items()}
        decided = reviewed(linker, event, args.reviewed, args.seed) if args.reviewed else {}
    pairs = list(patterns)
    index = {pair: i for i, pair in enumerate(pairs)}
    labels = {index[pair]: said for pair, said in decided.items() if pair in index}
    found = fitting.fit([patterns[pair] for pair in pairs], labels)
    if decided:
        print(f"{len(decided):,} pairs decided as reviewers would ({sum(decided.values()):,} confirmed)")
    share, m, u, unseen = found.share, found.m, found.u, found.unseen
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
