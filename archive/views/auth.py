"""Logging in and out, and a user's own account: personal API tokens."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from archive.custody import audit
from archive.security import access, accounts, login_throttle, two_factor
from archive.security.auth import PENDING_PAGES, current_user, log_in, log_out, requires, start_pending
from archive.security.redirects import safe_target
from archive.store.db import write_transaction
from archive.web import get_db

bp = Blueprint("auth", __name__)
LOGIN_FAILED = lazy_gettext("Wrong user name or password.")
MAX_NAME = 200  # a name is at most 64 characters; longer input is not worth hashing or storing


@bp.route("/login", methods=["GET", "POST"])
def login():
    """One answer for a wrong name, a wrong password and a locked account (401), and one for too many
    failures of this name from this address (429), whether or not the name is an account."""
    target = safe_target(request.values.get("next"), url_for("search.index"))
    if request.method == "GET":
        return render_template("auth/login.html", next=target, error=None, name="")
    name, password = request.form.get("name", "").strip()[:MAX_NAME], request.form.get("password", "")
    address = request.remote_addr or ""
    db = get_db()
    with write_transaction(db):  # the failure must be counted, so no exception escapes it
        try:
            login_throttle.check(db, name, address)
        except login_throttle.Throttled as err:
            throttled, user = err, None
        else:
            throttled, user = None, accounts.authenticate(db, name, password)
            (login_throttle.succeeded if user else login_throttle.failed)(db, name, address)
        step = user and two_factor_step(db, user)
        audit.record(db, name[:64] or "(blank)", ("login_pending" if step else "login") if user else
                     "login_throttled" if throttled else "login_failed")
    if throttled:
        return render_template("auth/login.html", next=target, error=str(throttled), name=name), 429
    if user is None:
        return render_template("auth/login.html", next=target, error=LOGIN_FAILED, name=name), 401
    if step:
        start_pending(user, step, target)
        return redirect(url_for(PENDING_PAGES[step]))
    log_in(user)
    return redirect(target)


def two_factor_step(db, user):
    """What must follow a right password: 'code' (enrolled), 'enrol' (its role requires it), or None."""
    if two_factor.is_enrolled(db, user["id"]):
        return "code"
    if two_factor.is_required(db, user):
        two_factor.start_enrolment(db, user["id"])  # a new secret for the enrolment page to show
        return "enrol"
    return None


@bp.post("/logout")
def logout():
    user = current_user()
    log_out()
    if user:
        with write_transaction(get_db()):
            audit.record(get_db(), user["name"], "logout")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@requires("search")
def account():
    if current_user() is None:  # the public view has no account page
        return redirect(url_for("auth.login"))
    tokens = accounts.list_tokens(get_db(), current_user()["id"])
    return render_template("auth/account.html", tokens=tokens, new_token=None, **two_factor_state())


def two_factor_state():
    """What the account page says of the user's two-factor login."""
    db, user = get_db(), current_user()
    enrolled = two_factor.is_enrolled(db, user["id"])
    return {"two_factor": {"on": enrolled, "required": two_factor.is_required(db, user),
                           "codes_left": two_factor.recovery_codes_left(db, user["id"]) if enrolled else 0}}


@bp.post("/account/tokens")
@requires("search")
def create_token():
    user, label = current_user(), request.form.get("label", "").strip()
    scope = request.form.get("scope", access.DEFAULT_SCOPE)  # create_token refuses any other value
    db = get_db()
    try:
        with write_transaction(db):
            token = accounts.create_token(db, user["id"], label, scope=scope)
            audit.record(db, user["name"], "token_created", user["name"], {"label": label, "scope": scope})
    except accounts.AccountError as err:
        flash(str(err), "error")
        return redirect(url_for("auth.account"))
    # Shown once, on this response only; never stored in the clear.
    return render_template("auth/account.html", tokens=accounts.list_tokens(db, user["id"]), new_token=token,
                           **two_factor_state())


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires("search")
def revoke_token(token_id):
    user, db = current_user(), get_db()
    with write_transaction(db):
        if accounts.revoke_token(db, user["id"], token_id):
            audit.record(db, user["name"], "token_revoked", user["name"], {"token": token_id})
            flash(_("The token was revoked."), "info")
    return redirect(url_for("auth.account"))

