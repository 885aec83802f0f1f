"""History in words: every (entity, action) the store writes, made through the archive's own paths
(import, the intake form, the coding workbench, suggestions, the incident's migration, double
coding), read back as the exact sentence a reviewer reads."""
import ast
import datetime as dt
import json
from pathlib import Path

import pytest

from archive import coding, consent, double_coding, intake, store
from archive.coding import history_items, history_words, suggestion_review
from archive.coding.sentences import markup, plain
from archive.consent import purge
from archive.intake import incident
from archive.store import consent as store_consent
from archive.store.db import write_transaction
from schemas.code import CodeSchema
from tests import factories
from tests.double_coding_setup import CODER, CODER2, REVIEWER, TEXT, add_account, code_blind, double_coded

REFERENCE = "T-2021-0001"
CODED_SETTLEMENT = {"abuse_type:beating": "accept", "abuse_type:theft": "reject", "side:PL": "reject"}
BY_SOLDIERS = "Belarus: Soldiers / special forces"
BY_GUARDS = "Belarus: Border guards (State Border Committee)"
PL_GUARDS = "Poland: Border Guard (Straż Graniczna, SG)"
DOGS = "Dog attack or threat with dogs"
THEFT = "Theft or confiscation of belongings"
ARROW = history_words.ARROW  # "3 → 20", a no-break space before the arrow


class World:
    """One archive and its testimony T-2021-0001, changed only through the archive's own functions."""

    def __init__(self, db, import_records, codebook, data_dir):
        self.db, self.import_records, self.book, self.data_dir = db, import_records, codebook, data_dir

    def imported(self, **overrides):
        """T-2021-0001 imported without codes or incident (record overrides may add them)."""
        fields = {"abuse_types": None, "perpetrators": None, "location": None, "incident_date_from": None,
                  "text": TEXT, "reference": REFERENCE, **overrides}
        self.import_records([factories.record(1, **fields)])
        return self.testimony()

    def double_coded(self, submit=True):
        return double_coded(self.db, self.import_records, REFERENCE, submit=submit)

    def testimony(self, reference=REFERENCE):
        return store.get_testimony(self.db, reference)

    def code(self, phrase, user=CODER, **values):
        """Code `phrase` as the coding page does (CodeSchema, then coding.add_code); returns its id."""
        text = self.testimony()["text"]
        start = text.index(phrase)
        loaded = CodeSchema(self.book, text).load(
            {"abuse_type": "beating", "start": start, "end": start + len(phrase), "selected_text": phrase, **values})
        return coding.add_code(self.db, self.testimony(), loaded, user)[1]

    def edit(self, code_id, reason, user=CODER, **values):
        """Edit a code as the form does: every field sent again, some changed."""
        current = store.get_code(self.db, code_id)
        text = self.testimony()["text"]
        form = {"abuse_type": current["abuse_type"], "perpetrators": current["perpetrators"],
                "place": current["place_text"] or current["place_id"], "date": current["date_text"],
                "victims": current["victims"], "minors": current["minors"], "note": current["note"],
                "start": current["passage_start"], "end": current["passage_end"], **values}
        loaded = CodeSchema(self.book, text).load({k: v for k, v in form.items() if v is not None})
        coding.edit_code(self.db, self.testimony(), code_id, loaded, user, reason)

    def settle(self, decisions=CODED_SETTLEMENT, reason="Phones: not in the statement"):
        double_coding.settle(self.db, self.testimony(), decisions, REVIEWER, reason, self.data_dir)

    def told(self, reference=REFERENCE):
        return history_words.tell(self.history(reference), self.book)

    def history(self, reference):
        """store.history_of, and of a purged testimony too (its tombstone keeps its history's entries)."""
        testimony_id = store_consent.testimony_or_tombstone(self.db, reference)["id"]
        return [{**row, "old": json.loads(row["old"]) if row["old"] else None,
                 "new": json.loads(row["new"]) if row["new"] else None}
                for row in self.db.query("SELECT * FROM history WHERE testimony_id = ? ORDER BY id", [testimony_id])]

    def items(self, reference=REFERENCE):
        return history_items.items(self.told(reference), self.book)


@pytest.fixture
def world(db, import_records, codebook, data_dir):
    return World(db, import_records, codebook, data_dir)


# --- what each case does: the archive's own paths ------------------------------------------------

def imported(w):
    w.imported()


