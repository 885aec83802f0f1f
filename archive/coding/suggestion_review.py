"""A person reviews the suggestions for a testimony: what is pending, accept one, dismiss one,
restore one dismissed by mistake.

Nothing is coded without a person accepting it. Accepting re-finds the suggestion in the stored
text (the form names only its kind and value, never offsets), so the code's passage is always the
exact span that triggered it. Each change is one write transaction, recorded in history by the
person who made it; then the testimony is re-indexed (SQLite first, the index after).
"""
import datetime as dt

from archive import dates, double_coding, errors, languages, service, store
from archive.coding.suggestions import ABUSE_TYPE, DATE, PLACE, perpetrators_in, suggest
from archive.custody import audit
from archive.i18n import N_, say
from archive.search.results import date_label
from archive.store.db import write_transaction

# A suggestion's kind as a refusal names it after its label: "Kuźnica (place)".
KIND_WORDS = {ABUSE_TYPE: N_("abuse type"), PLACE: N_("place"), DATE: N_("date")}


class NotPending(errors.Refused):
    """The suggestion is not (or no longer) pending: dismissed, already coded, or never found."""


def pending_suggestions(db, testimony, codebook, user=None):
    """suggest() on the testimony, minus dismissed suggestions and values already coded on it
    (including this user's own blind codes in double coding)."""
    name = user["name"] if user else None
    hidden = store.dismissed_suggestions(db, testimony["id"], name) | _coded_values(db, testimony, name)
    return [s for s in suggest(testimony["text"], codebook, languages.of(testimony))
            if (s.kind, s.value) not in hidden]


def proposal(text, suggestion, pending, codebook):
    """The code accepting `suggestion` proposes, for the coder to check: the sentence around it as the
    passage (the words that support it, not the one word that triggered it), its abuse type, and
    what the same sentence also says: a place and a date suggested in it, the units it names."""
    start, end = suggestion.passage_start, suggestion.passage_start + len(suggestion.passage)
    within = {s.kind: s for s in reversed(pending) if start <= s.start and s.end <= end}
    within[suggestion.kind] = suggestion
    place, date = within.get(PLACE), within.get(DATE)
    return {
        "start": start, "end": end, "passage": text[start:end],
        "abuse_type": suggestion.value if suggestion.kind == ABUSE_TYPE else None,
        "place": codebook.places[place.value]["name"] if place else None, "place_id": place and place.value,
        "date": date.value if date else None,
        "perpetrators": perpetrators_in(text[start:end], codebook),
        "reason": f"accepted a suggestion ({suggestion.kind} {suggestion.value!r} from {suggestion.trigger!r})",
    }


def accept(db, data_dir, testimony, codebook, kind, value, actor):
    """Accept the pending suggestion (kind, value); returns the id of the code made or completed.

    An abuse type becomes a code of its proposal (the sentence, with the place, date and units the
    sentence gives). A place or a date completes this coder's code whose passage holds it, if that
    code has none yet; a code needs an abuse type, so without such a code it is refused (the
    coding page opens the form with it instead). A new testimony moves to in_progress, unless the
    code is blind (double coding: no status may tell the other coder how far this one has come)."""
    with write_transaction(db):
        current = store.get_testimony_row(db, testimony["reference"])  # read again inside the write
        pending = pending_suggestions(db, current, codebook, {"name": actor})
        suggestion = _pending(db, current, codebook, kind, value, actor)
        proposed = proposal(current["text"], suggestion, pending, codebook)
        if kind == ABUSE_TYPE:
            code_id = _insert_proposal(db, current, proposed, codebook, actor)
        else:
            code_id = _complete(db, current, suggestion, actor, proposed["reason"])
        audit.record(db, actor, "code_added" if kind == ABUSE_TYPE else "code_changed", current["reference"],
                     {"code": code_id, "suggestion": {"kind": kind, "value": value}})  # ids only, as for any code
        if current["status"] == "new" and double_coding.stage_for(db, current["id"], actor) == "coded":
            store.update_testimony(db, current["reference"], {"status": "in_progress"}, actor, "first code")
    service.index_after_commit(data_dir, db, [current["id"]], codebook)
    return code_id


def _insert_proposal(db, testimony, proposed, codebook, actor):
    date = dates.parse(proposed["date"]) if proposed["date"] else None
    code = {"abuse_type": proposed["abuse_type"], "codebook_version": codebook.version,
            "perpetrators": proposed["perpetrators"],
            "place_id": proposed["place_id"], "place_text": proposed["place"],
            "date_text": date and date.text, "date_from": date and date.start.isoformat(),
            "date_to": date and date.end.isoformat(), "date_precision": date and date.precision,
            "passage_start": proposed["start"], "passage_end": proposed["end"], "passage_text": proposed["passage"],
            "stage": double_coding.stage_for(db, testimony["id"], actor)}
    return store.insert_code(db, testimony["id"], code, actor, proposed["reason"])


