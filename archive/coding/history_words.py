"""A testimony's history in words: one sentence for each entry the store writes, as a person says it.

`tell(rows, codebook)` reads `store.history_of` rows in order and returns one `Told` per entry. The
rows are replayed, code by code, because an entry holds only what changed: "coder changed the code
Beating: victims 3 → 20" needs the code's abuse type from its earlier entries, and a settlement's
"rejected the Poland side from coder2" needs to know whose blind codes named Poland.

A code in a sentence reads through archive/coding/code_words.py; archive/coding/history_items.py makes the entries
of one transaction one item. SENTENCES names a sentence for every (entity, action) the archive writes;
tests/unit/test_history_words.py reads the source for every `_record(` and `record_history(` and fails
when one is missing here.

History never holds a witness's identifying fields (store.py keeps them out), and a redaction's
entry holds its offsets, never its text: nothing here may add them.
"""
import re
from dataclasses import dataclass, field

from archive.coding import STATUS_LABELS
from archive.coding.code_words import CODE_ASPECTS, aspect, code_label, code_phrase, date, perpetrators, place, the_code
from archive.coding.sentences import Quoted, Strong, joined, quoted
from archive.coding.suggestion_review import label as suggestion_label
from archive.search.results import date_label

# Reasons the archive writes itself: they are not a person's words, so they are not quoted; a few
# add a phrase to the sentence instead. Matched whole; the writers are named beside each.
ARCHIVE_REASONS = (
    (r"coded on the workbench", ""),                        # coding.add_code
    (r"first code", ", with the first code"),               # coding, suggestion_review
    (r"added through the intake form", ""),                 # intake.add_testimony
    (r"import of .+ \(batch \d+\)", ""),                    # intake.import_file
    (r"identifying passage marked on the workbench", ""),   # coding.add_code
    (r"suggestion (dismissed|restored)", ""),               # store: suggestion dismissals
    (r"marked (new|in progress|coded|reviewed)", ""),       # coding.change_status
    (r"accepted a suggestion \(.*\)", ", accepting a suggestion"),  # suggestion_review.proposal
)
IMPORTED = re.compile(r"import of (.+) \(batch (\d+)\)")
ARROW = "\u00a0→ "  # "3 → 20": the arrow stays with the old value when the line wraps
SUGGESTION_KINDS = {"abuse_type": "an abuse type", "place": "a place", "date": "a date"}

# Testimony fields as a sentence names them; bookkeeping that changes with them is not said.
TESTIMONY_FIELDS = {
    "title": "the title", "language": "the language", "interview_date": "the interview date",
    "interviewer": "the interviewer", "organisation": "the organisation", "source": "the source",
    "confidentiality": "the confidentiality", "consent": "the consent", "status": "the status",
    "consent_decided_at": "the day the witness decided",
}
QUOTED_FIELDS = {"title", "interviewer", "organisation", "source"}  # free text, as a person wrote it
UNSAID = {"consent_recorded_at", "consent_recorded_by", "updated_at", "revision"}
INCIDENT_FIELDS = {"incident_place_id", "incident_place_text", "incident_date_text", "incident_date_from",
                   "incident_date_to", "incident_date_precision", "perpetrators"}

@dataclass
class Told:
    """One history entry in words: `sentence` begins with who did it; `details` are lines under it;
    `code` is the code as it stood after the entry (for code entries); `reason` the person's own."""
    row: dict
    sentence: list
    details: list = field(default_factory=list)
    code: dict = None
    reason: str = None


@dataclass
class _Entry:
    """What a sentence is made from: the row, and the replayed codes before and after it."""
    row: dict
    book: object
    before: dict
    after: dict
    codes: dict

    @property
    def old(self):
        return self.row["old"] or {}

    @property
    def new(self):
        return self.row["new"] or {}


def tell(rows, book):
    """Each history row (in order, as store.history_of returns them) as a Told."""
    codes, told = {}, []
    for row in rows:
        before = dict(codes.get(row["entity_id"], {})) if row["entity"] == "code" else None
        if row["entity"] == "code":
            codes[row["entity_id"]] = _replayed(before, row)
        entry = _Entry(row, book, before, codes.get(row["entity_id"]) if row["entity"] == "code" else None, codes)
        describe = SENTENCES.get((row["entity"], row["action"]), _unknown)
        phrase, details = describe(entry)
        own, suffix = reason_words(row["reason"])
        told.append(Told(row, [who(row), " ", *phrase, *([suffix] if suffix else [])], details, entry.after, own))
    return told


def who(row):
    return row["actor"] or "someone"


def reason_words(reason):
    """(the reason if a person wrote it, else None; a phrase the archive's own reason adds)."""
    if not reason:
        return None, ""
    for pattern, phrase in ARCHIVE_REASONS:
        if re.fullmatch(pattern, reason, re.S):
            return None, phrase
    return reason, ""


