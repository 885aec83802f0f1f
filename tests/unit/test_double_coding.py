"""Double coding through a real SQLite file and index: assigning, blind codes, agreement, settling."""
import json
import threading

import pytest

from archive import double_coding, service, store
from archive.custody import audit
from archive.double_coding import Refused, reliability
from tests.double_coding_setup import CODER, CODER2, REVIEWER, add_account, code_blind, double_coded

DECISIONS = {"abuse_type:beating": "accept", "abuse_type:theft": "reject", "side:PL": "reject"}


@pytest.fixture
def testimony(db, import_records):
    return double_coded(db, import_records)


def settle(db, data_dir, testimony, decisions=DECISIONS, reviewer=REVIEWER, reason="Phones: not in the statement"):
    double_coding.settle(db, testimony, decisions, reviewer, reason, data_dir)


def test_blind_coder_sees_only_their_own_codes(db, testimony):
    mine = double_coding.visible_codes(db, testimony, CODER)
    theirs = double_coding.visible_codes(db, testimony, CODER2)
    assert sorted(c["abuse_type"] for c in mine) == ["beating", "dog_attack"]
    assert sorted(c["abuse_type"] for c in theirs) == ["dog_attack", "theft"]
    assert {c["coder"] for c in mine} == {"coder"} and {c["stage"] for c in mine} == {"blind"}


def test_reviewer_sees_every_coding_by_coder_and_others_see_the_coding(db, testimony):
    seen = double_coding.visible_codes(db, testimony, REVIEWER)
    assert sorted((c["coder"], c["abuse_type"], c["stage"]) for c in seen) == [
        ("coder", "beating", "blind"), ("coder", "dog_attack", "blind"),
        ("coder2", "dog_attack", "blind"), ("coder2", "theft", "blind")]
    third_coder = {"id": 9, "name": "someone", "role": "coder"}
    assert double_coding.visible_codes(db, testimony, third_coder) == []
    assert double_coding.visible_codes(db, testimony, {"id": 8, "name": "lawyer", "role": "lawyer"}) == []


def test_codes_of_others_are_coded_not_blind(db, testimony):
    assert double_coding.stage_for(db, testimony["id"], "coder") == "blind"
    assert double_coding.stage_for(db, testimony["id"], "someone") == "coded"


@pytest.mark.parametrize("coders, message", [
    (["coder"], "at least 2 coders"),
    (["coder", "coder"], "coder chosen twice"),
    (["coder", "nobody"], "not a coder or reviewer account: nobody"),
    (["coder", "lawyer"], "not a coder or reviewer account: lawyer"),
])
def test_assign_refuses(db, import_records, coders, message):
    import_records([{"text": "A statement.", "reference": "T-2021-0009"}])
    add_account(db, "coder", "coder")
    add_account(db, "lawyer", "lawyer")
    with pytest.raises(Refused, match=message):
        double_coding.assign(db, store.get_testimony_row(db, "T-2021-0009"), coders, REVIEWER)
    assert store.assignments_of(db, store.get_testimony_row(db, "T-2021-0009")["id"]) == []


def test_assign_refuses_a_coder_already_assigned_and_needs_review(db, testimony):
    with pytest.raises(Refused, match="coder already assigned to T-2021-0001"):
        double_coding.assign(db, testimony, ["coder"], REVIEWER)
    with pytest.raises(PermissionError):
        double_coding.assign(db, testimony, ["coder"], CODER)


def test_submit_once_and_only_when_assigned(db, testimony):
    with pytest.raises(Refused, match="submitted your coding of T-2021-0001 already"):
        double_coding.submit(db, testimony, CODER)
    with pytest.raises(Refused, match="someone is not assigned"):
        double_coding.submit(db, testimony, {"id": 9, "name": "someone", "role": "coder"})


