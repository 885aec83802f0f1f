"""The administrator's page: accounts, their roles and states, locking and unlocking, tokens for users.

Every change is audited in the transaction that makes it, and its result is said on the page. An
administrator is offered nothing on their own row that would lock them out (no Lock, no role
change), and the server refuses it anyway: a forged form must not lock the last admin out.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError

from archive.custody import audit
from archive.security import account_states, accounts, two_factor
from archive.security.access import ROLES
from archive.security.auth import current_user, requires
from archive.store.db import write_transaction
from archive.web import get_db
from schemas import validators
from schemas.accounts import DEFAULT_ROLE, NewUserSchema, TokenForUserSchema, TwoFactorRolesSchema, UserChangeSchema

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@requires("manage_users")
def users():
    return _page()


def _page(status=200, **shown):
    """The users page; `shown` adds what one answer says (a refused form's values, a new token)."""
    db = get_db()
    listed = accounts.list_users(db)
    shown.setdefault("new_user", {"role": DEFAULT_ROLE})
    response = render_template("admin/users.html", users=listed, states=account_states.states(db, listed),
                               roles=ROLES, me=current_user()["name"], enrolled=two_factor.enrolled_user_ids(db),
                               required_roles=two_factor.required_roles(db), **shown)
    return response, status, {"Cache-Control": "no-store"}  # a new token must not stay in a cache


@bp.post("/users")
@requires("manage_users")
def add_user():
    db, form = get_db(), request.form.to_dict()
    try:
        new = NewUserSchema().load(form)
        with write_transaction(db):
            accounts.add_user(db, new["name"], new["role"], new["password"])
            audit.record(db, current_user()["name"], "user_added", new["name"], {"role": new["role"]})
    except ValidationError as err:
        return _page(400, add_error=_("Not added: %(problem)s.", problem=validators.in_words(err)),
                     new_user=_kept(form))
    except accounts.AccountError as err:
        return _page(400, add_error=_("Not added: %(problem)s.", problem=err), new_user=_kept(form))
    flash(_("Added %(name)s as %(role)s.", name=new['name'], role=_(new['role'])), "info")
    return redirect(url_for("admin.users"))


def _kept(form):
    """A refused form's values, to show again (never the password)."""
    return {"name": form.get("name", "").strip(), "role": form.get("role") if form.get("role") in ROLES else DEFAULT_ROLE}


@bp.post("/users/<name>")
@requires("manage_users")
def change_user(name):
    db = get_db()
    try:
        changes = UserChangeSchema().load(request.form.to_dict())
    except ValidationError as err:
        flash(_("%(name)s was not changed: %(problem)s.", name=name, problem=validators.in_words(err)), "error")
        return redirect(url_for("admin.users"))
    if not changes:
        flash(_("%(name)s was not changed: choose a role, or Lock or Unlock.", name=name), "error")
        return redirect(url_for("admin.users"))
    if name.casefold() == current_user()["name"].casefold() and (
            changes.get("active") is False or changes.get("role", "admin") != "admin"):
        flash(_("You cannot lock yourself out or take away your own administration."), "error")
        return redirect(url_for("admin.users"))
    try:
        with write_transaction(db):
            accounts.change_user(db, name, **changes)
            audit.record(db, current_user()["name"], "user_changed", name, changes)
    except accounts.AccountError as err:
        flash(_("%(name)s was not changed: %(err)s.", name=name, err=err), "error")
    else:
        flash(_changed(name, changes), "info")
    return redirect(url_for("admin.users"))


def _changed(name, changes):
    if changes.get("active") is False:
        return _("Locked %(name)s: they cannot log in, and their sessions and API tokens stop working.", name=name)
    if changes.get("active") is True:
        return _("Unlocked %(name)s: they can log in again.", name=name)
    return _("%(name)s is now %(role)s; their sessions were ended.", name=name, role=_(changes["role"]))


@bp.post("/two-factor")
@requires("manage_users")
def require_two_factor():
    """Which roles must log in with a second factor; their accounts without one enrol at next login."""
    db = get_db()
    try:
        roles = TwoFactorRolesSchema().load({"roles": request.form.getlist("role")})["roles"]
    except ValidationError as err:
        flash(_("Not changed: %(problem)s.", problem=validators.in_words(err)), "error")
        return redirect(url_for("admin.users"))
    with write_transaction(db):
        ended = two_factor.set_required_roles(db, roles)
        audit.record(db, current_user()["name"], "two_factor_required", None, {"roles": sorted(roles)})
    said = _("Two-factor login is now required for: %(roles)s.", roles=", ".join(roles)) if roles else \
        _("Two-factor login is now required of no role (anyone may still turn it on).")
    if ended:
        said += " " + ngettext("%(num)s account without it will set it up at the next login.",
                               "%(num)s accounts without it will set it up at the next login.", len(ended))
    flash(said, "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<name>/reset-2fa")
@requires("manage_users")
def reset_two_factor(name):
    """The user lost their phone and their recovery codes: they log in with the password again (and
    enrol anew if their role requires it). Their sessions end."""
    db = get_db()
    try:
        with write_transaction(db):
            user = two_factor.reset(db, name)
            audit.record(db, current_user()["name"], "two_factor_reset", user["name"])
    except two_factor.TwoFactorError as err:
        flash(_("Not reset: %(err)s.", err=err), "error")
    else:
        if two_factor.is_required(db, user):
            said = _("Reset %(name)s's two-factor login: their sessions were ended, and they log in with their "
                     "password, then set up a new phone.", name=user["name"])
        else:
            said = _("Reset %(name)s's two-factor login: their sessions were ended, and they log in with their "
                     "password alone.", name=user["name"])
        flash(said, "info")
    return redirect(url_for("admin.users"))


@bp.post("/tokens")
@requires("manage_users")
def issue_token():
    """A personal API token for a user, shown on this answer only (as the account page does)."""
    db, form = get_db(), request.form.to_dict()
    try:
        wanted = TokenForUserSchema().load(form)
        with write_transaction(db):
            token = accounts.create_token_for(db, wanted["user"], wanted["label"], wanted["days"], wanted["scope"])
            detail = {"label": wanted["label"], "scope": wanted["scope"],
                      **({"days": wanted["days"]} if wanted["days"] else {})}
            audit.record(db, current_user()["name"], "token_created", wanted["user"], detail)
    except ValidationError as err:
        return _page(400, token_error=_("No token issued: %(problem)s.", problem=validators.in_words(err)),
                     token_form=form)
    except accounts.AccountError as err:
        return _page(400, token_error=_("No token issued: %(problem)s.", problem=err), token_form=form)
    holder = accounts.get_user(db, wanted["user"])
    return _page(new_token={"token": token, "user": holder["name"], "label": wanted["label"], "scope": wanted["scope"],
                            "days": wanted["days"], "active": bool(holder["active"])})
