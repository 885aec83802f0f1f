"""Why candidate links miss true pairs: `python -m bench.incidents_misses [SIZE] [--seed N] [--threshold T]`
(default 1000, seed 18, the linker's threshold), on a generated archive of bench/incidents_bench.py.

For every true pair not offered among either testimony's top 3: whether blocking let them meet, whether
they scored below the threshold or were pushed out of a top 3 by others; whether one of them says no place
or only a month ("weak": what the witness said cannot place it among the same month's events), and else
which parts fell into a level of negative weight. Then the true pairs weak and not, and the false pairs
offered, twins (another group a day or two later, the same place) or not. Prints; writes nothing.
"""
import argparse
import collections
import sys

from archive.incidents import candidates, comparisons
from bench import incidents_bench

MONTH_DAYS = 20   # an interval wider than this is a month (or wider), not a day, exact or approximate


def weak(profile):
    """What a testimony leaves unsaid that matters most: no place, or a month rather than a day."""
    return ({"no place"} if not profile.points else set()) | (
        {"a month"} if any(last - first > MONTH_DAYS for first, last in profile.intervals) else set())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--threshold", type=float, default=candidates.THRESHOLD)
    args = parser.parse_args(argv)
    with incidents_bench.generated_archive(args.size, args.seed) as (db, book, event):
        linker = candidates.Linker(db, book)
        truth = incidents_bench.true_pairs(event)
        offered = {t: [c.id for c in linker.candidates(t, threshold=args.threshold)] for t in event}
        pairs = {tuple(sorted((t, o))) for t, found in offered.items() for o in found}
        met = {t: len(linker._met(linker.testimonies[t])) for t in event}
        why, kinds = collections.Counter(), collections.Counter()
        for a, b in sorted(truth - pairs):
            first, second = linker.testimonies[a], linker.testimonies[b]
            if b not in {other.id for other in linker._met(first) if other.kind == "testimony"}:
                why["not met in blocking"] += 1
                continue
            known = comparisons.levels(first, second, book, linker.weights)
            best = max(comparisons.probability(known, comparisons.prior(met[t], linker.partners), linker.weights,
                                               linker.shares)
                       for t in (a, b))
            why["below the threshold" if best < args.threshold else "pushed out of a top 3"] += 1
            unsaid = weak(first) | weak(second)
            against = sorted(f"{part} {level}" for part, (level, _) in known.items()
                             if linker.weights[part][level] < 0)
            kinds[("weak: " + " and ".join(sorted(unsaid))) if unsaid else
                  ("against: " + ", ".join(against) if against else "nothing against")] += 1
        told = collections.Counter("weak" if weak(linker.testimonies[a]) | weak(linker.testimonies[b]) else "placed"
                                   for a, b in truth)
        found = collections.Counter("weak" if weak(linker.testimonies[a]) | weak(linker.testimonies[b]) else "placed"
                                    for a, b in truth & pairs)
        false = collections.Counter("twins" if abs(event[a] - event[b]) == 1 else "other events"
                                    for a, b in pairs - truth)
    print(f"{args.size:,} testimonies, seed {args.seed}, threshold {args.threshold}: {len(truth):,} true pairs, "
          f"{len(pairs):,} offered, {len(truth & pairs):,} true; missed {len(truth - pairs):,}:")
    for reason, count in why.most_common():
        print(f"  {count:5,} {reason}")
    print("the missed, by what their testimonies leave unsaid or what counts against them:")
    for kind, count in kinds.most_common():
        print(f"  {count:5,} {kind}")
    for kind in ("placed", "weak"):
        print(f"true pairs {kind}: {told[kind]:,}, offered {found[kind]:,} ({found[kind] / max(told[kind], 1):.0%})")
    print("false pairs offered: " + ", ".join(f"{count:,} {kind}" for kind, count in false.most_common()))


if __name__ == "__main__":
    sys.exit(main())
