"""Coding a testimony: the JSON endpoints the page's script posts to, and the no-script forms
(remove a code, change the status). Each change: schema -> coding (one transaction) -> index."""
from flask import Blueprint, flash, jsonify, redirect, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from archive import coding, service, value_words
from archive.security import safe_json
from archive.security.auth import current_user, open_testimony, requires
from archive.views.testimony_links import back_to_testimony, opened_from
from archive.web import get_db, request_json
from schemas.code import CodeSchema
from schemas.language_correction import form_language
from schemas.reason import form_reason

bp = Blueprint("coding", __name__, url_prefix="/testimonies")
bp.app_context_processor(lambda: {"opened_from": opened_from()})  # for the forms' actions


@bp.post("/<path:reference>/codes")
@requires("code")
def add(reference):
    db, testimony = _open(reference)
    code, refused = _load(testimony)
    if refused:
        return refused
    try:
        kind, new_id = coding.add_code(db, testimony, code, current_user())
    except coding.CodingError as err:
        return _refused(str(err), err.status)
    coding.reindex(db, testimony["id"])
    return jsonify(kind=kind, id=new_id, anchor=f"{'passage' if kind == 'code' else 'redaction'}-{new_id}"), 201


@bp.patch("/<path:reference>/codes/<int:code_id>")
@requires("code")
def edit(reference, code_id):
    db, testimony = _open(reference)
    code, refused = _load(testimony)
    if refused:
        return refused
    try:
        changed = coding.edit_code(db, testimony, code_id, code, current_user(), code["reason"])
    except coding.CodingError as err:
        return _refused(str(err), err.status, {"reason": [str(err)]} if err.status == 422 else None)
    if changed:
        coding.reindex(db, testimony["id"])
    return jsonify(kind="code", id=code_id, anchor=f"passage-{code_id}", changed=sorted(changed))


@bp.post("/<path:reference>/codes/<int:code_id>/remove")
@requires("code")
def remove(reference, code_id):
    db, testimony = _open(reference)
    coding.remove_code(db, testimony, code_id, current_user(), _reason())
    coding.reindex(db, testimony["id"])
    return redirect(back_to_testimony(reference, "#codes"), 303)


@bp.post("/<path:reference>/status")
@requires("code")
def status(reference):
    db, testimony = _open(reference)
    coding.change_status(db, testimony, request.form.get("status", ""), current_user(), _reason())
    coding.reindex(db, testimony["id"])
    return redirect(back_to_testimony(reference), 303)


@bp.post("/<path:reference>/language")
@requires("code")
def language(reference):
    """A coder's correction of the statement's language (detected, or stated wrongly); reindexed, so
    that it is searched and suggested in it at once."""
    db, testimony = _open(reference)
    correction = form_language(request.form)
    coding.correct_language(db, testimony, correction, current_user())
    coding.reindex(db, testimony["id"])
    # Said, as every other change on the page is: the form looks the same before and after saving.
    flash(_("Language saved: %(language)s. The statement is searched and suggested in it from now on.",
            language=value_words.language(correction["language"])), "info")
    return redirect(back_to_testimony(reference, "#language"), 303)


def _reason():
    return form_reason(request.form)  # a refused reason is an ArchiveError (422), said by the error page


def _open(reference):
    db = get_db()
    return db, open_testimony(db, reference)


def _load(testimony):
    """(the posted code validated against this testimony's text, None), or (None, a 422 answer
    naming each field)."""
    try:
        body = request_json()
    except safe_json.JSONRefused as err:
        return None, _refused(_("the body is not JSON the archive can read: %(problem)s", problem=err), 400)
    if not isinstance(body, dict):
        return None, _refused(_("send the code as a JSON object"), 400)
    try:
        return CodeSchema(service.load_codebook(), testimony["text"]).load(body), None
    except ValidationError as err:
        return None, _refused(_("the code was not stored: correct the fields marked"), 422, err.messages)


def _refused(message, status, errors=None):
    response = jsonify(message=message, errors=errors or {})
    response.status_code = status
    return response