def through_the_intake_form(w):
    intake.add_testimony(w.db, {"text": "We were pushed back at night.", "reference": "T-2021-0002"}, w.book, "coder")
    return "T-2021-0002"


def coded_with_everything(w):
    w.imported()
    w.code("They beat us with batons", perpetrators=["by_military_special"], place="Kuznitsa",
           date="2021-11-08", victims=3, minors=1)


def coded_and_started(w):
    w.imported()
    w.code("They beat us with batons")


def from_a_suggestion(w):
    w.imported()
    suggestion_review.accept(w.db, w.data_dir, w.testimony(), w.book, "abuse_type", "beating", "coder")


def status_with_a_reason(w):
    coded_and_started(w)
    coding.change_status(w.db, w.testimony(), "coded", CODER, "all passages coded")


def status_without_a_reason(w):
    coded_and_started(w)
    coding.change_status(w.db, w.testimony(), "coded", CODER)
    coding.change_status(w.db, w.testimony(), "reviewed", REVIEWER)


def consent_withdrawn(w):
    w.imported()
    consent.change(w.data_dir, w.db, REFERENCE, {"consent": "withdrawn", "decided": dt.date(2022, 1, 10),
                                                 "reason": "the witness asked by phone"}, REVIEWER)


def confidentiality_and_consent(w):
    w.imported()
    with write_transaction(w.db):
        store.update_testimony(w.db, REFERENCE, {"consent": "internal", "confidentiality": "confidential"},
                               "reviewer", "kept in the archive only")


def purged(w):
    w.imported()
    consent.change(w.data_dir, w.db, REFERENCE, {"consent": "withdrawn", "decided": dt.date(2022, 1, 10),
                                                 "reason": "the witness asked by phone"}, REVIEWER)
    purge.purge(w.data_dir, w.db, REFERENCE, {"confirmation": REFERENCE, "reason": "the witness's lawyer asked"},
                {"name": "admin", "role": "admin"})


def title_and_language(w):
    w.imported()
    with write_transaction(w.db):
        store.update_testimony(w.db, REFERENCE, {"title": "Dogs at Kuźnica", "language": "pl"}, "reviewer",
                               "as the interviewer wrote it")


def incident_migrated(w):
    """An archive from before the incident columns: a code without an abuse type, moved at init."""
    testimony = w.imported()
    with write_transaction(w.db):
        store.insert_code(w.db, testimony["id"], {
            "abuse_type": None, "perpetrators": ["by_military_special"], "place_id": "kuznica",
            "place_text": "Kuznitsa", "date_text": "2021-11", "date_from": "2021-11-01", "date_to": "2021-11-30",
            "date_precision": "month", "codebook_version": w.book.version}, "tester", "import of old.csv (batch 1)")
        incident.adopt_pseudo_codes(w.db)


def victims_changed(w):
    coded_and_started(w)
    w.edit(store.codes_of(w.db, [w.testimony()["id"]])[w.testimony()["id"]][0]["id"], "the statement says twenty",
           victims=20)


def victims_then_place_and_date(w):
    w.imported()
    code_id = w.code("They beat us with batons", place="Kuznitsa", date="2021-11-08", victims=3)
    w.edit(code_id, "the map says Bruzgi", place="Bruzgi", date="2021-11-16~")


def abuse_type_and_perpetrators(w):
    w.imported()
    code_id = w.code("A dog bit my brother's leg.", abuse_type="beating", perpetrators=["by_border_guard"])
    w.edit(code_id, "it was a dog", abuse_type="dog_attack", perpetrators=["by_border_guard", "pl_border_guard"])


def removed(w):
    w.imported()
    code_id = w.code("took our phones", abuse_type="threats")
    coding.remove_code(w.db, w.testimony(), code_id, CODER2, "coded twice by mistake")


def redacted(w):
    w.imported()
    text = w.testimony()["text"]
    start = text.index("my brother's leg")
    code = CodeSchema(w.book, text).load({"start": start, "end": start + 16, "redact": True})
    coding.add_code(w.db, w.testimony(), code, CODER)


def dismissed(w):
    w.imported()
    suggestion_review.dismiss(w.db, w.testimony(), w.book, "abuse_type", "dog_attack", "coder", "threatened only")


def dismissed_blind(w):
    w.double_coded(submit=False)
    suggestion_review.dismiss(w.db, w.testimony(), w.book, "place", "kuznica", "coder")


