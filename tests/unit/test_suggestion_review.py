"""Accepting and dismissing suggestions: codes with exact spans, history, status, index."""
import pytest

from archive import service, store
from archive.coding import suggestion_review
from search_index.searcher import Searcher
from tests.factories import record

TEXT = ("On 8 November 2021 the soldiers beat us with batons near Kuźnica. "
        "Then the dogs came.")


@pytest.fixture
def testimony(db, import_records):
    import_records([record(1, text=TEXT, abuse_types=None, perpetrators=None, location=None,
                           incident_date_from=None)])
    return store.get_testimony_row(db, "T-2021-0001")


def pending(db, testimony, codebook, user=None):
    return {(s.kind, s.value) for s in suggestion_review.pending_suggestions(db, testimony, codebook, user)}


def test_pending_lists_what_the_text_suggests_and_codes_nothing(db, testimony, codebook):
    assert pending(db, testimony, codebook) == {
        ("abuse_type", "beating"), ("abuse_type", "dog_attack"), ("place", "kuznica"), ("date", "2021-11-08")}
    assert store.codes_of(db, [testimony["id"]]) == {}
    assert testimony["status"] == "new"


SENTENCE = "On 8 November 2021 the soldiers beat us with batons near Kuźnica."


def test_accepting_an_abuse_type_codes_its_sentence_with_what_the_sentence_says(db, data_dir, testimony, codebook):
    code_id = suggestion_review.accept(db, data_dir, testimony, codebook, "abuse_type", "beating", "coder")
    [code] = store.codes_of(db, [testimony["id"]])[testimony["id"]]
    assert code["id"] == code_id
    assert (code["passage_start"], code["passage_end"], code["passage_text"]) == (0, len(SENTENCE), SENTENCE)
    assert (code["abuse_type"], code["place_id"], code["place_text"], code["date_text"], code["date_precision"]) == (
        "beating", "kuznica", "Kuźnica", "2021-11-08", "day")
    assert code["perpetrators"] == []  # "the soldiers" names no one in particular
    assert (code["coder"], code["stage"], code["codebook_version"]) == ("coder", "coded", codebook.version)
    assert pending(db, testimony, codebook) == {("abuse_type", "dog_attack")}  # the place and date are coded too


def test_the_units_a_sentence_names_are_proposed(db, import_records, codebook):
    text = "At the fence the Belarusian soldiers and OMON beat us. Later we slept."
    import_records([record(2, text=text, abuse_types=None, perpetrators=None, location=None, incident_date_from=None)])
    testimony = store.get_testimony_row(db, "T-2021-0002")
    suggestions = suggestion_review.pending_suggestions(db, testimony, codebook)
    beating = next(s for s in suggestions if s.value == "beating")
    proposed = suggestion_review.proposal(text, beating, suggestions, codebook)
    assert proposed["passage"] == "At the fence the Belarusian soldiers and OMON beat us."
    assert proposed["perpetrators"] == ["by_military_special"]


@pytest.mark.parametrize("kind, value", [("place", "kuznica"), ("date", "2021-11-08")])
def test_a_place_or_date_alone_makes_no_code(db, data_dir, testimony, codebook, kind, value):
    with pytest.raises(suggestion_review.NotPending, match="choose an abuse type"):
        suggestion_review.accept(db, data_dir, testimony, codebook, kind, value, "coder")
    assert store.codes_of(db, [testimony["id"]]) == {}


def test_a_place_completes_the_code_whose_passage_holds_it(db, data_dir, testimony, codebook):
    from archive import coding
    from schemas.code import CodeSchema
    code = CodeSchema(codebook, TEXT).load({"start": 0, "end": len(SENTENCE), "abuse_type": "beating"})
    _, code_id = coding.add_code(db, testimony, code, {"id": 1, "name": "coder", "role": "coder"})
    assert suggestion_review.accept(db, data_dir, testimony, codebook, "place", "kuznica", "coder") == code_id
    [stored] = store.codes_of(db, [testimony["id"]])[testimony["id"]]
    assert (stored["place_id"], stored["place_text"], stored["date_text"]) == ("kuznica", "Kuźnica", None)


def test_accept_is_in_history_moves_the_status_and_reindexes(db, data_dir, testimony, codebook):
    code_id = suggestion_review.accept(db, data_dir, testimony, codebook, "abuse_type", "dog_attack", "coder")
    history = store.history_of(db, "T-2021-0001")
    created = [h for h in history if h["entity"] == "code" and h["entity_id"] == code_id]
    assert [(h["action"], h["actor"]) for h in created] == [("create", "coder")]
    assert "accepted a suggestion" in created[0]["reason"]
    status = [h for h in history if h["entity"] == "testimony" and h["action"] == "update"]
    assert [(h["old"], h["new"]["status"], h["actor"]) for h in status] == [({"status": "new"}, "in_progress", "coder")]
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "in_progress"
    problems, drift = service.check(data_dir)
    assert problems == [] and not drift
    searcher = Searcher(data_dir.index, codebook)
    try:
        found = searcher.search(filters={"abuse_type": ["dog_attack"]})
    finally:
        searcher.close()
    assert [hit["reference"] for hit in found["results"]] == ["T-2021-0001"]


