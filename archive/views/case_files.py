"""Case files: named, saved selections of testimonies a lawyer builds by ticking search results,
and exports from them. Every page needs the `export` permission."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from archive import access, store
from archive.auth import current_user, requires
from archive.db import write_transaction
from archive.export import selection
from archive.views.exports import send_export
from archive.web import get_db
from schemas.export import CaseFileChangeSchema, CaseFileNameSchema

bp = Blueprint("case_files", __name__, url_prefix="/case-files")


@bp.get("")
@requires("export")
def index():
    return render_template("case_files/index.html", case_files=store.list_case_files(get_db()))


@bp.post("")
@requires("export")
def create():
    name = _name(request.form)
    db = get_db()
    with write_transaction(db):
        case_id = store.insert_case_file(db, name, current_user()["name"])
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.get("/<int:case_id>")
@requires("export")
def show(case_id):
    db = get_db()
    case_file = store.get_case_file(db, case_id)
    references = store.case_file_references(db, case_id)
    rows = store.testimonies_by_reference(db, references)
    user = current_user()
    shown = [rows[r] for r in references if r in rows and access.may_open(user, rows[r])]
    return render_template("case_files/show.html", case_file=case_file, testimonies=shown,
                           hidden=len(references) - len(shown), exportable=access.exportable)


@bp.post("/<int:case_id>/rename")
@requires("export")
def rename(case_id):
    name = _name(request.form)
    db = get_db()
    store.get_case_file(db, case_id)
    with write_transaction(db):
        store.rename_case_file(db, case_id, name)
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/add")
@requires("export")
def add():
    """Ticked search results into a case file, an existing one or a new one named in the form."""
    change = _change(request.form)
    db = get_db()
    ids = _openable_ids(db, change["reference"])
    with write_transaction(db):
        if change["case_file"]:
            case_id = store.get_case_file(db, change["case_file"])["id"]
        elif change["new_name"].strip():
            case_id = _insert(db, change["new_name"].strip())
        else:
            abort(400, description="Choose a case file, or name a new one.")
        store.add_to_case_file(db, case_id, ids, current_user()["name"])
    flash(f"Added {len(ids)} testimon{'y' if len(ids) == 1 else 'ies'}.")
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/<int:case_id>/remove")
@requires("export")
def remove(case_id):
    change = _change(request.form)
    db = get_db()
    store.get_case_file(db, case_id)
    with write_transaction(db):
        store.remove_from_case_file(db, case_id, _openable_ids(db, change["reference"]))
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/<int:case_id>/export")
@requires("export")
def export(case_id):
    db = get_db()
    picked = selection.from_case_file(db, current_user(), store.get_case_file(db, case_id))
    return send_export(picked, request.form)


def _name(form):
    try:
        name = CaseFileNameSchema().load({"name": (form.get("name") or "").strip()})["name"]
    except ValidationError as err:
        abort(400, description="Case file name: " + " ".join(err.messages["name"]))
    db = get_db()
    try:
        store.case_file_named(db, name)
    except store.NotFound:
        return name
    abort(409, description=f"There is already a case file named {name}.")


def _insert(db, name):
    try:
        store.case_file_named(db, name)
    except store.NotFound:
        return store.insert_case_file(db, name, current_user()["name"])
    abort(409, description=f"There is already a case file named {name}.")


def _change(form):
    try:
        return CaseFileChangeSchema().load({"case_file": form.get("case_file") or None,
                                            "new_name": form.get("new_name", ""),
                                            "reference": form.getlist("reference")})
    except ValidationError as err:
        abort(400, description="; ".join(f"{k}: {v}" for k, v in err.messages.items()))


def _openable_ids(db, references):
    """Ids of the testimonies named that this user may open; others are silently not there."""
    rows = store.testimony_rows_by_reference(db, references)
    return [row["id"] for row in rows.values() if access.may_open(current_user(), row)]