def restored(w):
    dismissed(w)
    suggestion_review.restore(w.db, w.testimony(), "abuse_type", "dog_attack", "coder2")


def assigned_with_a_note(w):
    w.imported()
    for name in ("coder", "coder2"):
        add_account(w.db, name, "coder")
    double_coding.assign(w.db, w.testimony(), ["coder", "coder2"], REVIEWER, "a second reading")


def blind_codes(w):
    w.double_coded(submit=False)


def submitted(w):
    w.double_coded()


def settled(w):
    w.double_coded()
    w.settle()


def settled_in_agreement(w):
    w.imported()
    for name in ("coder", "coder2"):
        add_account(w.db, name, "coder")
    testimony = w.testimony()
    double_coding.assign(w.db, testimony, ["coder", "coder2"], REVIEWER)
    for coder in (CODER, CODER2):
        code_blind(w.db, testimony["id"], coder["name"], "beating", "They beat us with batons", ["by_border_guard"])
        double_coding.submit(w.db, testimony, coder)
    w.settle({}, "they agree")


CASES = [  # (entity, action), what is done, which of its entries, the sentence, the reason as the person wrote it
    (("testimony", "create"), imported, 0, "tester imported it from the file **import-0.json** (batch 1)", None),
    (("testimony", "create"), through_the_intake_form, 0, "coder added it through the intake form", None),
    (("code", "create"), coded_with_everything, 0,
     f"coder coded **Beating** ({BY_SOLDIERS}; Kuźnica; 8 November 2021; 3 victims, 1 of them minor) "
     "on “They beat us with batons”", None),
    (("code", "create"), from_a_suggestion, 0,
     f"coder coded **Beating** on “{TEXT.split('. ')[2]}”, accepting a suggestion", None),
    (("code", "create"), blind_codes, 0,
     f"coder coded **{DOGS}** ({BY_GUARDS}) on “A dog bit my brother's leg.”, in their blind coding", None),
    (("testimony", "update"), coded_and_started, -1, "coder moved the status from New to In progress, with the "
                                                     "first code", None),
    (("testimony", "update"), status_with_a_reason, -1, "coder moved the status from In progress to Coded",
     "all passages coded"),
    (("testimony", "update"), status_without_a_reason, -1, "reviewer moved the status from Coded to Reviewed", None),
    (("testimony", "update"), consent_withdrawn, -1,
     "reviewer changed the consent from Legal to Withdrawn (the witness decided on 10 January 2022)",
     "the witness asked by phone"),
    (("testimony", "update"), confidentiality_and_consent, -1,
     "reviewer changed the consent from Legal to Internal and the confidentiality from Restricted to Confidential",
     "kept in the archive only"),
    (("testimony", "purge"), purged, 0,
     "admin purged the testimony: its statement, witness and codes are erased, and the values of its history; "
     "its reference and hashes are kept", "the witness's lawyer asked"),
    (("testimony", "update"), title_and_language, -1,
     "reviewer changed the title from “Chased with dogs near Kuźnica (1)” to “Dogs at Kuźnica” "
     "and the language from English to Polish", "as the interviewer wrote it"),
    (("testimony", "update"), incident_migrated, -1,
     f"archive set the incident, as stated at intake: Kuźnica; November 2021; {BY_SOLDIERS}", incident.MIGRATED),
    (("code", "update"), victims_changed, 0, f"coder changed the code **Beating**: victims none{ARROW}20",
     "the statement says twenty"),
    (("code", "update"), victims_then_place_and_date, 0,
     f"coder changed the code **Beating**: place Kuźnica{ARROW}Bruzgi; "
     f"date 8 November 2021{ARROW}about 16 November 2021",
     "the map says Bruzgi"),
    (("code", "update"), abuse_type_and_perpetrators, 0,
     f"coder changed the code **Beating**: abuse type Beating{ARROW}{DOGS}; "
     f"perpetrators {BY_GUARDS}{ARROW}{BY_GUARDS}, {PL_GUARDS}", "it was a dog"),
    (("code", "delete"), removed, 0, "coder2 removed the code **Threats**", "coded twice by mistake"),
    (("code", "delete"), incident_migrated, 0, "archive removed the code **No abuse type**", incident.MIGRATED),
    (("redaction", "create"), redacted, 0,
     "coder marked a passage of 16 characters as identifying: exports show it as [redacted]", None),
    (("suggestion_dismissal", "create"), dismissed, 0,
     f"coder dismissed the suggestion **{DOGS}** (an abuse type)", "threatened only"),
    (("suggestion_dismissal", "create"), dismissed_blind, 0,
     "coder dismissed the suggestion **Kuźnica** (a place) in their blind coding", None),
    (("suggestion_dismissal", "delete"), restored, 0,
     f"coder2 offered the suggestion **{DOGS}** (an abuse type) again, which coder had dismissed", None),
    (("coding_assignment", "assign"), assigned_with_a_note, 1, "reviewer assigned coder2 to code it blind",
     "a second reading"),
    (("coding_assignment", "submit"), submitted, 1, "coder2 submitted their blind coding", None),
    (("code", "supersede"), settled, 3, f"reviewer kept coder2’s blind code **{THEFT}** as superseded",
     "Phones: not in the statement"),
    (("code", "settle"), settled, 1,
     f"reviewer accepted coder’s **Beating** ({BY_GUARDS}) on “They beat us with batons” "
     "into the testimony’s coding",
     "Phones: not in the statement"),
    (("coding_assignment", "settle"), settled, 0,
     f"reviewer settled the double coding: accepted **Beating** from coder; rejected **{THEFT}** and the "
     "**Poland** side from coder2", "Phones: not in the statement"),
    (("coding_assignment", "settle"), settled_in_agreement, 0,
     "reviewer settled the double coding: the coders agreed on every abuse type and side", "they agree"),
]


