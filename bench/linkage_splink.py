"""splink (Fellegi–Sunter on DuckDB) on the archives of known truth of bench/incidents_bench.py, to compare
with our linker: `python -m bench.linkage_splink [SIZES...] [--seed N] [--lenient]` (default 1000, seed 18).
Needs the `bench` extra (pip install -e '.[bench]').

The testimonies' profiles are archive.incidents.candidates' own (one row each: its first dated interval
and first place — a generated testimony has one of each), and the comparisons have the levels of
archive/incidents/comparisons.py written in SQL: date (by the partial dates' day bounds), place distance,
perpetrator side and unit, abuse types. No group size: the generated archive has none. Blocking as ours:
precise intervals at most 3 days apart. u by random sampling, then m by EM on two blockings (same place:
dates, perpetrators, abuse types; dates within the window: the rest), with the share of matches from
EM — no labels, as an organisation has none. Measured like the bench: precision and recall among each
testimony's top 3 above each threshold, the time to train and to score the whole archive, and the median
time to score one new testimony against the others (`predict_between`).
"""
import argparse
import logging
import statistics
import sys
import time

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator

from archive.incidents import candidates, comparisons
from bench import incidents_bench

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
GAP = "greatest(0, greatest(day_lo_l, day_lo_r) - least(day_hi_l, day_hi_r))"
WIDTH = "greatest(width_l, width_r)"
WINDOW = (f"l.day_lo <= r.day_hi + {comparisons.WINDOW_DAYS} AND r.day_lo <= l.day_hi + {comparisons.WINDOW_DAYS} "
          f"AND l.width <= {candidates.VAGUE_DAYS} AND r.width <= {candidates.VAGUE_DAYS}")


def rows(linker):
    """One row (a dict) per testimony profile."""
    found = []
    for profile in linker.testimonies.values():
        interval = profile.intervals[0] if profile.intervals else (None, None)
        point = profile.points[0] if profile.points else (None, None, None)
        found.append({"unique_id": profile.id, "day_lo": interval[0], "day_hi": interval[1],
                      "width": None if interval[0] is None else interval[1] - interval[0],
                      "lat": point[0], "lon": point[1], "place_id": point[2],
                      "sides": sorted(profile.sides), "units": sorted(profile.units),
                      "unit_sides": sorted({linker.book.side_of(u) for u in profile.units}),
                      "abuse": sorted(profile.abuse_types)})
    return found


def _level(sql, label):
    return cll.CustomLevel(sql, label)


def settings():
    date = cl.CustomComparison(output_column_name="date", comparison_levels=[
        _level("day_lo_l IS NULL OR day_lo_r IS NULL", "null").configure(is_null_level=True),
        _level(f"{WIDTH} = 0 AND {GAP} = 0", "same day"),
        _level(f"{WIDTH} = 0 AND {GAP} = 1", "1 day apart"),
        _level(f"{WIDTH} = 0 AND {GAP} <= {comparisons.WINDOW_DAYS}", "2-3 days apart"),
        _level(f"{GAP} = 0 AND {WIDTH} <= {comparisons.CLOSE_DAYS}", "overlap, within a fortnight"),
        _level(f"{GAP} = 0", "overlap, wider"),
        _level(f"{GAP} <= {comparisons.WINDOW_DAYS}", "near, inexact"),
        cll.ElseLevel()])
    place = cl.CustomComparison(output_column_name="place", comparison_levels=[
        _level("lat_l IS NULL OR lat_r IS NULL", "null").configure(is_null_level=True),
        _level("place_id_l = place_id_r", "same place"),
        *(cll.DistanceInKMLevel("lat", "lon", limit) for limit in comparisons.NEAR_KM[1:]),
        cll.ElseLevel()])
    perpetrators = cl.CustomComparison(output_column_name="perpetrators", comparison_levels=[
        _level("len(sides_l) = 0 OR len(sides_r) = 0", "null").configure(is_null_level=True),
        _level("len(list_intersect(units_l, units_r)) > 0", "same unit"),
        _level("len(list_intersect(sides_l, sides_r)) = 0", "different sides"),
        _level("len(list_intersect(unit_sides_l, unit_sides_r)) > 0", "different units of one side"),
        cll.ElseLevel().configure(label_for_charts="same side")])
    abuse = cl.CustomComparison(output_column_name="abuse", comparison_levels=[
        _level("len(abuse_l) = 0 OR len(abuse_r) = 0", "null").configure(is_null_level=True),
        _level("abuse_l = abuse_r", "same types"),
        _level("len(list_intersect(abuse_l, abuse_r)) IN (len(abuse_l), len(abuse_r))", "within"),
        _level("len(list_intersect(abuse_l, abuse_r)) > 0", "overlap"),
        cll.ElseLevel().configure(label_for_charts="none in common")])
    return SettingsCreator(link_type="dedupe_only", comparisons=[date, place, perpetrators, abuse],
                           blocking_rules_to_generate_predictions=[WINDOW], retain_matching_columns=False)


