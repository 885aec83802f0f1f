"""Candidate links (archive/incidents/candidates.py): two accounts of the same push-back are offered
with their reasons in words; a push-back elsewhere a month later is not; a rejected pair stays
rejected; a confirmed pair becomes one incident of both."""
import shutil

import pytest

from archive import errors, incidents, service, store
from archive.config import DataDir
from archive.incidents import candidates
from archive.incidents.group_sizes import GroupSize
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction
from tests.factories import record

REVIEWER = {"name": "reviewer", "role": "reviewer"}


@pytest.fixture
def told(import_records, db):
    import_records([
        record(1, location="Kuźnica", incident_date_from="2021-11-08", perpetrators=["by_military_special"]),
        record(2, location="Kuznitsa", incident_date_from="2021-11-08", perpetrators=["by_military_special"],
               language="pl", text="Żołnierze białoruscy z psami pod Kuźnicą. Świadek 2."),
        record(3, location="Usnarz Górny", incident_date_from="2021-08-20", perpetrators=["pl_border_guard"],
               abuse_types=["pushback"], text="Another night, another place entirely. Witness 3."),
    ])
    return {n: store.get_testimony(db, f"T-2021-000{n}") for n in (1, 2, 3)}


def offered(db, codebook, testimony):
    return [(c.kind, c.id) for c in candidates.Linker(db, codebook).candidates(testimony["id"])]


def test_two_accounts_of_one_event_are_offered_with_reasons_in_words(db, codebook, told):
    (candidate,) = candidates.Linker(db, codebook).candidates(told[1]["id"])
    assert (candidate.kind, candidate.id) == ("testimony", told[2]["id"])
    assert candidate.score >= candidates.THRESHOLD
    assert candidate.reasons[:3] == ["same day", "same place", "both Belarus: Soldiers / special forces"]
    assert ("testimony", told[3]["id"]) not in offered(db, codebook, told[1])


def test_a_rejected_pair_stays_rejected_and_a_confirmed_one_is_one_incident(db, codebook, told):
    candidates.decide(db, codebook, told[1], {"decision": "rejected", "incident": None, "reason": "two groups"},
                      REVIEWER, other=told[2])
    assert offered(db, codebook, told[1]) == [] and offered(db, codebook, told[2]) == []
    # Still rejected after an incident is recorded from one of them: the other is offered the incident
    # (one of that night at Kuźnica by the same unit, whose first source is testimony 3).
    incident_id = incidents.create_incident(db, {"title": "Kuźnica", "date_from": "2021-11-08", "date_to": "2021-11-08",
                                                 "date_text": "2021-11-08", "date_precision": "day",
                                                 "place_id": "kuznica", "perpetrators": ["by_military_special"]},
                                            REVIEWER, told[3])
    assert offered(db, codebook, told[2]) == [("incident", incident_id)]
    changed = candidates.decide(db, codebook, told[2], {"decision": "confirmed", "incident": incident_id,
                                                        "reason": "same night, same place"}, REVIEWER)
    assert changed == [told[2]["id"]]
    assert {s["testimony_id"] for s in store_incidents.sources_of(db, incident_id)} == {told[2]["id"], told[3]["id"]}
    assert [d["decision"] for d in store_incidents.decisions_of(db, told[2]["id"])] == ["rejected", "confirmed"]


def test_confirming_two_testimonies_records_an_incident_of_both(db, codebook, told):
    changed = candidates.decide(db, codebook, told[1], {"decision": "confirmed", "incident": None, "reason": "same"},
                                REVIEWER, other=told[2])
    assert sorted(changed) == [told[1]["id"], told[2]["id"]]
    (incident_id,) = store_incidents.incidents_of(db, [told[1]["id"]])[told[1]["id"]]
    assert store_incidents.get_incident(db, incident_id)["place_id"] == "kuznica"
    assert offered(db, codebook, told[1]) == []


def _incident_of(db, testimony, title):
    return incidents.create_incident(db, {"title": title, "date_from": "2021-11-08", "date_to": "2021-11-08",
                                          "date_text": "2021-11-08", "date_precision": "day", "place_id": "kuznica",
                                          "perpetrators": ["by_military_special"]}, REVIEWER, testimony)


def test_a_testimony_confirmed_with_one_already_in_an_incident_joins_that_incident(db, codebook, told):
    """One event, one incident: a second incident of the same push-back would count it twice."""
    incident_id = _incident_of(db, told[1], "Kuźnica, 8 November")
    changed = candidates.decide(db, codebook, told[1], {"decision": "confirmed", "incident": None, "reason": "same"},
                                REVIEWER, other=told[2])
    assert changed == [told[2]["id"]]
    assert store_incidents.incidents_of(db, [told[1]["id"], told[2]["id"]]) == {told[1]["id"]: [incident_id],
                                                                               told[2]["id"]: [incident_id]}
    assert db["incident_record"].count == 1


