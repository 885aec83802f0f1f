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
from archive.coding.sentences import Quoted, Strong, joined, quoted, sentence, sentence_plural
from archive.coding.suggestion_review import label as suggestion_label
from archive.i18n import N_, say
from archive.search.results import date_label
from archive.value_words import language, word

# Reasons the archive writes itself: they are not a person's words, so they are not quoted; a few
# add a phrase to the sentence instead. Matched whole; the writers are named beside each.
ARCHIVE_REASONS = (
    (r"coded on the workbench", ""),                        # coding.add_code
    (r"first code", N_(", with the first code")),           # coding, suggestion_review
    (r"added through the intake form", ""),                 # intake.add_testimony
    (r"import of .+ \(batch \d+\)", ""),                    # intake.import_file
    (r"identifying passage marked on the workbench", ""),   # coding.add_code
    (r"suggestion (dismissed|restored)", ""),               # store: suggestion dismissals
    (r"marked (new|in progress|coded|reviewed)", ""),       # coding.change_status
    (r"accepted a suggestion \(.*\)", N_(", accepting a suggestion")),  # suggestion_review.proposal
)
IMPORTED = re.compile(r"import of (.+) \(batch (\d+)\)")
ARROW = "\u00a0→ "  # "3 → 20": the arrow stays with the old value when the line wraps
SUGGESTION_KINDS = {"abuse_type": N_("an abuse type"), "place": N_("a place"), "date": N_("a date")}

# Testimony fields as a sentence names them; bookkeeping that changes with them is not said.
TESTIMONY_FIELDS = {
    "title": N_("the title"), "language": N_("the language"), "interview_date": N_("the interview date"),
    "interviewer": N_("the interviewer"), "organisation": N_("the organisation"), "source": N_("the source"),
    "confidentiality": N_("the confidentiality"), "consent": N_("the consent"), "status": N_("the status"),
    "consent_decided_at": N_("the day the witness decided"),
}
QUOTED_FIELDS = {"title", "interviewer", "organisation", "source"}  # free text, as a person wrote it
WORDED_FIELDS = {"consent", "confidentiality"}  # said in the words the forms show for them (value_words)
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
    return row["actor"] or say("someone")


def reason_words(reason):
    """(the reason if a person wrote it, else None; a phrase the archive's own reason adds)."""
    if not reason:
        return None, ""
    for pattern, phrase in ARCHIVE_REASONS:
        if re.fullmatch(pattern, reason, re.S):
            return None, say(phrase) if phrase else ""
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
    code = code_phrase(entry.after, entry.book)
    if entry.new.get("stage") == "blind":
        return sentence("coded %(code)s, in their blind coding", code=code), []
    return sentence("coded %(code)s", code=code), []


def _code_changed(entry):
    names = dict.fromkeys(CODE_ASPECTS[key] for key in entry.new if key in CODE_ASPECTS)
    changes = [sentence("%(aspect)s %(old)s%(arrow)s%(new)s", aspect=say(name),
                        old=aspect(entry.before, name, entry.book), arrow=ARROW,
                        new=aspect(entry.after, name, entry.book)) for name in names]
    code = the_code(entry.before, entry.book)
    if not changes:
        return sentence("changed %(code)s", code=code), []
    return sentence("changed %(code)s: %(changes)s", code=code, changes=joined(changes, last="; ", between="; ")), []


def _code_removed(entry):
    return sentence("removed %(code)s", code=the_code(entry.after, entry.book)), []


def _code_superseded(entry):
    label, coder = code_label(entry.after, entry.book), _coder(entry.after)
    if coder and label:
        return sentence("kept %(coder)s’s blind code %(code)s as superseded", coder=coder, code=label), []
    if coder:
        return sentence("kept %(coder)s’s blind code as superseded", coder=coder), []
    if label:
        return sentence("kept a coder’s blind code %(code)s as superseded", code=label), []
    return sentence("kept a coder’s blind code as superseded"), []


def _code_settled(entry):
    code, coder = code_phrase(entry.after, entry.book), _coder(entry.after)
    if coder:
        return sentence("accepted %(coder)s’s %(code)s into the testimony’s coding", coder=coder, code=code), []
    return sentence("accepted a coder’s %(code)s into the testimony’s coding", code=code), []


def _coder(code):
    return code.get("coder") if code else None


def _redaction_made(entry):
    new = entry.new
    if new.get("passage_start") is None:
        return sentence("marked a passage as identifying"), []
    length = new["passage_end"] - new["passage_start"]
    return sentence_plural("marked a passage of %(num)s character as identifying: exports show it as [redacted]",
                           "marked a passage of %(num)s characters as identifying: exports show it as [redacted]",
                           length), []


# --- suggestions -------------------------------------------------------------------------------

def _suggestion(values, book):
    if not values.get("kind"):
        return [say("a suggestion")]
    kind = SUGGESTION_KINDS.get(values["kind"])
    label = Strong(suggestion_label(book, values["kind"], values["value"]))
    return sentence("the suggestion %(label)s (%(kind)s)", label=label,
                    kind=say(kind) if kind else values["kind"].replace("_", " "))


def _suggestion_dismissed(entry):
    suggestion = _suggestion(entry.new, entry.book)
    if entry.new.get("blind"):
        return sentence("dismissed %(suggestion)s in their blind coding", suggestion=suggestion), []
    return sentence("dismissed %(suggestion)s", suggestion=suggestion), []


def _suggestion_restored(entry):
    by, suggestion = entry.old.get("dismissed_by"), _suggestion(entry.old, entry.book)
    if by and by != entry.row["actor"]:
        return sentence("offered %(suggestion)s again, which %(by)s had dismissed", suggestion=suggestion, by=by), []
    return sentence("offered %(suggestion)s again", suggestion=suggestion), []