def _replayed(before, row):
    """The code after this entry: created, changed, removed (kept as it was, marked), re-staged."""
    state = dict(before or {})
    if row["action"] in ("create", "settle"):
        state = dict(row["new"] or {})
    elif row["action"] == "delete":
        state = {**(row["old"] or state), "removed": True}
    else:
        state.update(row["new"] or {})
    return {**state, "id": row["entity_id"]}


# --- codes -------------------------------------------------------------------------------------

def _code_created(entry):
    blind = ", in their blind coding" if entry.new.get("stage") == "blind" else ""
    return ["coded ", *code_phrase(entry.after, entry.book), blind], []


def _code_changed(entry):
    names = dict.fromkeys(CODE_ASPECTS[key] for key in entry.new if key in CODE_ASPECTS)
    changes = [[f"{name} ", *aspect(entry.before, name, entry.book), ARROW, *aspect(entry.after, name, entry.book)]
               for name in names]
    said = ["changed ", *the_code(entry.before, entry.book)]
    return (said + [": ", *joined(changes, last="; ", between="; ")] if changes else said), []


def _code_removed(entry):
    return ["removed ", *the_code(entry.after, entry.book)], []


def _code_superseded(entry):
    label = code_label(entry.after, entry.book)
    return ["kept ", _whose(entry.after), " blind code ", *([label, " "] if label else []), "as superseded"], []


def _code_settled(entry):
    return ["accepted ", _whose(entry.after), " ", *code_phrase(entry.after, entry.book),
            " into the testimony’s coding"], []


def _whose(code):
    return f"{code['coder']}’s" if code and code.get("coder") else "a coder’s"


def _redaction_made(entry):
    new = entry.new
    if new.get("passage_start") is None:
        return ["marked a passage as identifying"], []
    length = new["passage_end"] - new["passage_start"]
    return [f"marked a passage of {length} character{'s' if length != 1 else ''} as identifying: "
            "exports show it as [redacted]"], []


# --- suggestions -------------------------------------------------------------------------------

def _suggestion(values, book):
    if not values.get("kind"):
        return ["a suggestion"]
    kind = SUGGESTION_KINDS.get(values["kind"], values["kind"].replace("_", " "))
    return ["the suggestion ", Strong(suggestion_label(book, values["kind"], values["value"])), f" ({kind})"]


def _suggestion_dismissed(entry):
    blind = " in their blind coding" if entry.new.get("blind") else ""
    return ["dismissed ", *_suggestion(entry.new, entry.book), blind], []


def _suggestion_restored(entry):
    by = entry.old.get("dismissed_by")
    dismissed = f", which {by} had dismissed" if by and by != entry.row["actor"] else ""
    return ["offered ", *_suggestion(entry.old, entry.book), " again", dismissed], []


# --- the testimony -----------------------------------------------------------------------------

def _testimony_created(entry):
    new, reason = entry.new, entry.row["reason"] or ""
    imported = IMPORTED.fullmatch(reason)
    if imported:
        said = ["imported it from the file ", Strong(imported.group(1)), f" (batch {imported.group(2)})"]
    elif new.get("import_batch_id"):
        said = [f"imported it (batch {new['import_batch_id']})"]
    elif reason == "added through the intake form":
        said = ["added it through the intake form"]
    else:
        said = ["added the testimony"]
    details = []
    if new.get("consent"):
        details.append([f"Consent {new['consent']}, confidentiality {new.get('confidentiality')}"])
    incident = _incident(new, entry.book)
    if incident:
        details.append([f"Incident, as stated: {incident}"])
    return said, details


def _incident(values, book):
    """The testimony's incident (archive/intake/incident.py columns) in a few words, '' when none."""
    return "; ".join(part for part in (
        place(values, book, "incident_place_id", "incident_place_text"),
        date(values, "incident_date_text", "incident_date_precision"),
        perpetrators(values.get("perpetrators"), book)) if part)


def _testimony_updated(entry):
    old, new = entry.old, entry.new
    names = [name for name in new if name not in UNSAID]
    if names == ["status"]:
        return ["moved the status from ", _status(old.get("status")), " to ", _status(new["status"])], []
    changes = []
    if INCIDENT_FIELDS & set(names):
        was, now = _incident(old, entry.book), _incident(new, entry.book)
        if not was and set(names) <= INCIDENT_FIELDS:
            return [f"set the incident, as stated at intake: {now}"], []
        changes.append(["the incident, as stated at intake, from ", was or "none", " to ", now or "none"])
    decided = new.get("consent_decided_at") if "consent" in names else None  # said with the consent
    for name in names:
        if name in INCIDENT_FIELDS or (decided and name == "consent_decided_at"):
            continue
        changes.append([f"{TESTIMONY_FIELDS.get(name, name.replace('_', ' '))} from ",
                        _field_value(name, old.get(name)), " to ", _field_value(name, new.get(name)),
                        *([f" (the witness decided on {_day(decided)})"] if name == "consent" and decided else [])])
    return (["changed ", *joined(changes)] if changes else ["changed the testimony"]), []


