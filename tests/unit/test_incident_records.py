"""Incident records (archive/incidents/): the incident, its legs in order, its sources; history and
audit; and that linking changes no testimony's text, hash or history."""
import pytest
from marshmallow import ValidationError

from archive import errors, incidents, store
from archive.custody import audit
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction
from schemas.incident import IncidentSchema, LegSchema, group_size
from tests.factories import record

CODER = {"name": "coder", "role": "coder"}


@pytest.fixture
def two(import_records, db):
    import_records([record(1), record(2, language="pl", text="Białoruscy żołnierze z psami. Świadek 2.")])
    return [store.get_testimony(db, f"T-2021-000{n}") for n in (1, 2)]


def incident(codebook, **given):
    return IncidentSchema(codebook).load({"title": "Push-back at Kuźnica", "date": "2021-11-08",
                                          "place": "Kuznitsa", "group_size": "20-30", **given})


@pytest.mark.parametrize("text, expected", [
    ("80", (80, 80)), ("20-30", (20, 30)), ("20 – 30", (20, 30)), ("", (None, None)), (None, (None, None))])
def test_group_size_is_exact_or_a_range(text, expected):
    assert group_size(text) == expected


@pytest.mark.parametrize("given, field", [
    ({"group_size": "30-20"}, "group_size"), ({"group_size": "many"}, "group_size"),
    ({"date": "2021-13"}, "date"), ({"place": "Atlantis"}, "place"), ({"title": ""}, "title"),
    ({"perpetrators": ["martians"]}, "perpetrators"), ({"group_size": "10", "minors": 11}, "minors")])
def test_an_incident_that_cannot_be_stored_names_its_field(codebook, given, field):
    with pytest.raises(ValidationError) as refused:
        incident(codebook, **given)
    assert field in refused.value.messages


def test_incident_columns(codebook):
    columns = incident(codebook, perpetrators=["pl_border_guard"], minors="3", women=4)
    assert columns == {
        "title": "Push-back at Kuźnica", "place_id": "kuznica", "place_text": "Kuznitsa",
        "date_text": "2021-11-08", "date_precision": "day", "date_from": "2021-11-08", "date_to": "2021-11-08",
        "note": None, "people_min": 20, "people_max": 30, "minors": 3, "women": 4, "external_id": None,
        "perpetrators": ["pl_border_guard"], "reason": None}


def test_a_leg_needs_two_different_sides_of_the_codebook(codebook):
    assert LegSchema(codebook).load({"from_side": "BY", "to_side": "PL", "place": "Kuźnica", "date": "2021-11-08",
                                     "perpetrator": "pl_border_guard"})["perpetrator_id"] == "pl_border_guard"
    for bad, field in (({"from_side": "PL", "to_side": "PL"}, "to_side"), ({"from_side": "FR"}, "from_side"),
                       ({}, "from_side")):
        with pytest.raises(ValidationError) as refused:
            LegSchema(codebook).load(bad)
        assert field in refused.value.messages


def test_linking_changes_no_testimony_text_hash_or_history(db, codebook, two):
    before = {t["id"]: (store.get_testimony_row(db, t["reference"]), store.history_of(db, t["reference"]))
              for t in two}
    incident_id = incidents.create_incident(db, incident(codebook), CODER, testimony=two[0])
    assert incidents.link_testimony(db, incident_id, two[1], CODER, reason="same push-back, Polish account")
    source = store_incidents.sources_of(db, incident_id)[1]
    incidents.unlink_source(db, incident_id, source["id"], CODER, "not the same group after all")
    for testimony in two:
        row, history = before[testimony["id"]]
        after = store.get_testimony_row(db, testimony["reference"])
        assert after["revision"] > row["revision"]  # the index follows the link (its incident facet)
        assert {k: v for k, v in after.items() if k != "revision"} == {k: v for k, v in row.items() if k != "revision"}
        assert store.history_of(db, testimony["reference"]) == history