# --- the testimony -----------------------------------------------------------------------------

def _testimony_created(entry):
    new, reason = entry.new, entry.row["reason"] or ""
    imported = IMPORTED.fullmatch(reason)
    if imported:
        said = sentence("imported it from the file %(file)s (batch %(batch)s)", file=Strong(imported.group(1)),
                        batch=imported.group(2))
    elif new.get("import_batch_id"):
        said = sentence("imported it (batch %(batch)s)", batch=str(new["import_batch_id"]))
    elif reason == "added through the intake form":
        said = sentence("added it through the intake form")
    else:
        said = sentence("added the testimony")
    details = []
    if new.get("consent"):
        details.append(sentence("Consent %(consent)s, confidentiality %(confidentiality)s",
                                consent=word(new["consent"]), confidentiality=word(str(new.get("confidentiality")))))
    incident = _incident(new, entry.book)
    if incident:
        details.append(sentence("Incident, as stated: %(incident)s", incident=incident))
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
        return sentence("moved the status from %(old)s to %(new)s", old=_status(old.get("status")),
                        new=_status(new["status"])), []
    changes = []
    if INCIDENT_FIELDS & set(names):
        was, now = _incident(old, entry.book), _incident(new, entry.book)
        if not was and set(names) <= INCIDENT_FIELDS:
            return sentence("set the incident, as stated at intake: %(incident)s", incident=now), []
        changes.append(sentence("the incident, as stated at intake, from %(old)s to %(new)s", old=was or say("none"),
                                new=now or say("none")))
    decided = new.get("consent_decided_at") if "consent" in names else None  # said with the consent
    for name in names:
        if name in INCIDENT_FIELDS or (decided and name == "consent_decided_at"):
            continue
        field_name = say(TESTIMONY_FIELDS[name]) if name in TESTIMONY_FIELDS else name.replace("_", " ")
        values = {"field": field_name, "old": _field_value(name, old.get(name)),
                  "new": _field_value(name, new.get(name))}
        if name == "consent" and decided:
            changes.append(sentence("%(field)s from %(old)s to %(new)s (the witness decided on %(day)s)",
                                    day=_day(decided), **values))
        else:
            changes.append(sentence("%(field)s from %(old)s to %(new)s", **values))
    if not changes:
        return sentence("changed the testimony"), []
    return sentence("changed %(changes)s", changes=joined(changes)), []


def _day(iso):
    """'2022-01-01' -> '1 January 2022' (archive/consent/__init__.py records the day the witness decided)."""
    return date_label(str(iso)[:10], "day")


def _testimony_purged(entry):
    """archive/consent/purge.py: the statement and all that could identify the witness are gone; the entry
    keeps the reference, the hashes and where the testimony had been."""
    new = entry.new
    said = sentence("purged the testimony: its statement, witness and codes are erased, and the values of its "
                    "history; its reference and hashes are kept")
    details = []
    if new.get("case_files"):
        details.append(sentence("It was in the case files %(names)s",
                                names=joined([[Quoted(c["name"])] for c in new["case_files"]])))
    exports = len(new.get("exports") or ()) + len(new.get("unlisted_exports") or ())
    if exports:
        details.append(sentence_plural("It had been exported %(num)s time", "It had been exported %(num)s times",
                                       exports))
    if new.get("backups"):
        details.append(sentence_plural("%(num)s backup made since it was added may still hold it",
                                       "%(num)s backups made since it was added may still hold it",
                                       len(new["backups"])))
    return said, details


def _status(status):
    return say(STATUS_LABELS[status]) if status in STATUS_LABELS else status or say("none")


def _field_value(name, value):
    if value is None or value == "":
        return say("none")
    if name == "status":
        return _status(value)
    if name in WORDED_FIELDS:
        return word(value)
    if name == "language":  # "from Ukrainian to Russian", in the reader's language: not the ISO codes
        return language(value)
    return quoted(value) if name in QUOTED_FIELDS else str(value)


# --- double coding -----------------------------------------------------------------------------

def _coder_assigned(entry):
    if entry.new.get("coder"):
        return sentence("assigned %(coder)s to code it blind", coder=entry.new["coder"]), []
    return sentence("assigned a coder to code it blind"), []


def _coding_submitted(entry):
    return sentence("submitted their blind coding"), []


def _double_coding_settled(entry):
    """'settled the double coding: accepted Beating from coder; rejected the Poland side from coder2'.
    A decision's key names an abuse type or a perpetrator side (reliability.Disagreement.key); whose
    it was is read from the blind codes, each kept as superseded by the same settlement."""
    decisions = entry.new.get("decisions")
    if decisions is None:
        return sentence("settled the double coding"), []
    if not decisions:
        return sentence("settled the double coding: the coders agreed on every abuse type and side"), []
    blind = [code for code in entry.codes.values() if code.get("stage") == "superseded" and not code.get("removed")]
    said = []
    for decision, verb in (("accept", N_("accepted %(decisions)s")), ("reject", N_("rejected %(decisions)s"))):
        by_coders = {}
        for key in sorted(key for key, chosen in decisions.items() if chosen == decision):
            by_coders.setdefault(tuple(_applied_by(key, blind, entry.book)), []).append(_decided(key, entry.book))
        if by_coders:
            decided = [sentence("%(decisions)s from %(coders)s", decisions=joined(keys),
                                coders=say(" and ").join(coders)) if coders else joined(keys)
                       for coders, keys in by_coders.items()]
            said.append(sentence(verb, decisions=joined(decided, last=", ")))
    return sentence("settled the double coding: %(decisions)s", decisions=joined(said, last="; ", between="; ")), []


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
    return sentence("the %(side)s side", side=Strong(book.label("perpetrator", value)))


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