def _day(iso):
    """'2022-01-01' -> '1 January 2022' (archive/consent/__init__.py records the day the witness decided)."""
    return date_label(str(iso)[:10], "day")


def _testimony_purged(entry):
    """archive/consent/purge.py: the statement and all that could identify the witness are gone; the entry
    keeps the reference, the hashes and where the testimony had been."""
    new = entry.new
    said = ["purged the testimony: its statement, witness and codes are erased, and the values of its history; "
            "its reference and hashes are kept"]
    details = []
    if new.get("case_files"):
        details.append(["It was in the case files ", *joined([[Quoted(c["name"])] for c in new["case_files"]])])
    exports = len(new.get("exports") or ()) + len(new.get("unlisted_exports") or ())
    if exports:
        details.append([f"It had been exported {exports} time{'s' if exports != 1 else ''}"])
    if new.get("backups"):
        count = len(new["backups"])
        details.append([f"{count} backup{'s' if count != 1 else ''} made since it was added may still hold it"])
    return said, details


def _status(status):
    return STATUS_LABELS.get(status, status or "none")


def _field_value(name, value):
    if value is None or value == "":
        return "none"
    if name == "status":
        return _status(value)
    return quoted(value) if name in QUOTED_FIELDS else str(value)


# --- double coding -----------------------------------------------------------------------------

def _coder_assigned(entry):
    return ["assigned ", entry.new.get("coder") or "a coder", " to code it blind"], []


def _coding_submitted(entry):
    return ["submitted their blind coding"], []


def _double_coding_settled(entry):
    """'settled the double coding: accepted Beating from coder; rejected the Poland side from coder2'.
    A decision's key names an abuse type or a perpetrator side (reliability.Disagreement.key); whose
    it was is read from the blind codes, each kept as superseded by the same settlement."""
    decisions = entry.new.get("decisions")
    if decisions is None:
        return ["settled the double coding"], []
    if not decisions:
        return ["settled the double coding: the coders agreed on every abuse type and side"], []
    blind = [code for code in entry.codes.values() if code.get("stage") == "superseded" and not code.get("removed")]
    said = []
    for decision, verb in (("accept", "accepted"), ("reject", "rejected")):
        by_coders = {}
        for key in sorted(key for key, chosen in decisions.items() if chosen == decision):
            by_coders.setdefault(tuple(_applied_by(key, blind, entry.book)), []).append(_decided(key, entry.book))
        if by_coders:
            said.append([f"{verb} ", *joined([[*joined(keys), *([" from ", " and ".join(coders)] if coders else [])]
                                              for coders, keys in by_coders.items()], last=", ")])
    return ["settled the double coding: ", *joined(said, last="; ", between="; ")], []


def _applied_by(key, codes, book):
    """The coders whose blind codes applied the decision's abuse type or side, in coding order."""
    dimension, _, value = key.partition(":")
    coders = []
    for code in sorted(codes, key=lambda c: c["id"]):
        if dimension == "abuse_type":
            applies = code.get("abuse_type") == value
        else:
            applies = any(book.perpetrators.get(p, {}).get("side") == value for p in code.get("perpetrators", ()))
        if applies and code.get("coder") not in coders:
            coders.append(code.get("coder"))
    return coders


def _decided(key, book):
    dimension, _, value = key.partition(":")
    if dimension == "abuse_type":
        return [Strong(book.label("abuse_type", value))]
    return ["the ", Strong(book.label("perpetrator", value)), " side"]


def _unknown(entry):
    """A kind of entry this version cannot say (the test of SENTENCES fails first): said as it is."""
    row = entry.row
    return [f"{row['action'].replace('_', ' ')} ({row['entity'].replace('_', ' ')})"], []


SENTENCES = {
    ("testimony", "create"): _testimony_created,
    ("testimony", "update"): _testimony_updated,
    ("testimony", "purge"): _testimony_purged,
    ("code", "create"): _code_created,
    ("code", "update"): _code_changed,
    ("code", "delete"): _code_removed,
    ("code", "supersede"): _code_superseded,
    ("code", "settle"): _code_settled,
    ("redaction", "create"): _redaction_made,
    ("suggestion_dismissal", "create"): _suggestion_dismissed,
    ("suggestion_dismissal", "delete"): _suggestion_restored,
    ("coding_assignment", "assign"): _coder_assigned,
    ("coding_assignment", "submit"): _coding_submitted,
    ("coding_assignment", "settle"): _double_coding_settled,
}

