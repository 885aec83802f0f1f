"""Counts that trace back (archive/incidents/counts.py): for random sets of incidents, links and
selections of testimonies, the incidents and people counted, in total and per perpetrator side,
equal what SQL straight on the SQLite file says."""
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import service, store
from archive.config import DataDir
from archive.export import tables
from archive.incidents import counts
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction
from tests import factories

SIDES = ["pl_border_guard", "by_military_special", "lt_border_guard", "PL", "BY"]
N = 12


@pytest.fixture(scope="module")
def archive(tmp_path_factory, fresh_archive):
    root = tmp_path_factory.mktemp("counts") / "archive-data"
    shutil.copytree(fresh_archive.root, root)
    data_dir = DataDir.at(root)
    records = [factories.record(n, perpetrators=[SIDES[n % len(SIDES)]], abuse_types=["beating", "pushback"][: 1 + n % 2],
                                incident_date_from=f"2021-{1 + n % 12:02d}") for n in range(1, N + 1)]
    service.import_file(data_dir, factories.write(root.parent / "records.json", records, "json"), "tester")
    db = service.open_db(data_dir)
    yield db
    db.close()


incident_st = st.fixed_dictionaries({
    "size": st.one_of(st.none(), st.tuples(st.integers(1, 50), st.integers(0, 30)).map(lambda t: (t[0], t[0] + t[1]))),
    "perpetrators": st.lists(st.sampled_from(SIDES), max_size=2, unique=True),
    "legs": st.lists(st.sampled_from(SIDES + [None]), max_size=3),
    "sources": st.lists(st.tuples(st.integers(0, N - 1), st.booleans()), max_size=4),
})


def store_incidents_given(db, given):
    with write_transaction(db):
        for table in ("incident_link_decision", "incident_source", "incident_leg", "incident_record_perpetrator",
                      "incident_history", "incident_record"):
            db.execute(f"DELETE FROM {table}")
        testimonies = [store.get_testimony(db, f"T-2021-{n:04d}") for n in range(1, N + 1)]
        for number, incident in enumerate(given):
            low, high = incident["size"] or (None, None)
            incident_id = store_incidents.insert_incident(db, {"title": f"incident {number}", "people_min": low,
                                                               "people_max": high}, incident["perpetrators"], "t", "r")
            for leg in incident["legs"]:
                store_incidents.insert_leg(db, incident_id, {"perpetrator_id": leg, "from_side": "BY"}, "t", "r")
            for index, whole in incident["sources"]:
                code = None if whole else testimonies[index]["codes"][0]["id"]
                store_incidents.link(db, incident_id, testimonies[index]["id"], code, "t", "r")


def direct(db, selected):
    """The same counts, in SQL alone."""
    marks = ",".join("?" * len(selected)) or "NULL"
    chosen = f"SELECT DISTINCT incident_id FROM incident_source WHERE testimony_id IN ({marks})"
    total, low, high, unknown = db.execute(
        f"SELECT count(*), coalesce(sum(people_min), 0), coalesce(sum(people_max), 0), "
        f"sum(people_min IS NULL) FROM incident_record WHERE id IN ({chosen})", selected
    ).fetchone()
    by_side = dict(db.execute(f"""
        SELECT side, count(DISTINCT incident_id) FROM (
          SELECT p.side, s.incident_id FROM incident_source s
            JOIN code c ON c.testimony_id = s.testimony_id AND c.stage = 'coded' AND (s.code_id IS NULL OR s.code_id = c.id)
            JOIN code_perpetrator cp ON cp.code_id = c.id JOIN perpetrator p ON p.id = cp.perpetrator_id
            WHERE s.testimony_id IN ({marks})
          UNION ALL SELECT p.side, ip.incident_id FROM incident_record_perpetrator ip
            JOIN perpetrator p ON p.id = ip.perpetrator_id WHERE ip.incident_id IN ({chosen})
          UNION ALL SELECT p.side, l.incident_id FROM incident_leg l
            JOIN perpetrator p ON p.id = l.perpetrator_id WHERE l.incident_id IN ({chosen}))
        GROUP BY side""", [*selected, *selected, *selected]).fetchall())
    return {"incidents": total, "low": low, "high": high, "unknown": unknown or 0, "by_side": by_side}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given=st.lists(incident_st, max_size=6), chosen=st.sets(st.integers(1, N)))
def test_incidents_and_people_equal_direct_sqlite_counts(archive, codebook, given, chosen):
    db = archive
    store_incidents_given(db, given)
    references = [f"T-2021-{n:04d}" for n in sorted(chosen)]
    selected = [store.get_testimony_row(db, r)["id"] for r in references]
    found = counts.count(db, codebook, references)
    expected = direct(db, selected)
    assert (len(found.incidents), found.people.low, found.people.high, found.people.unknown) == (
        expected["incidents"], expected["low"], expected["high"], expected["unknown"])
    assert {side: len(ids) for side, ids in found.by["side"].items()} == expected["by_side"]
    shown = counts.side_by_side(found, tables.count(db, codebook, references), codebook)
    assert shown["total"]["incidents"] == expected["incidents"]
    assert shown["total"]["testimonies"] == len(references)


@pytest.mark.parametrize("language, unknown, said", [
    ("en", 1, "45–60 (and 1 incident of unknown size)"),
    ("en", 2, "45–60 (and 2 incidents of unknown size)"),
    ("pl", 5, "45–60 (i 5 zdarzeń o nieznanej liczebności grupy)"),
    ("uk", 3, "45–60 (і 3 інциденти з невідомою чисельністю групи)"),
    ("ar", 2, "45–60 (وحادثتان عدد أفرادهما غير معروف)"),
])
def test_the_people_counted_say_the_incidents_of_unknown_size_in_the_readers_language(language, unknown, said):
    from archive import i18n

    people = counts.People(low=45, high=60, unknown=unknown)
    with i18n.speaking(language):
        assert people.label == said
    assert counts.People(low=80, high=80).label == "80"
