"""The choice of the interface's language: from the header's switcher (every page, before a login too)
and the account page. Kept in a cookie; for a logged-in user on the account as well, so it follows
them to another browser (archive/i18n.py says which choice wins)."""
from flask import Blueprint, abort, g, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from archive.security.auth import current_user
from archive.security.redirects import safe_target
from archive.store import accounts
from archive.store.db import write_transaction
from archive.web import get_db
from schemas.accounts import LanguageChoiceSchema

bp = Blueprint("language", __name__)


@bp.post("/language")
def choose():
    try:
        choice = LanguageChoiceSchema().load(request.form)
    except ValidationError:
        abort(400, _("Choose one of the languages the list offers."))
    user = current_user()
    if user:
        with write_transaction(get_db()):
            accounts.set_language(get_db(), user["id"], choice["language"])
    g.language_chosen = choice["language"]
    return redirect(safe_target(choice["next"], url_for("search.index")))
