"""Double coding: a testimony assigned to two or more coders who code it blind to each other,
then settled by a reviewer.

While a testimony is unsettled, the codes its assigned coders save are 'blind' (`stage_for`), and
an assigned coder sees only their own (`visible_codes`). Once every coder has submitted, a
reviewer settles each disagreement (archive/double_coding/reliability.py finds them): the accepted blind codes
are copied as the testimony's 'coded' codes, and every blind code becomes 'superseded', kept.
"""
from archive import errors, service, store
from archive.custody import audit
from archive.double_coding.reliability import find_disagreements
from archive.i18n import say, say_plural
from archive.security import access
from archive.store.db import write_transaction

MIN_CODERS = 2
DECISIONS = ("accept", "reject")


class Refused(errors.Refused):
    status = 400  # the form is shown again with the reason
    """A double-coding action that cannot be done; the message says why, for the person who tried."""


# --- assigning and coding -----------------------------------------------------------------------

def assign(db, testimony, coders, reviewer, reason=None):
    """Assign the testimony to `coders` (account names); with those already assigned, at least two."""
    _require(reviewer, "review")
    coders = [name.strip() for name in coders if name and name.strip()]
    twice = sorted({name for name in coders if coders.count(name) > 1})
    if twice:
        raise Refused(say("%(coders)s chosen twice: each coder codes a testimony once", coders=", ".join(twice)))
    with write_transaction(db):  # checked inside the write lock: two reviewers cannot both pass
        assignments = store.assignments_of(db, testimony["id"])
        if any(a["settled_at"] for a in assignments):
            raise Refused(say("%(reference)s has already been settled; its double coding is closed",
                              reference=testimony["reference"]))
        already = sorted(set(coders) & {a["coder"] for a in assignments})
        if already:
            raise Refused(say("%(coders)s already assigned to %(reference)s", coders=", ".join(already),
                              reference=testimony["reference"]))
        unknown = sorted(set(coders) - set(store.coder_accounts(db)))
        if unknown:
            raise Refused(say("not a coder or reviewer account: %(names)s", names=", ".join(unknown)))
        if len(assignments) + len(coders) < MIN_CODERS:
            raise Refused(say_plural("choose at least %(num)s coder: double coding compares independent codings",
                                    "choose at least %(num)s coders: double coding compares independent codings",
                                    MIN_CODERS))
        stamp = store.now()
        for name in coders:
            store.insert_assignment(db, testimony["id"], name, reviewer["name"], reason, stamp)
        audit.record(db, reviewer["name"], "coders_assigned", testimony["reference"], {"coders": coders})


def assign_many(db, testimonies, coders, reviewer, reason=None):
    """Assign each testimony to `coders`, each in its own transaction: one already assigned or settled
    does not stop the others. Returns (assigned references, {reference: why not})."""
    assigned, refused = [], {}
    for testimony in testimonies:
        try:
            assign(db, testimony, coders, reviewer, reason)
        except Refused as why:
            refused[testimony["reference"]] = str(why)
        else:
            assigned.append(testimony["reference"])
    return assigned, refused


def queue(db, user):
    """What this user is assigned to code blind and has not seen settled, as they may open it:
    [{reference, title, assigned_by, assigned_at, submitted_at}]."""
    return [row for row in store.open_assignments(db, user["name"]) if access.may_open(user, row)]


def assignment(db, testimony_id, coder_name):
    """This coder's assignment on the testimony, or None."""
    return next((a for a in store.assignments_of(db, testimony_id) if a["coder"] == coder_name), None)


def is_blind(db, testimony_id, user):
    """Is this user an assigned coder of a testimony not yet settled (so must not see the others)?"""
    found = user and assignment(db, testimony_id, user["name"])
    return bool(found) and found["settled_at"] is None


def stage_for(db, testimony_id, coder):
    """The stage of a code `coder` (a name) saves on the testimony now: 'blind' for an assigned
    coder before settlement, else 'coded'. The code-saving path calls this."""
    found = assignment(db, testimony_id, coder)
    return "blind" if found and found["settled_at"] is None else "coded"


def may_change_code(db, code, user):
    """Blind codes only by their own coder until submitted; superseded ones never."""
    if code["stage"] == "superseded" or not access.can(user, "code"):
        return False
    if code["stage"] == "blind":
        found = assignment(db, code["testimony_id"], user["name"])
        return code["coder"] == user["name"] and found is not None and found["submitted_at"] is None
    return not is_blind(db, code["testimony_id"], user)


def visible_codes(db, testimony, user):
    """The codes this user may see: an assigned coder of an unsettled testimony only their own blind
    codes; a reviewer every stage (each code carries `coder` and `stage`); anyone else the coding."""
    if is_blind(db, testimony["id"], user):
        codes = store.codes_of(db, [testimony["id"]], stages=("blind",)).get(testimony["id"], [])
        return [code for code in codes if code["coder"] == user["name"]]
    stages = ("coded", "blind", "superseded") if access.can(user, "review") else ("coded",)
    return store.codes_of(db, [testimony["id"]], stages=stages).get(testimony["id"], [])