@pytest.mark.parametrize("key, do, which, sentence, reason", CASES,
                         ids=[f"{key[0]}-{key[1]}-{do.__name__}" for key, do, *_ in CASES])
def test_each_entry_reads_as_a_sentence(world, key, do, which, sentence, reason):
    reference = do(world) or REFERENCE
    entries = [told for told in world.told(reference) if (told.row["entity"], told.row["action"]) == key]
    assert (plain(entries[which].sentence), entries[which].reason) == (sentence, reason)


def _written(paths, store_writers=("_record", "record_history")):
    """The (entity, action) pairs the history writers in `paths` name."""
    written = set()
    for path in paths:
        writers = set(store_writers) if path.parent.name == "store" else {"record_history"}
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                name = getattr(call, "func", None)
                name = getattr(name, "attr", None) or getattr(name, "id", None)
                if not isinstance(call, ast.Call) or name not in writers:
                    continue
                entity, action = call.args[2], call.args[4]
                if isinstance(entity, ast.Constant) and isinstance(action, ast.Constant):
                    written.add((entity.value, action.value))
                else:  # only a pass-through may name them by variable (store.record_history)
                    assert function.name == "record_history", f"{path.name}:{call.lineno}: name the entity and action"
    return written


def test_every_kind_of_entry_has_a_sentence_and_a_case():
    """Every history entry written (store.py's `_record(`, `store.record_history(` anywhere in archive/)
    names an (entity, action) said here; the incidents' own history (store/incidents.py's
    `record_change(`) has its words in archive/incidents/pages.py."""
    import archive
    from archive.incidents import pages

    incidents = Path(archive.__file__).parent / "store" / "incidents.py"
    assert _written([incidents], store_writers=["record_change"]) == set(pages.HISTORY_WORDS)
    written = _written(p for p in Path(archive.__file__).parent.rglob("*.py") if p != incidents)
    assert written - set(history_words.SENTENCES) == set(), "no sentence for these: add one to SENTENCES"
    assert set(history_words.SENTENCES) - written == set(), "sentences for entries nothing writes"
    assert {key for key, *_ in CASES} == set(history_words.SENTENCES), "each sentence needs a case in CASES"


# --- items: what was done together, as one ---------------------------------------------------------

def test_an_import_is_one_item_with_its_incident_and_codes(world):
    world.imported(abuse_types=["dog_attack", "beating"], perpetrators=["by_military_special"],
                   location="Kuznitsa", incident_date_from="2021-11")
    [item] = world.items()
    facts = f"({BY_SOLDIERS}; Kuźnica; November 2021)"
    assert history_items.as_text(item) == "\n".join([
        "tester imported it from the file **import-0.json** (batch 1)",
        "  · Consent Legal, confidentiality Restricted",
        f"  · Incident, as stated: Kuźnica; November 2021; {BY_SOLDIERS}",
        f"  · **{DOGS}** {facts}, awaiting its passage",
        f"  · **Beating** {facts}, awaiting its passage"])
    assert item.entries == 3