def test_agreement_report_per_abuse_type_and_side(db, testimony, codebook):
    rows = {(r["dimension"], r["value"]): r for r in reliability.report(db, codebook)["rows"]}
    assert set(rows) == {("abuse_type", "dog_attack"), ("abuse_type", "beating"), ("abuse_type", "theft"),
                         ("side", "BY"), ("side", "PL")}
    # One unit, both coders present: agreed dimensions at 100 %, the others at 0 %; with a single unit
    # every value is one category, so kappa and alpha are not defined.
    assert rows["abuse_type", "dog_attack"] == {"dimension": "abuse_type", "value": "dog_attack",
                                                "label": codebook.label("abuse_type", "dog_attack"),
                                                "n": 1, "percent": 100.0, "kappa": None, "alpha": None,
                                                "interval": None, "caution_reason": "few",
                                                "caution": "Too few double-coded testimonies to conclude: α rests "
                                                           "on 1 testimony (at least 10 are needed for an interval)."}
    assert rows["side", "PL"]["percent"] == 0.0 and rows["abuse_type", "beating"]["percent"] == 0.0


def test_agreement_over_several_units_gives_kappa_and_alpha(db, import_records, testimony, codebook):
    # A second testimony where both coders code beating: beating becomes 1 agreement out of 2 units.
    import_records([{"text": "They beat us with batons at night.", "reference": "T-2021-0002"}])
    second = store.get_testimony_row(db, "T-2021-0002")
    double_coding.assign(db, second, ["coder", "coder2"], REVIEWER)
    for coder in (CODER, CODER2):
        code_blind(db, second["id"], coder["name"], "beating", "They beat us with batons", ["by_border_guard"])
        double_coding.submit(db, second, coder)
    beating = next(r for r in reliability.report(db, codebook)["rows"] if r["value"] == "beating")
    # units (coder, coder2): (yes, no), (yes, yes) -> p_o = 0.5, p_e = 1 * 0.5 -> kappa 0;
    # alpha: o_yy = 2, o_yn = o_ny = 1, n_y = 3, n_n = 1, n = 4 -> 1 - 3 * 2 / (2 * 3 * 1) = 0.
    assert beating["n"] == 2 and beating["percent"] == 50.0
    assert beating["kappa"] == pytest.approx(0) and beating["alpha"] == pytest.approx(0)


def test_unsubmitted_coding_is_missing_not_absent(db, import_records, codebook):
    testimony = double_coded(db, import_records, submit=False)
    double_coding.submit(db, testimony, CODER)
    assert reliability.report(db, codebook)["units"] == 0
    assert reliability.find_disagreements(db, codebook) == []


def test_disagreements_name_coders_and_passages(db, testimony, codebook):
    found = {d.key: d for d in reliability.find_disagreements(db, codebook, [testimony["id"]])}
    assert set(found) == set(DECISIONS)
    theft = found["abuse_type:theft"]
    assert (theft.applied_by, theft.not_by, theft.passages) == (["coder2"], ["coder"], {"coder2": ["took our phones"]})
    assert found["side:PL"].passages == {"coder2": ["took our phones"]}


def test_settle_keeps_both_codings_and_makes_the_accepted_the_coding(db, data_dir, testimony):
    settle(db, data_dir, testimony)
    coded = store.codes_of(db, [testimony["id"]])[testimony["id"]]
    # dog_attack agreed (once, not twice), beating accepted with coder's BY perpetrator; theft rejected.
    assert sorted((c["abuse_type"], c["coder"], tuple(c["perpetrators"]), c["passage_text"]) for c in coded) == [
        ("beating", "coder", ("by_border_guard",), "They beat us with batons"),
        ("dog_attack", "coder", ("by_border_guard",), "A dog bit my brother's leg.")]
    originals = store.codes_of(db, [testimony["id"]], stages=("superseded",))[testimony["id"]]
    assert sorted((c["coder"], c["abuse_type"]) for c in originals) == [
        ("coder", "beating"), ("coder", "dog_attack"), ("coder2", "dog_attack"), ("coder2", "theft")]
    assert store.codes_of(db, [testimony["id"]], stages=("blind",)) == {}
    assignments = store.assignments_of(db, testimony["id"])
    assert {(a["settled_by"], bool(a["settled_at"])) for a in assignments} == {("reviewer", True)}
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "coded"