def submit(db, testimony, coder):
    """The coder (a user) says their blind coding of the testimony is complete."""
    with write_transaction(db):
        found = assignment(db, testimony["id"], coder["name"])
        if found is None:
            raise Refused(say("%(coder)s is not assigned to %(reference)s", coder=coder["name"],
                              reference=testimony["reference"]))
        if found["settled_at"]:
            raise Refused(say("%(reference)s has already been settled", reference=testimony["reference"]))
        if found["submitted_at"]:
            raise Refused(say("you submitted your coding of %(reference)s already", reference=testimony["reference"]))
        store.mark_submitted(db, testimony["id"], coder["name"], store.now())
        audit.record(db, coder["name"], "coding_submitted", testimony["reference"])


# --- settling ------------------------------------------------------------------------------------

def settle(db, testimony, decisions, reviewer, reason, data_dir):
    """Settle the testimony: `decisions` maps each disagreement's key to 'accept' or 'reject'
    (agreed codes are accepted). Checked and written in one transaction, then reindexed."""
    _require(reviewer, "review")
    if not (reason or "").strip():
        raise Refused(say("give a reason for the settlement: it is kept in the history"))
    book = service.load_codebook()
    stamp, actor = store.now(), reviewer["name"]
    with write_transaction(db):  # checked inside the write lock: a second settlement waits, then is refused
        coders = [a["coder"] for a in _settleable(db, testimony, reviewer)]
        _check_decisions(decisions, {d.key for d in find_disagreements(db, book, [testimony["id"]])})
        rejected = {key for key, decision in decisions.items() if decision == "reject"}
        blind = store.codes_of(db, [testimony["id"]], stages=("blind",)).get(testimony["id"], [])
        blind.sort(key=lambda code: (coders.index(code["coder"]), code["id"]))
        coded = _copy_accepted(db, book, blind, rejected, actor, reason, stamp)
        for code in blind:
            store.supersede_code(db, code, actor, reason, stamp)
        store.mark_settled(db, testimony["id"], dict(sorted(decisions.items())), actor, reason, stamp)
        if store.get_testimony_row(db, testimony["reference"])["status"] in ("new", "in_progress"):
            store.update_testimony(db, testimony["reference"], {"status": "coded"}, actor, reason, stamp)
        store.bump_revision(db, testimony["id"], stamp)
        audit.record(db, actor, "double_coding_settled", testimony["reference"], {
            "decisions": decisions, "coded": coded, "superseded": [code["id"] for code in blind]})
    service.index_after_commit(data_dir, db, [testimony["id"]], book)  # stored: an index error must not undo it


def _copy_accepted(db, book, blind, rejected, actor, reason, stamp):
    """Copy each blind code not rejected as a 'coded' one, without the perpetrators of a rejected side;
    return the new codes' ids."""
    kept, coded = set(), []
    for code in blind:
        if f"abuse_type:{code['abuse_type']}" in rejected:
            continue
        perpetrators = [p for p in code["perpetrators"] if f"side:{book.side_of(p)}" not in rejected]
        copy = (code["abuse_type"], code["passage_start"], code["passage_end"], tuple(perpetrators),
                code["place_id"], code["place_text"], code["date_text"], code["victims"], code["minors"])
        if copy not in kept:  # both coders coded the same thing: it enters the coding once
            kept.add(copy)
            coded.append(store.insert_settled_code(db, code, perpetrators, actor, reason, stamp))
    return coded


def _settleable(db, testimony, reviewer):
    assignments = store.assignments_of(db, testimony["id"])
    if not assignments:
        raise Refused(say("%(reference)s is not double coded", reference=testimony["reference"]))
    if any(a["settled_at"] for a in assignments):
        raise Refused(say("%(reference)s has already been settled", reference=testimony["reference"]))
    if reviewer["name"] in {a["coder"] for a in assignments}:
        raise Refused(say("you coded %(reference)s: another reviewer settles it", reference=testimony["reference"]))
    waiting = [a["coder"] for a in assignments if not a["submitted_at"]]
    if waiting:
        raise Refused(say("not every coder has submitted yet: waiting for %(coders)s", coders=", ".join(waiting)))
    return assignments


def _check_decisions(decisions, keys):
    unknown = sorted(set(decisions) - keys)
    if unknown:
        raise Refused(say("not a disagreement of this testimony: %(keys)s", keys=", ".join(unknown)))
    missing = sorted(keys - set(decisions))
    if missing:
        raise Refused(say("decide every disagreement; undecided: %(keys)s", keys=", ".join(missing)))
    bad = sorted(key for key, decision in decisions.items() if decision not in DECISIONS)
    if bad:
        raise Refused(say("each decision is 'accept' or 'reject'; not so for: %(keys)s", keys=", ".join(bad)))


def _require(user, permission):
    if not access.can(user, permission):
        raise PermissionError(f"only a role with '{permission}' may do this")


# --- who sees what of the agreement ---------------------------------------------------------------

def units_visible_to(db, user):
    """Double-coded testimonies whose agreement this reviewer may see: those they may open and are
    not themselves coding blind."""
    rows = store.assignments_by_testimony(db, store.double_coded_ids(db))
    return [testimony_id for testimony_id, assignments in rows.items()
            if access.may_open(user, assignments[0])
            and not any(a["coder"] == user["name"] and a["settled_at"] is None for a in assignments)]
