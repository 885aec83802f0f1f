"""Who is asking: the logged-in user (session cookie) or an API token, checked on every request.

Nothing is shown before login, unless the instance turns on the public read-only view. Views say
what they need with `@requires(permission)`; the rules themselves are in archive/security/access.py.
"""
import functools

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect

from archive import store
from archive.custody import audit
from archive.security import access, accounts, two_factor
from archive.store.db import write_transaction
from archive.web import get_db

csrf = CSRFProtect()
PENDING_PAGES = {"code": "two_factor.code", "enrol": "two_factor.enrol_at_login"}  # step -> its page


def current_user():
    return g.get("user")


def public_view():
    return bool(current_app.config.get("PUBLIC_VIEW"))


def load_user():
    """Before each request: the token's user (API, no CSRF: a browser never adds the header by itself)
    or the session's; then CSRF for every state-changing request that a cookie authenticates.

    A read-only token is refused here, once for every route, on any method but GET, HEAD and OPTIONS;
    a token's label is named by every audit entry its request writes."""
    g.user, g.by_token = None, False
    audit.through_token(None)
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = accounts.token_user(get_db(), header[len("Bearer "):].strip())
        if user is None:
            abort(401, _("The API token is unknown, revoked or expired."))
        if not accounts.token_may(user, request.method):
            abort(403, _("This API token is read-only: it may search and read, not change anything. Make a "
                         "read-write token on your account page to write."))
        accounts.note_token_use(get_db(), user)
        g.user, g.by_token = _user(user), True
        audit.through_token(user["token_label"])
        return
    session_id = session.get("sid")
    if session_id:
        user = accounts.session_user(get_db(), session_id)
        if user is None:
            session.clear()  # ended, expired or locked: start over at the login page
        else:
            g.user = _user(user)
    if g.user is None and request.path.startswith("/api/"):
        return  # no credentials: nothing to forge, and the API answers 401 (requires), not a CSRF 400
    if request.endpoint:  # an unknown route or method answers 404/405, not a CSRF error
        csrf.protect()


def guard_api_document():
    """The OpenAPI document (served by flask-smorest, outside any view of ours) is the door to the
    API, so it needs what the API needs: a login or a token (or the public view, which opens the API)."""
    if request.endpoint == "api-docs.openapi_json" and not allowed("search"):
        abort(401, _("Log in, or send a personal API token as 'Authorization: Bearer …'."))


def _user(row):
    return {"id": row["id"], "name": row["name"], "role": row["role"], "language": row.get("language")}


def log_in(user):
    """A fresh session for `user`: whatever the cookie held before is ended and dropped, so a session
    id planted or seen before login is worth nothing after it (session fixation)."""
    previous = session.get("sid")
    session.clear()
    with write_transaction(get_db()):
        if previous:
            accounts.end_session(get_db(), previous)
        session["sid"] = accounts.start_session(get_db(), user["id"])
    session.permanent = True
    g.user = _user(user)


def start_pending(user, step, target):
    """The password was right and a second factor must follow (step 'code' or 'enrol'): the cookie
    holds a pending login, which is no session (g.user stays None, every other page says log in),
    and whatever it held before is ended, as log_in does."""
    previous = session.get("sid")
    session.clear()
    with write_transaction(get_db()):
        if previous:
            accounts.end_session(get_db(), previous)
        session["pending"] = two_factor.start_pending(get_db(), user["id"], step)
    session["pending_step"], session["next"] = step, target


def pending_login():
    """(the account, its step) of this cookie's live pending login, or (None, None)."""
    found = two_factor.pending(get_db(), session.get("pending"))
    if found is None:
        return None, None
    return _user(accounts.get_user_by_id(get_db(), found["user_id"])), found["step"]


def end_pending():
    """Forget the pending login (a session follows, or the person starts again)."""
    with write_transaction(get_db()):
        two_factor.end_pending(get_db(), session.pop("pending", None))
    session.pop("pending_step", None)


def log_out():
    session_id, pending_id = session.get("sid"), session.get("pending")
    if session_id or pending_id:
        with write_transaction(get_db()):
            if session_id:
                accounts.end_session(get_db(), session_id)
            two_factor.end_pending(get_db(), pending_id)
    session.clear()
    g.user = None


def allowed(permission):
    user = current_user()
    if user is None and permission == "search":
        return public_view()
    return access.can(user, permission)


def requires(permission):
    """A view decorator: anonymous visitors are sent to log in (401 under /api/), others need the permission."""

    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not allowed(permission):
                if current_user() is None:
                    if request.path.startswith("/api/"):
                        abort(401, _("Log in, or send a personal API token as 'Authorization: Bearer …'."))
                    if session.get("pending_step") in PENDING_PAGES:  # the second factor comes first
                        return redirect(url_for(PENDING_PAGES[session["pending_step"]]))
                    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
                roles, what = access.PERMISSIONS[permission]
                abort(403, _("This page is for those who %(what)s (%(join)s); your role, %(role)s, does not include "
                             "that.", what=_(what), join=", ".join(_(role) for role in roles),
                             role=_(current_user()["role"])))
            return view(*args, **kwargs)

        return guarded

    return decorate


def open_testimony(db, reference):
    """The testimony, if this user may open it; otherwise 404, so that its existence is not revealed."""
    testimony = store.get_testimony(db, reference)
    if not access.may_open(current_user(), testimony, public_view()):
        raise store.NotFound(_("no testimony %(reference)s", reference=reference))
    return testimony


def search_scope():
    return access.search_scope(current_user(), public_view())


def init_app(app):
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # load_user calls protect() itself
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)      # the token lives as long as the session
    csrf.init_app(app)
    app.before_request(load_user)
    app.teardown_request(lambda error: audit.through_token(None))  # the next request of this thread starts clean
    app.before_request(guard_api_document)
    app.context_processor(lambda: {"current_user": current_user(), "allowed": allowed})
