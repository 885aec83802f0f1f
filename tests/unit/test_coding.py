"""The coding workbench's rules on real SQLite: codes with exact passages, edits and removals in
history, redactions, status transitions, and the statement's markup."""
import html
import json
import re
import unicodedata

import pytest
from marshmallow import ValidationError

from archive import coding, store
from archive.custody import audit
from schemas.code import CodeSchema
from tests import factories

CODER = {"id": 2, "name": "coder", "role": "coder"}
CODER2 = {"id": 3, "name": "coder2", "role": "coder"}
REVIEWER = {"id": 4, "name": "reviewer", "role": "reviewer"}


@pytest.fixture
def testimony(import_records, db):
    report = import_records([factories.record(1, abuse_types=[], perpetrators=[], location=None,
                                              incident_date_from=None)])
    return store.get_testimony(db, report.references[0])


def load(codebook, text, **values):
    return CodeSchema(codebook, text).load({"abuse_type": "beating", **values})


def span_of(text, passage):
    start = text.index(passage)
    return {"start": start, "end": start + len(passage), "selected_text": passage}


def test_a_code_stores_the_exact_passage_and_starts_the_coding(db, codebook, testimony):
    text = testimony["text"]
    code = load(codebook, text, **span_of(text, "A dog bit my brother's leg."), perpetrators=["by_military_special"],
                place="Kuznitsa", date="2021-11-08~", victims=2, minors=1, note=" his left leg ")
    kind, code_id = coding.add_code(db, testimony, code, CODER)
    stored = store.get_code(db, code_id)
    assert kind == "code"
    assert {k: stored[k] for k in ("passage_text", "place_id", "place_text", "date_text", "date_precision",
                                   "date_from", "date_to", "victims", "minors", "note", "stage", "perpetrators")} == {
        "passage_text": "A dog bit my brother's leg.", "place_id": "kuznica", "place_text": "Kuznitsa",
        "date_text": "2021-11-08~", "date_precision": "approximate", "date_from": "2021-11-01",
        "date_to": "2021-11-15", "victims": 2, "minors": 1, "note": "his left leg", "stage": "coded",
        "perpetrators": ["by_military_special"]}
    after = store.get_testimony_row(db, testimony["reference"])
    assert (after["status"], after["revision"]) == ("in_progress", testimony["revision"] + 2)
    actions = [(h["entity"], h["action"], h["actor"], h["reason"])
               for h in store.history_of(db, testimony["reference"])]
    assert actions[-2:] == [("code", "create", "coder", "coded on the workbench"),
                            ("testimony", "update", "coder", "first code")]


@pytest.mark.parametrize("text, passage", [
    ("Они избили нас дубинками у Кузницы.", "избили нас"),
    ("ضربونا بالهراوات قرب الحدود", "بالهراوات"),
    ("😀😀 then they beat him 🐕 twice", "beat him 🐕"),
    (unicodedata.normalize("NFC", "Białowieża, the guards hit Zoë"), "hit Zoë"),
])
def test_offsets_are_code_points_of_the_stored_text(codebook, text, passage):
    code = load(codebook, text, **span_of(text, passage))
    assert code["passage_text"] == passage == text[code["passage_start"]:code["passage_end"]]


@pytest.mark.parametrize("values, field, words", [
    ({"start": 5, "end": 3}, "end", "ends before it starts"),
    ({"start": 0, "end": 10_000}, "end", "past the end"),
    ({"start": 0, "end": 3, "selected_text": "Night"}, "selected_text", "not the passage"),
    ({"abuse_type": "beatings"}, "abuse_type", "unknown abuse type"),
    ({"abuse_type": None}, "abuse_type", "choose an abuse type"),
    ({"perpetrators": ["pl_army", "martians"]}, "perpetrators", "martians"),
    ({"place": "Atlantis"}, "place", "not in the gazetteer"),
    ({"date": "2021-02-29"}, "date", "does not exist"),
    ({"date": "2021-11", "date_to": "2021-09"}, "date_to", "ends (2021-09) before it starts"),
    ({"date_to": "2021-09"}, "date", "needs its start"),
    ({"victims": 2, "minors": 3}, "minors", "more minors"),
    ({"victims": -1}, "victims", "greater than or equal to 0"),
    ({"note": "a\u202eb"}, "note", "invisible character"),
    ({"colour": "red"}, "colour", "Unknown field"),
])
def test_a_wrong_code_is_refused_naming_the_field(codebook, values, field, words):
    text = "At night soldiers beat us with batons."
    with pytest.raises(ValidationError) as err:
        load(codebook, text, **{"start": 9, "end": 17, **values})
    assert words in " ".join(err.value.messages[field])


def test_a_redaction_is_stored_instead_of_a_code(db, codebook, testimony):
    text = testimony["text"]
    code = CodeSchema(codebook, text).load({**span_of(text, "my brother's"), "redact": True})
    kind, redaction_id = coding.add_code(db, testimony, code, CODER)
    assert kind == "redaction"
    redactions = store.redactions_in(db, testimony["id"])
    assert [(r["id"], r["passage_start"], r["coder"]) for r in redactions] == [
        (redaction_id, text.index("my brother's"), "coder")]
    assert store.codes_of(db, [testimony["id"]]) == {}