def test_a_second_accept_keeps_the_status_and_a_taken_value_is_not_pending(db, data_dir, testimony, codebook):
    suggestion_review.accept(db, data_dir, testimony, codebook, "abuse_type", "beating", "coder")
    suggestion_review.accept(db, data_dir, testimony, codebook, "abuse_type", "dog_attack", "coder")
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "in_progress"
    with pytest.raises(suggestion_review.NotPending):
        suggestion_review.accept(db, data_dir, testimony, codebook, "abuse_type", "beating", "coder")
    assert len(store.codes_of(db, [testimony["id"]])[testimony["id"]]) == 2


@pytest.mark.parametrize("kind, value", [
    ("abuse_type", "theft"),        # a real abuse type, but not in the text
    ("place", "minsk"),
    ("date", "2021-11-09"),
    ("date", "2021-02-30"),
])
def test_only_a_suggestion_found_in_the_text_can_be_accepted(db, data_dir, testimony, codebook, kind, value):
    with pytest.raises(suggestion_review.NotPending):
        suggestion_review.accept(db, data_dir, testimony, codebook, kind, value, "coder")
    assert store.codes_of(db, [testimony["id"]]) == {}
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "new"


def test_dismissed_is_gone_and_stays_gone(db, data_dir, testimony, codebook):
    suggestion_review.dismiss(db, testimony, codebook, "place", "kuznica", "coder", "the village, not the crossing")
    assert ("place", "kuznica") not in pending(db, testimony, codebook)
    with pytest.raises(suggestion_review.NotPending):
        suggestion_review.dismiss(db, testimony, codebook, "place", "kuznica", "coder2")
    with pytest.raises(suggestion_review.NotPending):
        suggestion_review.accept(db, data_dir, testimony, codebook, "place", "kuznica", "coder")
    # still gone after another code changes the testimony (a code that takes no dismissed place)
    suggestion_review.accept(db, data_dir, testimony, codebook, "abuse_type", "beating", "coder")
    assert ("place", "kuznica") not in pending(db, testimony, codebook)
    rows = list(db.query("SELECT kind, value, dismissed_by, reason, blind FROM suggestion_dismissal"))
    assert rows == [{"kind": "place", "value": "kuznica", "dismissed_by": "coder",
                     "reason": "the village, not the crossing", "blind": 0}]
    entry = [h for h in store.history_of(db, "T-2021-0001") if h["entity"] == "suggestion_dismissal"]
    assert [(h["actor"], h["new"]) for h in entry] == [("coder", {"kind": "place", "value": "kuznica", "blind": False})]
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "in_progress"  # by the accept, not the dismissal


def test_a_blind_coder_accepts_into_their_blind_coding(db, data_dir, testimony, codebook):
    db["coding_assignment"].insert({"testimony_id": testimony["id"], "coder": "coder", "assigned_by": "reviewer",
                                    "assigned_at": store.now()})
    suggestion_review.accept(db, data_dir, testimony, codebook, "abuse_type", "beating", "coder")
    [code] = store.codes_of(db, [testimony["id"]], stages=("blind",))[testimony["id"]]
    assert code["coder"] == "coder"
    # the other coder still sees it suggested; the blind coder does not
    assert ("abuse_type", "beating") in pending(db, testimony, codebook, {"name": "coder2"})
    assert ("abuse_type", "beating") not in pending(db, testimony, codebook, {"name": "coder"})


def test_a_blind_coders_dismissal_hides_the_suggestion_from_them_alone(db, data_dir, testimony, codebook):
    for coder in ("coder", "coder2"):
        db["coding_assignment"].insert({"testimony_id": testimony["id"], "coder": coder, "assigned_by": "reviewer",
                                        "assigned_at": store.now()})
    suggestion_review.dismiss(db, testimony, codebook, "place", "kuznica", "coder", "not the crossing")
    assert ("place", "kuznica") not in pending(db, testimony, codebook, {"name": "coder"})
    assert ("place", "kuznica") in pending(db, testimony, codebook, {"name": "coder2"})
    assert suggestion_review.dismissed(db, testimony, codebook, {"name": "coder2"}) == []
    with pytest.raises(suggestion_review.NotPending):  # nor can the other coder undo it
        suggestion_review.restore(db, testimony, "place", "kuznica", "coder2")
    suggestion_review.dismiss(db, testimony, codebook, "place", "kuznica", "coder2")  # their own decision
    assert [r["dismissed_by"] for r in suggestion_review.dismissed(db, testimony, codebook, {"name": "coder2"})] \
        == ["coder2"]


def test_a_dismissal_made_by_mistake_can_be_undone(db, data_dir, testimony, codebook):
    suggestion_review.dismiss(db, testimony, codebook, "date", "2021-11-08", "coder", "misclick")
    shown = suggestion_review.dismissed(db, testimony, codebook, {"name": "coder2"})
    assert [(r["label"], r["dismissed_by"], r["reason"]) for r in shown] == [("8 November 2021", "coder", "misclick")]
    suggestion_review.restore(db, testimony, "date", "2021-11-08", "coder2")
    assert ("date", "2021-11-08") in pending(db, testimony, codebook)
    assert suggestion_review.dismissed(db, testimony, codebook, {"name": "coder"}) == []
    with pytest.raises(suggestion_review.NotPending):
        suggestion_review.restore(db, testimony, "date", "2021-11-08", "coder2")
    entries = [(h["action"], h["actor"]) for h in store.history_of(db, "T-2021-0001")
               if h["entity"] == "suggestion_dismissal"]
    assert entries == [("create", "coder"), ("delete", "coder2")]