def measure(size, seed, lenient=False):
    with incidents_bench.generated_archive(size, seed, lenient) as (db, book, event):
        table = rows(candidates.Linker(db, book))
    truth = incidents_bench.true_pairs(event)
    started, cpu = time.perf_counter(), time.process_time()
    api = DuckDBAPI()
    linker = Linker(api.register(table), settings())
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        "l.place_id = r.place_id", populate_probability_two_random_records_match_from_trained_values=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        WINDOW, populate_probability_two_random_records_match_from_trained_values=True)
    trained = (time.perf_counter() - started, time.process_time() - cpu)
    started, cpu = time.perf_counter(), time.process_time()
    scored = linker.inference.predict(threshold_match_probability=min(THRESHOLDS)).as_dict()
    predicted = (time.perf_counter() - started, time.process_time() - cpu)
    ranked = {}
    for left, right, value in zip(scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"]):
        ranked.setdefault(int(left), []).append((value, int(right)))
        ranked.setdefault(int(right), []).append((value, int(left)))
    for found in ranked.values():
        found.sort(key=lambda x: (-x[0], x[1]))
    swept = {threshold: incidents_bench.quality(
        {t: [i for v, i in found if v >= threshold][:candidates.SHOWN] for t, found in ranked.items()}, truth)
        for threshold in THRESHOLDS}
    one = []
    for n in range(10):  # one new testimony against the rest of the archive
        new, rest = table[n:n + 1], table[:n] + table[n + 1:]
        started = time.perf_counter()
        linker.inference.predict_between(api.register(new), api.register(rest)).as_record_list()
        one.append(time.perf_counter() - started)
    return {"size": size, "true_pairs": len(truth), "trained": trained, "predicted": predicted,
            "one_ms": statistics.median(one) * 1000, "sweep": swept,
            "weights": linker.misc.save_model_to_json()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--lenient", action="store_true", help="the generator before 2026-12-04")
    parser.add_argument("--weights", action="store_true", help="also print the fitted m and u")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.WARNING)
    for size in args.sizes:
        found = measure(size, args.seed, args.lenient)
        print(f"splink, {size:,} testimonies (seed {args.seed}{', lenient' if args.lenient else ''}), "
              f"{found['true_pairs']:,} true pairs: trained in {found['trained'][0]:.1f} s wall / "
              f"{found['trained'][1]:.1f} s CPU, whole archive scored in {found['predicted'][0]:.1f} / "
              f"{found['predicted'][1]:.1f} s, one new testimony {found['one_ms']:.0f} ms (median of 10)")
        print("| threshold | precision | recall | pairs offered |\n|---|---|---|---|")
        for threshold, (precision, recall, pairs) in found["sweep"].items():
            print(f"| {threshold} | {precision:.3f} | {recall:.3f} | {pairs:,} |")
        if args.weights:
            for comparison in found["weights"]["comparisons"]:
                print(comparison["output_column_name"], [
                    (level.get("label_for_charts"), round(level.get("m_probability") or 0, 3),
                     round(level.get("u_probability") or 0, 3)) for level in comparison["comparison_levels"]])
            print("share of matches", found["weights"]["probability_two_random_records_match"])


if __name__ == "__main__":
    sys.exit(main())
