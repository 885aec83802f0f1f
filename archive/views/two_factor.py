"""Two-factor login's pages: the code after the password, enrolment (at login when the role requires
it, or from the account page), the recovery codes shown once, and turning it off.

Until the code (or the enrolment) passes there is only a pending login, no session: every other page
sends the person back here (archive/security/auth.py). A wrong code counts as a failed login of the
name (archive/security/login_throttle.py); once a name must wait, the person is sent back to the
login page with the same words a throttled password gets, so the answer never says the password was right.
"""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from archive.custody import audit
from archive.security import accounts, login_throttle, two_factor
from archive.security.auth import current_user, end_pending, log_in, log_out, pending_login, requires
from archive.security.redirects import safe_target
from archive.store.db import write_transaction
from archive.web import get_db

bp = Blueprint("two_factor", __name__)
CODE_FAILED = lazy_gettext("That code is not right, or it was already used: type the code your app shows now, or a "
                           "recovery code.")
EXPIRED = lazy_gettext("Log in again: your login was not finished in time, or it was ended.")
MAX_CODE = 100  # a code is 6 digits, a recovery code 19 characters


def _code():
    return request.form.get("code", "").strip()[:MAX_CODE]


def _target():
    return safe_target(session.get("next"), url_for("search.index"))


def _start_again():
    """No live pending login at this step (expired, ended by a reset or a lock, or none): to the login page."""
    had = session.pop("pending_step", None)
    session.pop("pending", None)
    if had:
        flash(str(EXPIRED), "error")  # the session keeps text, not a lazy string
    return redirect(url_for("auth.login"))


def _no_store(page, status=200):
    return page, status, {"Cache-Control": "no-store"}  # a secret or recovery codes must not stay in a cache


# --- at login --------------------------------------------------------------------------------

@bp.route("/login/code", methods=["GET", "POST"])
def code():
    user, step = pending_login()
    if user is None or step != "code":
        return _start_again()
    if request.method == "GET":
        return render_template("auth/two_factor_code.html", error=None)
    db, address = get_db(), request.remote_addr or ""
    with write_transaction(db):  # the failure must be counted, so no exception escapes it
        try:
            login_throttle.check(db, user["name"], address)
        except login_throttle.Throttled as err:
            throttled, used = err, None
        else:
            throttled, used = None, two_factor.check_code(db, user["id"], _code())
            (login_throttle.code_succeeded if used else login_throttle.code_failed)(db, user["name"], address)
        audit.record(db, user["name"], "login" if used else "login_throttled" if throttled else "login_code_failed",
                     None, {"second_factor": used} if used else None)
    if throttled:  # start again from the password, which will be told to wait whatever it is
        end_pending()
        return render_template("auth/login.html", next=_target(), error=str(throttled), name=user["name"]), 429
    if not used:
        return render_template("auth/two_factor_code.html", error=CODE_FAILED), 401
    target = _target()
    end_pending()
    log_in(user)
    if used == "recovery":
        left = two_factor.recovery_codes_left(db, user["id"])
        flash(_("You logged in with a recovery code, which now no longer works; %(left)s left. Make new ones on your "
                "account page if you are running out.", left=left), "info")
    return redirect(target)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol_at_login():
    """A role that requires two-factor login, an account without it: set it up before anything else."""
    user, step = pending_login()
    if user is None or step != "enrol":
        return _start_again()
    shown = two_factor.enrolment(get_db(), user)
    if shown is None:  # set up meanwhile (another tab), or reset: the password again
        end_pending()
        return _start_again()
    if request.method == "GET":
        return _no_store(render_template("auth/two_factor_enrol.html", enrolment=shown, at_login=True, error=None))
    codes, error = _confirm(user)
    if error:
        return _no_store(render_template("auth/two_factor_enrol.html", enrolment=shown, at_login=True,
                                         error=error), 422)
    target = _target()
    end_pending()
    log_in(user)
    with write_transaction(get_db()):
        audit.record(get_db(), user["name"], "login", None, {"second_factor": "enrolled"})
    return _no_store(render_template("auth/recovery_codes.html", codes=codes, target=target))