def test_a_testimony_may_tell_of_several_incidents_and_each_link_is_kept_once(db, codebook, two):
    first = incidents.create_incident(db, incident(codebook), CODER, testimony=two[0])
    second = incidents.create_incident(db, incident(codebook, title="Sent back again", date="2021-11-09"), CODER,
                                       testimony=two[0])
    assert not incidents.link_testimony(db, first, two[0], CODER)  # already a source
    assert store_incidents.incidents_of(db, [two[0]["id"]]) == {two[0]["id"]: [first, second]}


def test_a_code_can_be_the_source_and_stays_a_source_as_the_testimony_when_removed(db, codebook, two):
    code = two[0]["codes"][0]
    incident_id = incidents.create_incident(db, incident(codebook), CODER, testimony=two[0], code_id=code["id"])
    assert [s["code_id"] for s in store_incidents.sources_of(db, incident_id)] == [code["id"]]
    with write_transaction(db):
        store.delete_code(db, code["id"], "coder", "wrong passage")
    assert [s["code_id"] for s in store_incidents.sources_of(db, incident_id)] == [None]
    with pytest.raises(errors.NotFound):  # another testimony's code
        incidents.link_testimony(db, incident_id, two[1], CODER, code_id=two[0]["codes"][1]["id"])


def test_legs_keep_their_order_as_they_are_added_moved_and_removed(db, codebook, two):
    incident_id = incidents.create_incident(db, incident(codebook), CODER, testimony=two[0])
    leg = LegSchema(codebook)
    ids = [incidents.add_leg(db, incident_id, leg.load({"from_side": a, "to_side": b, "date": "2021-11-08"}), CODER)
           for a, b in (("BY", "PL"), ("PL", "BY"), ("BY", "PL"))]
    incidents.add_leg(db, incident_id, leg.load({"from_side": "PL", "to_side": "BY", "position": 1}), CODER)
    sides = lambda: [(l["position"], l["from_side"], l["to_side"]) for l in store_incidents.legs_of(db, incident_id)]  # noqa: E731
    assert sides() == [(1, "PL", "BY"), (2, "BY", "PL"), (3, "PL", "BY"), (4, "BY", "PL")]
    incidents.move_leg(db, incident_id, ids[2], 1, CODER)
    assert sides()[0] == (1, "BY", "PL") and [p for p, _, _ in sides()] == [1, 2, 3, 4]
    incidents.remove_leg(db, incident_id, ids[0], CODER, "told twice")
    assert [p for p, _, _ in sides()] == [1, 2, 3]
    with pytest.raises(errors.Invalid):
        incidents.remove_leg(db, incident_id, ids[1], CODER, " ")


def test_every_change_is_in_the_incidents_history_and_the_audit_chain(db, codebook, two):
    incident_id = incidents.create_incident(db, incident(codebook), CODER, testimony=two[0])
    incidents.add_leg(db, incident_id, LegSchema(codebook).load({"from_side": "BY", "to_side": "PL"}), CODER)
    changed = incidents.update_incident(db, incident_id, incident(codebook, group_size="25", reason="counted again"),
                                        CODER)
    assert changed == {"people_min": 25, "people_max": 25}
    assert [(h["entity"], h["action"]) for h in store_incidents.history_of(db, incident_id)] == [
        ("incident", "create"), ("source", "link"), ("leg", "create"), ("incident", "update")]
    from archive.store import audit as store_audit
    actions = [e["action"] for e in store_audit.chain(db)]
    assert actions[-4:] == ["incident_created", "incident_linked", "incident_leg_added", "incident_changed"]
    assert audit.verify(db) == []
    with pytest.raises(errors.Invalid):
        incidents.update_incident(db, incident_id, incident(codebook, group_size="26"), CODER)  # no reason


def test_an_organisations_incident_id_is_recorded_once(db, codebook, two):
    incidents.create_incident(db, incident(codebook, external_id="BVMN-2021-11-08"), CODER)
    with pytest.raises(incidents.IncidentRefused):
        incidents.create_incident(db, incident(codebook, external_id="BVMN-2021-11-08"), CODER)