def test_a_pair_the_archive_cannot_place_in_one_incident_is_refused_with_nothing_recorded(db, codebook, told):
    _incident_of(db, told[1], "Kuźnica, first crossing")
    _incident_of(db, told[1], "Kuźnica, sent back again")  # one statement, two push-backs
    with pytest.raises(errors.Refused, match="T-2021-0001 is a source of several incidents"):
        candidates.decide(db, codebook, told[1], {"decision": "confirmed", "incident": None, "reason": "same"},
                          REVIEWER, other=told[2])
    assert store_incidents.decisions_of(db, told[1]["id"]) == [] and db["incident_record"].count == 2
    assert store_incidents.incidents_of(db, [told[2]["id"]]) == {}


def shown(db, codebook, testimony):
    """What the testimony's incidents page offers: through the linker kept per archive."""
    return [(c["kind"], c["id"]) for c in candidates.for_testimony(db, codebook, testimony["id"], REVIEWER)]


def test_the_kept_linker_is_built_again_after_every_change_it_reads(db, codebook, told, import_records):
    """A page's candidates come from a linker kept per archive (building one reads every record); each
    change it reads (a decision, an incident, a new testimony) shows on the next page, as a fresh one would."""
    assert shown(db, codebook, told[1]) == [("testimony", told[2]["id"])]
    assert candidates.linker(db, codebook) is candidates.linker(db, codebook)  # nothing changed: kept
    import_records([record(4, location="Kuźnica", incident_date_from="2021-11-08",
                           perpetrators=["by_military_special"], text="Soldiers with dogs at Kuźnica. Witness 4.")])
    fourth = store.get_testimony(db, "T-2021-0004")
    assert ("testimony", fourth["id"]) in shown(db, codebook, told[1])
    candidates.decide(db, codebook, told[1], {"decision": "rejected", "incident": None, "reason": "two groups"},
                      REVIEWER, other=told[2])
    assert ("testimony", told[2]["id"]) not in shown(db, codebook, told[1])
    incident_id = incidents.create_incident(db, {"title": "Kuźnica", "date_from": "2021-11-08", "date_to": "2021-11-08",
                                                 "date_text": "2021-11-08", "date_precision": "day",
                                                 "place_id": "kuznica", "perpetrators": ["by_military_special"]},
                                            REVIEWER, told[3])
    assert ("incident", incident_id) in shown(db, codebook, told[2])
    for testimony in (told[1], told[2], told[3], fourth):  # the kept one answers as one built now
        assert shown(db, codebook, testimony) == offered(db, codebook, testimony)


def test_the_group_size_a_statement_says_counts_unless_a_coder_has_recorded_one(import_records, db, codebook):
    """Two accounts of one night, 'about 80' and '75' in their words, are scored with their sizes; a third,
    of 20, is scored lower, until a coder records the number of victims it told of (which the text then
    no longer decides)."""
    same = dict(location="Kuźnica", incident_date_from="2021-11", perpetrators=["by_military_special"])
    import_records([
        record(1, **same, text="They took our phones. We were about 80 people, many children. Witness 1."),
        record(2, **same, language="pl", text="Było nas 75 osób. Szliśmy 12 km przez las. Świadek 2."),
        record(3, **same, language="ru", text="Нас было 20 человек. Мне 24 года. Свидетель 3."),
    ])
    told = [store.get_testimony(db, f"T-2021-000{n}") for n in (1, 2, 3)]
    scored = {c.id: c for c in candidates.Linker(db, codebook).candidates(told[0]["id"], limit=None, threshold=0)}
    assert "group about 80 vs 75" in scored[told[1]["id"]].reasons
    assert "group about 80 vs 20" in scored[told[2]["id"]].reasons
    assert scored[told[1]["id"]].score > scored[told[2]["id"]].score
    code_id = store.codes_of(db, [told[2]["id"]])[told[2]["id"]][0]["id"]
    with write_transaction(db):
        store.update_code(db, code_id, {"victims": 78}, "coder", "the witness counted the group later")
    scored = {c.id: c for c in candidates.Linker(db, codebook).candidates(told[0]["id"], limit=None, threshold=0)}
    assert "group about 80 vs 78" in scored[told[2]["id"]].reasons


def test_the_kept_linkers_are_one_per_archive_and_a_few_archives_at_most(db, data_dir, codebook, told, fresh_archive,
                                                                         tmp_path, import_records):
    """A long-running server keeps a linker per archive: a new revision of one archive replaces its linker
    (reusing the sizes read from texts, which never change), and of more archives than KEPT only the ones
    used last are kept, so memory does not grow with every archive or revision a process has seen."""
    first = candidates.linker(db, codebook)
    for n in range(4, 7):   # new revisions of this archive
        import_records([record(n, text=f"We were {n * 10} people. Witness {n}.")])
        assert candidates.linker(db, codebook) is not first
    assert list(candidates._built).count(store_incidents.database_file(db)) == 1
    assert candidates.linker(db, codebook).said.keys() >= {told[n]["id"] for n in (1, 2, 3)}
    others = []
    for n in range(candidates.KEPT + 2):   # other archives, each opened and asked once
        other = DataDir.at(tmp_path / f"other-{n}")
        shutil.copytree(fresh_archive.root, other.root)
        connection = service.open_db(other)
        candidates.linker(connection, codebook)
        others.append(connection)
        assert len(candidates._built) <= candidates.KEPT
    kept = list(candidates._built)
    assert kept == [store_incidents.database_file(c) for c in others[-candidates.KEPT:]]   # the last used
    assert store_incidents.database_file(db) not in kept
    candidates.linker(db, codebook)   # asked again: built again, and the one used longest ago let go
    assert list(candidates._built)[-1] == store_incidents.database_file(db)
    assert len(candidates._built) == candidates.KEPT
    for connection in others:
        connection.close()