def _confirm(user):
    """(the recovery codes, None) when the typed code confirms the enrolment; (None, why) if not."""
    db = get_db()
    try:
        with write_transaction(db):
            codes = two_factor.confirm_enrolment(db, user["id"], _code())
            audit.record(db, user["name"], "two_factor_enrolled", user["name"])
    except two_factor.TwoFactorError as err:
        return None, _("Not set up: %(problem)s.", problem=err)
    return codes, None


# --- from the account page -------------------------------------------------------------------

@bp.get("/account/two-factor")
@requires("search")
def setup():
    shown = two_factor.enrolment(get_db(), current_user())
    if shown is None:
        return redirect(url_for("auth.account"))
    return _no_store(render_template("auth/two_factor_enrol.html", enrolment=shown, at_login=False, error=None))


@bp.post("/account/two-factor")
@requires("search")
def start():
    db = get_db()
    try:
        with write_transaction(db):
            two_factor.start_enrolment(db, current_user()["id"])
    except two_factor.TwoFactorError:
        flash(_("Two-factor login is already on for your account."), "error")
        return redirect(url_for("auth.account"))
    return redirect(url_for("two_factor.setup"))


@bp.post("/account/two-factor/confirm")
@requires("search")
def confirm():
    user = current_user()
    codes, error = _confirm(user)
    if error:
        shown = two_factor.enrolment(get_db(), user)
        if shown is None:
            return redirect(url_for("auth.account"))
        return _no_store(render_template("auth/two_factor_enrol.html", enrolment=shown, at_login=False,
                                         error=error), 422)
    return _no_store(render_template("auth/recovery_codes.html", codes=codes, target=url_for("auth.account")))


@bp.post("/account/two-factor/recovery-codes")
@requires("search")
def renew_recovery_codes():
    user, db = current_user(), get_db()
    if not _password_and_code(user, _("New recovery codes not made")):
        return redirect(url_for("auth.account"))
    with write_transaction(db):
        codes = two_factor.new_recovery_codes(db, user["id"])
        audit.record(db, user["name"], "recovery_codes_renewed", user["name"])
    return _no_store(render_template("auth/recovery_codes.html", codes=codes, target=url_for("auth.account")))


@bp.post("/account/two-factor/disable")
@requires("search")
def disable():
    user, db = current_user(), get_db()
    if not _password_and_code(user, _("Two-factor login is still on")):
        return redirect(url_for("auth.account"))
    required = two_factor.is_required(db, user)
    with write_transaction(db):
        two_factor.remove(db, user["id"])  # ends every session, this one too
        audit.record(db, user["name"], "two_factor_disabled", user["name"])
    log_out()
    if required:
        flash(_("Two-factor login is off. Your role requires it: log in again to set it up, with your new phone if "
                "you have one."), "info")
    else:
        flash(_("Two-factor login is off: log in again, with your password alone from now on."), "info")
    return redirect(url_for("auth.login"))


def _password_and_code(user, refused):
    """True when the form's password and current code (or a recovery code) are right; a wrong pair
    counts as a failed login, so a borrowed session cannot guess them."""
    db, address = get_db(), request.remote_addr or ""
    with write_transaction(db):
        try:
            login_throttle.check(db, user["name"], address)
        except login_throttle.Throttled as err:
            flash(_("%(refused)s: %(problem)s", refused=refused, problem=err), "error")
            return False
        right = (accounts.password_matches(db, user["id"], request.form.get("password", ""))
                 and two_factor.check_code(db, user["id"], _code()))
        if not right:
            login_throttle.code_failed(db, user["name"], address)
    if not right:
        flash(_("%(refused)s: the password or the code is not right.", refused=refused), "error")
    return bool(right)