def test_rejected_side_is_dropped_from_an_accepted_code(db, data_dir, testimony):
    settle(db, data_dir, testimony, {**DECISIONS, "abuse_type:theft": "accept"})
    theft = [c for c in store.codes_of(db, [testimony["id"]])[testimony["id"]] if c["abuse_type"] == "theft"]
    assert [(c["coder"], c["perpetrators"], c["note"]) for c in theft] == [("coder2", [], "Phones taken")]


def test_settlement_history_says_who_when_why(db, data_dir, testimony):
    settle(db, data_dir, testimony)
    history = store.history_of(db, "T-2021-0001")
    settled = [h for h in history if h["action"] == "settle"]
    assert {h["actor"] for h in settled} == {"reviewer"}
    assert {h["reason"] for h in settled} == {"Phones: not in the statement"}
    assert [h["new"]["decisions"] for h in settled if h["entity"] == "coding_assignment"] == [DECISIONS]
    copies = [h["new"] for h in settled if h["entity"] == "code"]
    assert len(copies) == 2 and all(h["settled_from"] for h in copies)
    assert sum(h["action"] == "supersede" for h in history) == 4
    assert {h["action"] for h in history} >= {"assign", "submit", "create", "settle", "supersede", "update"}


def test_assignment_submission_and_settlement_are_audited(db, data_dir, testimony):
    settle(db, data_dir, testimony)
    events = [(e["actor"], e["action"], e["subject"], json.loads(e["detail"]))
              for e in db.query("SELECT * FROM audit_event WHERE subject = 'T-2021-0001' ORDER BY id")]
    coded = [c["id"] for c in store.codes_of(db, [testimony["id"]])[testimony["id"]]]
    blind = [c["id"] for c in store.codes_of(db, [testimony["id"]], stages=("superseded",))[testimony["id"]]]
    assert events == [
        ("reviewer", "coders_assigned", "T-2021-0001", {"coders": ["coder", "coder2"]}),
        ("coder", "coding_submitted", "T-2021-0001", {}),
        ("coder2", "coding_submitted", "T-2021-0001", {}),
        ("reviewer", "double_coding_settled", "T-2021-0001",
         {"decisions": DECISIONS, "coded": coded, "superseded": sorted(blind)}),
    ]
    assert audit.verify(db) == []


def test_settlement_is_reindexed_and_search_reads_only_the_coding(db, data_dir, testimony, codebook, searcher):
    service.index_testimonies(data_dir, db, [testimony["id"]], codebook)
    assert searcher.search(filters={"abuse_type": ["beating"]})["total"] == 0  # blind codes are not searched
    settle(db, data_dir, testimony)
    assert not service.check(data_dir)[1]  # the index holds the settled revision
    assert [r["reference"] for r in searcher.search(filters={"abuse_type": ["beating"]})["results"]] == ["T-2021-0001"]
    assert searcher.search(filters={"abuse_type": ["theft"]})["total"] == 0
    assert searcher.search(filters={"perpetrator": ["PL"]})["total"] == 0


@pytest.mark.parametrize("decisions, message", [
    ({"abuse_type:beating": "accept"}, "undecided: abuse_type:theft, side:PL"),
    ({**DECISIONS, "abuse_type:torture": "accept"}, "not a disagreement of this testimony: abuse_type:torture"),
    ({**DECISIONS, "side:PL": "maybe"}, "'accept' or 'reject'; not so for: side:PL"),
])
def test_settle_refuses_incomplete_decisions_and_writes_nothing(db, data_dir, testimony, decisions, message):
    before = db.execute("SELECT count(*) FROM history").fetchone()[0]
    with pytest.raises(Refused, match=message):
        settle(db, data_dir, testimony, decisions)
    assert db.execute("SELECT count(*) FROM history").fetchone()[0] == before
    assert store.codes_of(db, [testimony["id"]]) == {}


