"""Case files: named, saved selections of testimonies a lawyer builds by ticking search results,
and exports from them. Every page needs the `export` permission, and a case file is private to
its owner and whom they share it with (access.CASE_FILE_RULES): to anyone else it answers 404."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError

from archive import case_files, store
from archive.custody import audit
from archive.export import selection
from archive.security import access, accounts
from archive.security.auth import current_user, requires
from archive.store.db import write_transaction
from archive.views.exports import send_export
from archive.web import get_db
from schemas.export import CaseFileChangeSchema, CaseFileNameSchema, CaseFileShareSchema

bp = Blueprint("case_files", __name__, url_prefix="/case-files")


@bp.get("")
@requires("export")
def index():
    return render_template("case_files/index.html", case_files=store.list_case_files(get_db(), current_user()["name"]))


@bp.post("")
@requires("export")
def create():
    name = _name(request.form)
    db = get_db()
    with write_transaction(db):
        case_id = _insert(db, name)
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.get("/<int:case_id>")
@requires("export")
def show(case_id):
    db = get_db()
    case_file, shared_with = _open(db, case_id)
    references = store.case_file_references(db, case_id)
    rows = store.testimonies_by_reference(db, references)
    user = current_user()
    shown = [rows[r] for r in references if r in rows and access.may_open(user, rows[r])]
    owner = access.owns_case_file(user, case_file)
    return render_template("case_files/show.html", case_file=case_file, testimonies=shown,
                           hidden=len(references) - len(shown), exportable=access.exportable, owner=owner,
                           shared_with=shared_with, colleagues=_colleagues(db, case_file, shared_with) if owner else [])


@bp.post("/<int:case_id>/rename")
@requires("export")
def rename(case_id):
    db = get_db()
    case_file = _own(db, case_id)
    name = _name(request.form)
    with write_transaction(db):
        if _named(db, name, case_file["created_by"], other_than=case_id):
            abort(409, description=_("You already have a case file named %(name)s.", name=name))
        store.rename_case_file(db, case_id, name)
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/<int:case_id>/share")
@requires("export")
def share(case_id):
    """Share with a colleague who may export: they may then open it, add, remove and export."""
    db = get_db()
    case_file = _own(db, case_id)
    try:
        account = CaseFileShareSchema().load({"account": request.form.get("account", "")})["account"]
    except ValidationError as err:
        abort(400, description=_("Account: %(join)s", join=" ".join(err.messages["account"])))
    colleague = accounts.get_user(db, account)
    if colleague is None or not colleague["active"] or not access.can(colleague, "export") \
            or access.owns_case_file(colleague, case_file):
        abort(400, description=_("%(account)s is not another active account that works on case files (a lawyer or a "
                                 "reviewer).", account=account))
    with write_transaction(db):
        store.share_case_file(db, case_id, colleague["name"], current_user()["name"])
        audit.record(db, current_user()["name"], "case_file_shared", str(case_id), {"with": colleague["name"]})
    flash(_("Shared with %(name)s.", name=colleague['name']))
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/<int:case_id>/unshare")
@requires("export")
def unshare(case_id):
    db = get_db()
    _own(db, case_id)
    account = request.form.get("account", "")
    with write_transaction(db):
        if store.unshare_case_file(db, case_id, account):
            audit.record(db, current_user()["name"], "case_file_unshared", str(case_id), {"with": account})
            flash(_("No longer shared with %(account)s.", account=account))
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/add")
@requires("export")
def add():
    """Ticked search results into a case file, an existing one or a new one named in the form."""
    change = _change(request.form)
    db = get_db()
    with write_transaction(db):
        if change["case_file"]:
            case_id = _open(db, change["case_file"])[0]["id"]
        elif change["new_name"].strip():
            case_id = _insert(db, change["new_name"].strip())
        else:
            abort(400, description=_("Choose a case file, or name a new one."))
        ids = case_files.add(db, current_user(), case_id, change["reference"])
    flash(ngettext("Added %(num)s testimony.", "Added %(num)s testimonies.", len(ids)))
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/<int:case_id>/remove")
@requires("export")
def remove(case_id):
    change = _change(request.form)
    db = get_db()
    _open(db, case_id)
    with write_transaction(db):
        case_files.remove(db, current_user(), case_id, change["reference"])
    return redirect(url_for("case_files.show", case_id=case_id), 303)


@bp.post("/<int:case_id>/export")
@requires("export")
def export(case_id):
    db = get_db()
    picked = selection.from_case_file(db, current_user(), _open(db, case_id)[0])
    return send_export(picked, request.form)


def _open(db, case_id):
    """(the case file, whom it is shared with) if this user may open it; else 404, as for no case file."""
    return case_files.open_case_file(db, current_user(), case_id)


def _own(db, case_id):
    """The case file, if this user owns it (403 for a colleague it is shared with, 404 for others)."""
    case_file, _unused = _open(db, case_id)
    if not access.owns_case_file(current_user(), case_file):
        abort(403, description=_("Only its owner, %(created_by)s, can rename this case file or change whom it is "
                                 "shared with.", created_by=case_file['created_by']))
    return case_file


def _colleagues(db, case_file, shared_with):
    """Whom the owner may share it with: the other active accounts that may export, not yet shared."""
    taken = {name.casefold() for name in shared_with} | {case_file["created_by"].casefold()}
    return [user["name"] for user in accounts.list_users(db)
            if user["active"] and access.can(user, "export") and user["name"].casefold() not in taken]


def _name(form):
    try:
        return CaseFileNameSchema().load({"name": (form.get("name") or "").strip()})["name"]
    except ValidationError as err:
        abort(400, description=_("Case file name: %(join)s", join=" ".join(err.messages["name"])))


def _named(db, name, owner, other_than=None):
    return case_files.named(db, name, owner, other_than)


def _insert(db, name):
    return case_files.create(db, current_user(), name)  # CaseFileNameTaken: the one error page says it (409)


def _change(form):
    try:
        return CaseFileChangeSchema().load({"case_file": form.get("case_file") or None,
                                            "new_name": form.get("new_name", ""),
                                            "reference": form.getlist("reference")})
    except ValidationError as err:
        abort(400, description="; ".join(f"{k}: {v}" for k, v in err.messages.items()))

