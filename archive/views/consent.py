"""A witness's decisions over time on the web: the consent form of the testimony page, the list of
withdrawn testimonies with what must follow, and the purge. The rules are in archive/consent/__init__.py and
archive/consent/purge.py; these views parse the form, call them and answer."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from archive import consent, store
from archive.consent import purge
from archive.security.auth import current_user, open_testimony, requires
from archive.views.testimony_links import back_to_testimony
from archive.web import get_db
from schemas.consent import ConsentChangeSchema, PurgeSchema

bp = Blueprint("consent", __name__)


def _form(*names):
    """The form's fields, blank ones left out (so that a missing one is named as required)."""
    return {name: request.form[name] for name in names if request.form.get(name, "").strip()}


@bp.post("/testimonies/<path:reference>/consent")
@requires("change_consent")
def change(reference):
    db, user = get_db(), current_user()
    testimony = open_testimony(db, reference)
    sent = _form("consent", "decided", "reason")
    try:
        done = consent.change(current_app.config["DATA_DIR"], db, reference, ConsentChangeSchema().load(sent), user)
    except ValidationError as err:
        return _refused(testimony, sent, err.messages)
    except consent.ConsentError as err:
        if err.field is None:  # the role: nothing to correct in the form
            abort(err.status, description=err.message)
        return _refused(testimony, sent, {err.field: [err.message]})
    if not done.open_to_recorder:  # withdrawn by an admin, who does not read withdrawn statements
        flash(_("%(reference)s is withdrawn (the witness decided on %(decided)s): only reviewers can open it now. "
                "What must follow is listed here.", reference=reference, decided=done.decided), "info")
        return redirect(url_for("consent.withdrawals") + f"#w-{reference}", 303)
    said = _("Consent changed: %(previous)s → %(consent)s (the witness decided on %(decided)s).",
             previous=done.previous, consent=done.consent, decided=done.decided)
    if "confidentiality" in done.changed:
        said += " " + _("Its confidentiality is now restricted: public needs consent to publication.")
    flash(said, "info")
    return redirect(back_to_testimony(reference, "#consent"), 303)


def _refused(testimony, sent, errors):
    return render_template("consent/change.html", testimony=testimony, sent=sent, errors=errors,
                           labels=consent.LABELS), 422


@bp.get("/withdrawals")
@requires("handle_withdrawals")
def withdrawals():
    return _withdrawals_page()


def _withdrawals_page(purging=None, sent=None, errors=None, status=200):
    found = consent.withdrawals(get_db(), current_user(), current_app.config["DATA_DIR"])
    return render_template("consent/withdrawals.html", withdrawn=found["withdrawn"], purged=found["purged"],
                           wiping=set(purge.pending(get_db())), purging=purging, sent=sent or {},
                           errors=errors or {}), status


@bp.post("/withdrawals/<path:reference>/purge")
@requires("purge")
def purge_testimony(reference):
    db = get_db()
    sent = _form("confirmation", "reason")
    try:
        purge.purge(current_app.config["DATA_DIR"], db, reference, PurgeSchema().load(sent), current_user(),
                    wipe=False)
    except ValidationError as err:
        return _withdrawals_page(reference, sent, err.messages, 422)
    except purge.PurgeError as err:
        if err.status == 422:
            return _withdrawals_page(reference, sent, {err.field: [err.message]}, 422)
        flash(err.message, "error")
        return redirect(url_for("consent.withdrawals"), 303)
    except store.NotFound:
        flash(_("There is no testimony %(reference)s.", reference=reference), "error")
        return redirect(url_for("consent.withdrawals"), 303)
    purge.finish_in_background(current_app.config["DATA_DIR"])  # a large index takes a while: not in the request
    flash(_("%(reference)s is purged: only its reference and hashes are kept, and no search finds it. Its words are "
            "being wiped from the files; what is still to do is listed under Purged.", reference=reference), "info")
    return redirect(url_for("consent.withdrawals") + f"#p-{reference}", 303)


@bp.app_context_processor
def consent_labels():
    """What each consent means, for the testimony page's consent panel."""
    return {"consent_labels": consent.LABELS}