def test_an_incident_of_no_recorded_size_is_as_large_as_its_sources_say(import_records, db, codebook):
    same = dict(location="Kuźnica", incident_date_from="2021-11-08", perpetrators=["by_military_special"])
    import_records([record(1, **same, text="We were about 80 people. Witness 1."),
                    record(2, **same, language="pl", text="Było nas 75 osób. Świadek 2."),
                    record(3, **same, language="ru", text="Нас было 20 человек. Свидетель 3.")])
    told = [store.get_testimony(db, f"T-2021-000{n}") for n in (1, 2, 3)]
    candidates.decide(db, codebook, told[0], {"decision": "confirmed", "incident": None, "reason": "one night"},
                      REVIEWER, other=told[1])
    (candidate,) = [c for c in candidates.Linker(db, codebook).candidates(told[2]["id"], limit=None, threshold=0)
                    if c.kind == "incident"]
    assert "group 20 vs 64–96" in candidate.reasons   # 'about 80' (64–96) and 75


def test_the_size_a_text_states_is_read_once_when_stored_and_for_older_archives_by_init(import_records, db, codebook,
                                                                                       data_dir):
    import_records([record(1, text="We were about 80 people. Witness 1."),
                    record(2, text="They beat us at the fence. Witness 2.")])
    told = [store.get_testimony(db, f"T-2021-000{n}")["id"] for n in (1, 2)]
    assert store_incidents.stated_sizes(db) == {told[0]: (80, 80, 1), told[1]: (None, None, 0)}
    with write_transaction(db):   # an archive whose testimonies were stored before sizes were kept
        db.execute("DELETE FROM stated_group_size")
    assert store_incidents.unread_sizes(db) == told
    assert candidates.Linker(db, codebook).testimonies[told[0]].size == GroupSize(80, 80, approximate=True)
    service.init(data_dir)   # `archive init`, as an upgrade runs it
    assert store_incidents.stated_sizes(db) == {told[0]: (80, 80, 1), told[1]: (None, None, 0)}
    assert store_incidents.unread_sizes(db) == []


def test_what_two_statements_say_of_the_night_the_crossing_and_the_group_is_a_reason(import_records, db, codebook):
    import_records([record(1, text="At 3 a.m. they drove us to the fence. We were from Syria. Witness 1."),
                    record(2, language="pl", text="W nocy zawieźli nas pod płot. Byliśmy z Syrii i z Iraku. Świadek 2."),
                    record(3, language="ar", text="كان ذلك في النهار. عبرنا النهر. كنا من اليمن. الشاهد 3.")])
    told = [store.get_testimony(db, f"T-2021-000{n}")["id"] for n in (1, 2, 3)]
    linker = candidates.Linker(db, codebook)
    found = {c.id: c for c in linker.candidates(told[0], limit=None, threshold=0)}
    assert {"both at night", "both at the fence", "both groups from Syria"} <= set(found[told[1]].reasons)
    assert {"one at night, the other during the day", "one at the fence, the other at the river",
            "groups from Syria vs Yemen"} <= set(found[told[2]].reasons)
    assert found[told[1]].score > found[told[2]].score


def test_the_circumstances_a_text_states_are_read_once_when_stored_and_for_older_archives_by_init(
        import_records, db, codebook, data_dir):
    import_records([record(1, text="In the evening we crossed the river. Most of us were Afghans. Witness 1."),
                    record(2, text="They pushed us back. Witness 2.")])
    told = [store.get_testimony(db, f"T-2021-000{n}")["id"] for n in (1, 2)]
    kept = {told[0]: {"testimony_id": told[0], "times": "evening", "crossings": "river", "origins": "afghanistan"},
            told[1]: {"testimony_id": told[1], "times": "", "crossings": "", "origins": ""}}
    assert store_incidents.stated_circumstances(db) == kept
    with write_transaction(db):   # an archive whose testimonies were stored before these were kept
        db.execute("DELETE FROM stated_circumstances")
    assert store_incidents.unread_circumstances(db) == told
    assert candidates.Linker(db, codebook).testimonies[told[0]].stated.crossings == {"river"}   # read from the text
    service.init(data_dir)   # `archive init`, as an upgrade runs it
    assert store_incidents.stated_circumstances(db) == kept
    assert store_incidents.unread_circumstances(db) == []