def test_edit_and_remove_keep_every_value_in_history(db, codebook, testimony):
    text = testimony["text"]
    _, code_id = coding.add_code(db, testimony, load(codebook, text, **span_of(text, "A dog bit")), CODER)
    edited = load(codebook, text, **span_of(text, "A dog bit my brother's leg."), abuse_type="dog_attack")
    with pytest.raises(coding.CodingError, match="say why"):
        coding.edit_code(db, testimony, code_id, edited, CODER2, " ")
    changed = coding.edit_code(db, testimony, code_id, edited, CODER2, "the dog, not a beating")
    assert set(changed) == {"abuse_type", "passage_end", "passage_text"}
    coding.remove_code(db, testimony, code_id, REVIEWER, "duplicate of another code")
    with pytest.raises(store.NotFound):
        store.get_code(db, code_id)
    entries = [h for h in store.history_of(db, testimony["reference"]) if h["entity"] == "code"]
    assert [(h["action"], h["actor"], h["reason"]) for h in entries] == [
        ("create", "coder", "coded on the workbench"), ("update", "coder2", "the dog, not a beating"),
        ("delete", "reviewer", "duplicate of another code")]
    assert (entries[1]["old"]["abuse_type"], entries[1]["new"]["abuse_type"]) == ("beating", "dog_attack")
    assert entries[2]["old"]["passage_text"] == "A dog bit my brother's leg."
    logged = [(e["actor"], e["action"], e["subject"], json.loads(e["detail"]))
              for e in db.query("SELECT * FROM audit_event WHERE action LIKE 'code_%' ORDER BY id")]
    assert logged == [
        ("coder", "code_added", testimony["reference"], {"code": code_id}),
        ("coder2", "code_changed", testimony["reference"],
         {"code": code_id, "fields": ["abuse_type", "passage_end", "passage_text"]}),
        ("reviewer", "code_removed", testimony["reference"], {"code": code_id})]
    assert audit.verify(db) == []


def test_a_code_of_another_testimony_cannot_be_touched(db, codebook, import_records, testimony):
    other = store.get_testimony(db, import_records([factories.record(2)]).references[0])
    with pytest.raises(store.NotFound):
        coding.remove_code(db, testimony, other["codes"][0]["id"], CODER, "mine now")


def test_status_moves_forward_by_role(db, testimony):
    with pytest.raises(coding.CodingError, match="cannot be marked reviewed"):
        coding.change_status(db, testimony, "reviewed", REVIEWER)
    coding.change_status(db, testimony, "in_progress", CODER)
    coding.change_status(db, store.get_testimony(db, testimony["reference"]), "coded", CODER)
    coded = store.get_testimony(db, testimony["reference"])
    assert coding.next_statuses(coded, CODER) == ["in_progress"]
    with pytest.raises(coding.CodingError) as err:
        coding.change_status(db, coded, "reviewed", CODER)
    assert err.value.status == 403
    coding.change_status(db, coded, "reviewed", REVIEWER, "checked against the recording")
    entries = [(h["new"], h["actor"], h["reason"]) for h in store.history_of(db, testimony["reference"])
               if h["entity"] == "testimony" and h["action"] == "update"]
    assert entries == [({"status": "in_progress"}, "coder", "marked in progress"),
                       ({"status": "coded"}, "coder", "marked coded"),
                       ({"status": "reviewed"}, "reviewer", "checked against the recording")]


def test_blind_codes_are_seen_only_by_their_coder(db, codebook, testimony):
    db["coding_assignment"].insert({"testimony_id": testimony["id"], "coder": "coder", "assigned_by": "reviewer",
                                    "assigned_at": store.now()})
    text = testimony["text"]
    _, code_id = coding.add_code(db, testimony, load(codebook, text, **span_of(text, "A dog bit")), CODER)
    assert store.get_code(db, code_id)["stage"] == "blind"
    assert [c["id"] for c in coding.page_codes(db, testimony, CODER)] == [code_id]
    assert coding.page_codes(db, testimony, CODER2) == []
    with pytest.raises(store.NotFound):  # another coder's blind code is not revealed
        coding.remove_code(db, testimony, code_id, CODER2, "not mine")
    db.execute("UPDATE coding_assignment SET submitted_at = ? WHERE coder = 'coder'", [store.now()])
    with pytest.raises(coding.CodingError, match="cannot be changed now"):
        coding.remove_code(db, testimony, code_id, CODER, "changed my mind after submitting")
    with pytest.raises(coding.CodingError, match="submitted your blind coding"):
        coding.add_code(db, testimony, load(codebook, text, **span_of(text, "my brother")), CODER)


def marks(markup):
    return re.findall(r'<mark class="([^"]+)"(?: id="([^"]+)")?(?: data-code="(\d+)")? data-start="(\d+)">', markup)


def test_markup_escapes_the_text_and_nests_overlapping_passages(codebook):
    text = "<b>They</b> beat & kicked us"
    codes = [{"id": 1, "abuse_type": "beating", "passage_start": 12, "passage_end": 26},
             {"id": 2, "abuse_type": "pushback", "passage_start": 0, "passage_end": 17}]
    markup = str(coding.statement_markup(text, codes, [], codebook))
    assert "<b>" not in markup
    assert html.unescape(re.sub(r"<[^>]+>", "", markup)) == text
    assert marks(markup) == [
        ("cat-expulsion", "passage-2", "2", "0"),
        ("cat-expulsion", "", "2", "12"), ("cat-physical_violence", "passage-1", "1", "12"),
        ("cat-physical_violence", "", "1", "17")]


def test_markup_shows_redactions_and_skips_codes_without_a_passage(codebook):
    text = "My name is Ahmed and they beat me."
    codes = [{"id": 7, "abuse_type": "beating", "passage_start": None, "passage_end": None}]
    redactions = [{"id": 3, "passage_start": 11, "passage_end": 16}]
    markup = str(coding.statement_markup(text, codes, redactions, codebook))
    assert marks(markup) == [("redaction", "redaction-3", "", "11")]