def test_settle_refusals(db, data_dir, import_records):
    testimony = double_coded(db, import_records, submit=False)
    with pytest.raises(Refused, match="waiting for coder, coder2"):
        settle(db, data_dir, testimony)
    for coder in (CODER, CODER2):
        double_coding.submit(db, testimony, coder)
    with pytest.raises(Refused, match="give a reason"):
        settle(db, data_dir, testimony, reason="  ")
    with pytest.raises(PermissionError):
        settle(db, data_dir, testimony, reviewer=CODER)
    settle(db, data_dir, testimony)
    with pytest.raises(Refused, match="already been settled"):
        settle(db, data_dir, testimony)
    assert double_coding.stage_for(db, testimony["id"], "coder") == "coded"


def test_a_reviewer_who_coded_does_not_settle(db, data_dir, import_records):
    testimony = double_coded(db, import_records, submit=False)
    add_account(db, "reviewer2", "reviewer")
    double_coding.assign(db, testimony, ["reviewer2"], REVIEWER)
    reviewer2 = {"id": 4, "name": "reviewer2", "role": "reviewer"}
    assert double_coding.visible_codes(db, testimony, reviewer2) == []  # blind, though a reviewer
    assert testimony["id"] not in double_coding.units_visible_to(db, reviewer2)
    assert testimony["id"] in double_coding.units_visible_to(db, REVIEWER)
    for coder in (CODER, CODER2, reviewer2):
        double_coding.submit(db, testimony, coder)
    with pytest.raises(Refused, match="you coded T-2021-0001: another reviewer settles it"):
        settle(db, data_dir, testimony, reviewer=reviewer2)


def test_after_settling_coders_see_the_coding_and_reviewers_the_originals(db, data_dir, testimony):
    settle(db, data_dir, testimony)
    assert sorted(c["abuse_type"] for c in double_coding.visible_codes(db, testimony, CODER2)) == [
        "beating", "dog_attack"]
    stages = [c["stage"] for c in double_coding.visible_codes(db, testimony, REVIEWER)]
    assert sorted(stages) == ["coded"] * 2 + ["superseded"] * 4


def test_who_may_change_a_code(db, import_records):
    testimony = double_coded(db, import_records, submit=False)
    codes = store.codes_of(db, [testimony["id"]], stages=("blind",))[testimony["id"]]
    own = next(c for c in codes if c["coder"] == "coder")
    assert double_coding.may_change_code(db, own, CODER)
    assert not double_coding.may_change_code(db, own, CODER2)
    assert not double_coding.may_change_code(db, own, REVIEWER)
    double_coding.submit(db, testimony, CODER)
    assert not double_coding.may_change_code(db, own, CODER)


def test_two_reviewers_settling_at_once_settle_once(db, data_dir, testimony):
    add_account(db, "reviewer2", "reviewer")
    barrier, outcomes = threading.Barrier(2), []

    def settle_as(reviewer):
        connection = service.open_db(data_dir)
        try:
            barrier.wait()
            settle(connection, data_dir, testimony, reviewer=reviewer)
            outcomes.append("settled")
        except Refused as refused:
            outcomes.append(str(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=settle_as, args=(r,))
               for r in (REVIEWER, {"id": 4, "name": "reviewer2", "role": "reviewer"})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["T-2021-0001 has already been settled", "settled"]
    assert len(store.codes_of(db, [testimony["id"]])[testimony["id"]]) == 2


def test_a_settlement_stands_when_the_index_cannot_follow(db, data_dir, import_records, monkeypatch):
    """The settlement is stored first; an index that fails afterwards is reported by `archive check`
    and repaired by `archive reindex`, and the reviewer is not told the settlement failed."""
    from archive import double_coding, service, store
    from search_index import indexer
    from tests.double_coding_setup import REVIEWER, double_coded

    testimony = double_coded(db, import_records)
    monkeypatch.setattr(indexer, "update", lambda *args, **kwargs: (_ for _ in ()).throw(OSError("disk full")))
    decisions = {"abuse_type:beating": "accept", "abuse_type:theft": "reject", "side:PL": "reject"}
    double_coding.settle(db, testimony, decisions, REVIEWER, "as agreed", data_dir)  # no exception
    assert store.assignments_of(db, testimony["id"])[0]["settled_at"]
    monkeypatch.undo()
    problems, drift = service.check(data_dir)
    assert drift.stale == [testimony["id"]]
    service.reindex(data_dir)
    assert not service.check(data_dir)[1]
