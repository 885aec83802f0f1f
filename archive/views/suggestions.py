"""Suggestions for a testimony: the list (also the no-JavaScript path), accept, dismiss, restore.

Accept and dismiss are plain HTML forms that redirect back, so they work without JavaScript.
The list is the partial templates/coding/_suggestions.html, which the coding page includes too.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from archive import service
from archive.coding import suggestion_review
from archive.security.auth import current_user, open_testimony, requires
from archive.security.redirects import safe_target
from archive.web import get_db
from schemas import validators
from schemas.suggestion import SuggestionChoiceSchema

bp = Blueprint("suggestions", __name__, url_prefix="/testimonies")


@bp.get("/<path:reference>/suggestions")
@requires("code")
def index(reference):
    testimony = open_testimony(get_db(), reference)
    book = service.load_codebook()
    suggestions = suggestion_review.pending_suggestions(get_db(), testimony, book, current_user())
    return render_template("coding/suggestions.html", testimony=testimony, suggestions=suggestions,
                           dismissed=suggestion_review.dismissed(get_db(), testimony, book, current_user()),
                           back=url_for("suggestions.index", reference=reference))


@bp.post("/<path:reference>/suggestions/accept")
@requires("code")
def accept(reference):
    testimony, choice = _choice(reference)
    try:
        code_id = suggestion_review.accept(get_db(), current_app.config["DATA_DIR"], testimony,
                                           service.load_codebook(), choice["kind"], choice["value"], _actor())
    except suggestion_review.NotPending as err:
        flash(str(err), "error")
    else:
        flash(_("Coded: %(label)s (code %(code_id)s), with its passage.",
                label=_label(choice), code_id=code_id), "info")
    return _back(reference, choice)


@bp.post("/<path:reference>/suggestions/dismiss")
@requires("code")
def dismiss(reference):
    testimony, choice = _choice(reference)
    try:
        suggestion_review.dismiss(get_db(), testimony, service.load_codebook(), choice["kind"], choice["value"],
                                  _actor(), choice["reason"])
    except suggestion_review.NotPending as err:
        flash(str(err), "error")
    else:
        flash(_("Dismissed: %(label)s. It will not be suggested again here.", label=_label(choice)), "info")
    return _back(reference, choice)


@bp.post("/<path:reference>/suggestions/restore")
@requires("code")
def restore(reference):
    testimony, choice = _choice(reference)
    try:
        suggestion_review.restore(get_db(), testimony, choice["kind"], choice["value"], _actor())
    except suggestion_review.NotPending as err:
        flash(str(err), "error")
    else:
        flash(_("Restored: %(label)s is suggested again.", label=_label(choice)), "info")
    return _back(reference, choice)


def _choice(reference):
    testimony = open_testimony(get_db(), reference)
    try:
        return testimony, SuggestionChoiceSchema().load(request.form)
    except ValidationError as err:
        problems = validators.in_words(err)
        abort(422, description=_("The suggestion could not be read (%(problems)s).", problems=problems))


def _label(choice):
    return suggestion_review.label(service.load_codebook(), choice["kind"], choice["value"])


def _back(reference, choice):
    """Back where the form was (a path on this site only), else the suggestions page."""
    return redirect(safe_target(choice["next"], url_for("suggestions.index", reference=reference)), code=303)


def _actor():
    return current_user()["name"]
