"""`archive incidents refit` through the real command line on a real archive: the weights of candidate links
estimated on the archive, kept where the linker reads them, audited, and said; the reviewers' decisions as
labels once there are enough of them."""
import datetime as dt
import json

import pytest

from archive import service
from archive.incidents import candidates, comparisons, fitting
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction
from tests.factories import record

PLACES = ["Kuźnica", "Krynki", "Michałowo", "Hajnówka", "Białowieża", "Terespol", "Narewka", "Szudziałowo"]
UNITS = ["by_military_special", "pl_border_guard", "pl_army"]
EVENTS = 40


def told(n, event, day, place, unit, people, text=""):
    return record(n, location=place, incident_date_from=day.isoformat(), perpetrators=[unit],
                  abuse_types=["beating", "dog_attack"] if event % 2 else ["theft", "pushback"],
                  text=f"{text} We were {people} people. Statement {n} of a night at the border.")


@pytest.fixture
def archive(import_records, data_dir):
    """40 push-backs, each told by two witnesses (the second a day later now and then), at 8 places over
    80 days: enough pairs that meet for EM to estimate most levels; and of the first 20, another group the
    same night at the same place, told by a third witness. (pairs of one event, pairs of twins)"""
    records, pairs, twins, start = [], [], [], dt.date(2021, 9, 1)
    for event in range(EVENTS):
        day, place = start + dt.timedelta(days=2 * event), PLACES[event % len(PLACES)]
        unit, people = UNITS[event % len(UNITS)], 10 + 3 * event
        first, second, third = 3 * event + 1, 3 * event + 2, 3 * event + 3
        records += [told(first, event, day, place, unit, people),
                    told(second, event, day + dt.timedelta(days=event % 3 == 0), place, unit, people)]
        pairs.append((first, second))
        if event < fitting.MIN_LABELS:
            records.append(told(third, event, day, place, unit, people + 60))
            twins.append((first, third))
    import_records(records)
    db = service.open_db(data_dir)
    ids = {row[0]: row[1] for row in db.execute("SELECT reference, id FROM testimony")}
    yield db, [[(ids[f"T-2021-{a:04d}"], ids[f"T-2021-{b:04d}"]) for a, b in found] for found in (pairs, twins)]
    db.close()


def test_refit_keeps_the_weights_where_the_linker_reads_them_audits_it_and_says_what_changed(archive, run,
                                                                                                codebook):
    db = archive[0]
    refused = run("incidents", "refit")   # 100 testimonies: too few pairs for weights of their own
    assert refused.exit_code == 1
    assert "Error: only 365 pairs of testimonies may meet here, fewer than 2,000" in refused.output
    assert store_incidents.linkage_weights(db) is None
    result = run("incidents", "refit", "--actor", "admin", "--anyway")
    assert result.exit_code == 0, result.output
    assert "No reviewer has decided a candidate link yet: fitted without labels." in result.output
    stored = store_incidents.linkage_weights(db)
    assert stored["fitted_by"] == "admin" and stored["labelled"] == 0 and stored["pairs"] > 0
    linker = candidates.Linker(db, codebook)
    assert linker.weights == comparisons.merged(stored["weights"]) != comparisons.WEIGHTS
    assert linker.partners == stored["partners"]
    said = result.output.split("Weights changed (log2 m/u):\n")[1].split("\n")
    for part, levels in linker.weights.items():   # every weight that changed is said, with both values
        for level, weight in levels.items():
            before = comparisons.WEIGHTS[part][level]
            line = f"  {part} {level}: {before:+.2f} -> {weight:+.2f}"
            assert (line in said) == (round(before, 2) != round(weight, 2))
    (entry,) = db.execute("SELECT actor, detail FROM audit_event WHERE action = 'incident_weights_refitted'")
    assert entry[0] == "admin" and json.loads(entry[1])["pairs"] == stored["pairs"]
    assert candidates.linker(db, codebook).weights == linker.weights   # a page's kept linker follows


def test_the_reviewers_decisions_are_labels_once_there_are_enough(archive, run):
    """Reviewers who reject twins (another group, the same night and place) teach the linker that the same
    place counts for less than EM alone, which cannot tell twins from witnesses of one group, would say."""
    db, (pairs, twins) = archive
    decide(db, pairs[:5], "confirmed")
    result = run("incidents", "refit", "--anyway")
    assert "label 5 pairs: too few to use (at least 20 confirmed and 20 rejected); fitted without them" in result.output
    assert store_incidents.linkage_weights(db)["labelled"] == 0
    unlabelled = store_incidents.linkage_weights(db)["weights"]
    decide(db, pairs[5:fitting.MIN_LABELS], "confirmed")
    decide(db, twins, "rejected")
    result = run("incidents", "refit", "--anyway")
    assert result.exit_code == 0, result.output
    labelled = store_incidents.linkage_weights(db)["labelled"]
    assert labelled == 2 * fitting.MIN_LABELS
    assert f"The reviewers' decisions were labels: {labelled:,} pairs held at what they said." in result.output
    assert store_incidents.linkage_weights(db)["weights"]["place"]["same"] < unlabelled["place"]["same"]
    rows = db.execute("SELECT count(*) FROM linkage_weights").fetchone()[0]
    assert rows == 2   # every refit kept, the newest used


def decide(db, pairs, decision):
    with write_transaction(db):
        for a, b in pairs:
            store_incidents.insert_decision(db, a, None, b, decision, 0.5, [], "reviewed", "reviewer")