def _complete(db, testimony, suggestion, actor, reason):
    """Put an accepted place or date on this coder's code whose passage holds it and lacks one."""
    columns = _columns(suggestion)
    empty = "place_id" if suggestion.kind == PLACE else "date_text"
    user = {"name": actor, "role": "coder"}
    for code in double_coding.visible_codes(db, testimony, user):
        if (code["passage_start"] is not None and code["passage_start"] <= suggestion.start
                and suggestion.end <= code["passage_end"] and code[empty] is None
                and double_coding.may_change_code(db, code, user)):
            store.update_code(db, code["id"], columns, actor, reason)
            return code["id"]
    raise NotPending(say("%(suggestion)s is not inside a passage you coded: select its passage and choose an abuse "
                         "type in the code form (a code needs one)", suggestion=label_of(suggestion)))


def label_of(suggestion):
    kind = say(KIND_WORDS[suggestion.kind]) if suggestion.kind in KIND_WORDS else suggestion.kind.replace("_", " ")
    return say("%(label)s (%(kind)s)", label=suggestion.label, kind=kind)


def dismiss(db, testimony, codebook, kind, value, actor, reason=None):
    """Stop offering (kind, value) on this testimony; within a blind coding, to this coder only."""
    with write_transaction(db):
        current = store.get_testimony_row(db, testimony["reference"])
        _pending(db, current, codebook, kind, value, actor)
        store.insert_suggestion_dismissal(db, current["id"], kind, value, actor, reason,
                                          blind=double_coding.stage_for(db, current["id"], actor) == "blind")
        audit.record(db, actor, "suggestion_dismissed", current["reference"], {"kind": kind, "value": value})


def dismissed(db, testimony, codebook, user):
    """The dismissed suggestions of a testimony that this user sees, with labels, to offer again."""
    return [{**row, "label": label(codebook, row["kind"], row["value"])}
            for row in store.suggestion_dismissals(db, testimony["id"], user["name"] if user else None)]


def restore(db, testimony, kind, value, actor):
    """Offer a dismissed suggestion again (a dismissal made by mistake is not final)."""
    with write_transaction(db):
        current = store.get_testimony_row(db, testimony["reference"])
        if not store.delete_suggestion_dismissal(db, current["id"], kind, value, actor):
            raise NotPending(say("the suggestion %(kind)s %(value)s is not dismissed on %(reference)s",
                                 kind=kind, value=repr(value), reference=current["reference"]))
        audit.record(db, actor, "suggestion_restored", current["reference"], {"kind": kind, "value": value})


def label(codebook, kind, value):
    """How a suggestion's value reads: an abuse type's or place's label, a date at its precision."""
    if kind == DATE:
        try:
            return date_label(value, dates.parse(value, today=dt.date.max).precision)
        except dates.DateError:
            return value
    return codebook.label(kind, value)


def _pending(db, testimony, codebook, kind, value, actor):
    for suggestion in pending_suggestions(db, testimony, codebook, {"name": actor}):
        if (suggestion.kind, suggestion.value) == (kind, value):
            return suggestion
    raise NotPending(say("no pending suggestion %(kind)s %(value)s on %(reference)s: it was dismissed, is already "
                         "coded, or is not in the text", kind=kind, value=repr(value),
                         reference=testimony["reference"]))


def _columns(suggestion):
    if suggestion.kind == ABUSE_TYPE:
        return {"abuse_type": suggestion.value}
    if suggestion.kind == PLACE:
        return {"place_id": suggestion.value, "place_text": suggestion.trigger}
    date = dates.parse(suggestion.value)
    return {"date_text": date.text, "date_from": date.start.isoformat(), "date_to": date.end.isoformat(),
            "date_precision": date.precision}


def _coded_values(db, testimony, name):
    codes = store.codes_of(db, [testimony["id"]], stages=("coded", "blind")).get(testimony["id"], [])
    values = set()
    for code in codes:
        if code["stage"] == "blind" and code["coder"] != name:
            continue  # another coder's blind coding is not this user's to see
        values |= {(ABUSE_TYPE, code["abuse_type"]), (PLACE, code["place_id"]), (DATE, code["date_text"])}
    return values