def test_a_settlement_is_one_item_with_what_it_did(world):
    settled(world)
    items = world.items()
    assert history_items.as_text(items[0]) == "\n".join([
        f"reviewer settled the double coding: accepted **Beating** from coder; rejected **{THEFT}** and the "
        "**Poland** side from coder2 — “Phones: not in the statement”",
        f"  · Now coded: **{DOGS}** ({BY_GUARDS}) on “A dog bit my brother's leg.”, as coder coded it",
        f"  · Now coded: **Beating** ({BY_GUARDS}) on “They beat us with batons”, as coder coded it",
        "  · Kept as superseded: 4 blind codes (2 of coder and 2 of coder2)",
        "  · reviewer moved the status from New to Coded"])
    assert items[0].entries == 8
    assert history_items.as_text(items[-2]) == "reviewer assigned coder and coder2 to code it blind"
    assert history_items.as_text(items[-1]) == "tester imported it from the file **import-0.json** (batch 1)\n" \
                                               "  · Consent Legal, confidentiality Restricted"


def test_a_codes_own_history_reads_the_same(world):
    settled(world)
    told = world.told()
    theft = next(t.code for t in told if t.code and t.code.get("abuse_type") == "theft")
    own = history_items.items([t for t in told if t.row["entity"] == "code" and t.row["entity_id"] == theft["id"]],
                              world.book)
    assert [history_items.as_text(item) for item in own] == [
        f"reviewer kept coder2’s blind code **{THEFT}** as superseded — “Phones: not in the statement”",
        f"coder2 coded **{THEFT}** ({PL_GUARDS}) on “took our phones”, in their blind coding"]


def test_items_come_newest_first_and_each_says_when(world):
    status_with_a_reason(world)
    items = world.items()
    assert [item.at for item in items] == sorted((item.at for item in items), reverse=True)
    assert items[0].reason == "all passages coded" and items[0].actor == "coder"


# --- what history never says -------------------------------------------------------------------

def test_no_witness_identity_and_no_redacted_text_in_any_sentence(world):
    world.imported(witness_name="Yusuf Haddad", witness_contact="+48 600 100 200", witness_pseudonym="W-17")
    redacted(world)
    said = "\n".join(history_items.as_text(item) for item in world.items())
    for secret in ("Yusuf", "Haddad", "600 100 200", "my brother's leg"):
        assert secret not in said


def test_what_people_wrote_is_escaped_and_only_our_tags_are_added(world):
    world.import_records([factories.record(5, text="They shouted <script>alert(1)</script> at us.",
                                           abuse_types=None, perpetrators=None, location=None)])
    testimony = world.testimony("T-2021-0005")
    text = testimony["text"]
    start = text.index("<script>")
    code = CodeSchema(world.book, text).load({"abuse_type": "threats", "start": start, "end": start + 25})
    code_id = coding.add_code(world.db, testimony, code, CODER)[1]
    coding.remove_code(world.db, testimony, code_id, CODER, '<img src=x onerror="alert(2)">')
    told = world.told("T-2021-0005")
    html = "".join(markup(t.sentence) for t in told)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>Threats</strong>" in html and "<bdi>" in html
    assert told[-1].reason == '<img src=x onerror="alert(2)">'  # the page escapes it (tests/web/test_history_page.py)


def test_an_entry_whose_values_are_gone_still_reads(world, codebook):
    """Entries whose old and new values were emptied (as a purge would) say what was done, without them."""
    rows = [{"entity": "code", "entity_id": 9, "action": action, "old": None, "new": None, "actor": "coder",
             "reason": None, "at": "2026-12-02T14:05:11+00:00"} for action in ("create", "update", "delete")]
    rows.append({**rows[0], "entity": "coding_assignment", "action": "settle"})
    assert [plain(t.sentence) for t in history_words.tell(rows, codebook)] == [
        "coder coded a passage", "coder changed a code", "coder removed a code", "coder settled the double coding"]


def test_a_purged_testimonys_history_says_what_was_done_and_nothing_of_it(world):
    purged(world)
    said = [history_items.as_text(item) for item in world.items()]
    assert said == [
        "admin purged the testimony: its statement, witness and codes are erased, and the values of its history; "
        "its reference and hashes are kept — “the witness's lawyer asked”",
        "reviewer changed the testimony",  # the consent's change, its values gone with the rest
        "tester added the testimony"]
