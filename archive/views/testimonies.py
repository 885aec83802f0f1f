"""One testimony, in full: the statement, the interview, the witness by pseudonym, the codes;
and, for a role and consent that allow it, the witness's identity (each showing is audited)."""
from flask import Blueprint, abort, render_template

from archive import access, audit, results, sealing, service, store
from archive.auth import current_user, open_testimony, requires
from archive.db import write_transaction
from archive.web import get_db

bp = Blueprint("testimonies", __name__, url_prefix="/testimonies")


@bp.get("/<path:reference>")
@requires("search")
def show(reference):
    testimony = open_testimony(get_db(), reference)
    book = service.load_codebook()
    codes = [results.describe_code(code, book) for code in testimony["codes"]]
    return render_template("testimonies/show.html", testimony=testimony, codes=codes,
                           may_see_identity=access.may_see_identity(current_user(), testimony))


@bp.get("/<path:reference>/identity")
@requires("read_identity")
def identity(reference):
    db = get_db()
    testimony = open_testimony(db, reference)
    if not access.may_see_identity(current_user(), testimony):
        abort(403, "The witness's consent does not allow showing their identity.")
    try:
        found = store.get_witness_identity(db, testimony["witness_id"]) if testimony["witness_id"] else None
    except sealing.IdentityKeyError as err:
        abort(503, f"The identity cannot be shown: {err}. An administrator must set the key.")
    with write_transaction(db):
        audit.record(db, current_user()["name"], "view_identity", reference, {"found": found is not None})
    return render_template("testimonies/identity.html", testimony=testimony, identity=found)
