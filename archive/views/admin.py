"""The administrator's page: accounts, their roles, locking and unlocking."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive import accounts, audit
from archive.access import ROLES
from archive.auth import current_user, requires
from archive.db import write_transaction
from archive.web import get_db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@requires("manage_users")
def users():
    return render_template("admin/users.html", users=accounts.list_users(get_db()), roles=ROLES)


@bp.post("/users")
@requires("manage_users")
def add_user():
    form, db = request.form, get_db()
    try:
        with write_transaction(db):
            accounts.add_user(db, form.get("name", "").strip(), form.get("role", ""), form.get("password", ""))
            audit.record(db, current_user()["name"], "user_added", form["name"].strip(), {"role": form["role"]})
    except accounts.AccountError as err:
        flash(f"Not added: {err}.", "error")
    else:
        flash(f"Added {form['name'].strip()}.", "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<name>")
@requires("manage_users")
def change_user(name):
    form, db = request.form, get_db()
    changes = {}
    if form.get("role"):
        changes["role"] = form["role"]
    if form.get("active") in ("0", "1"):
        changes["active"] = form["active"] == "1"
    if name == current_user()["name"] and (changes.get("active") is False or changes.get("role", "admin") != "admin"):
        flash("You cannot lock yourself out or take away your own administration.", "error")
        return redirect(url_for("admin.users"))
    try:
        with write_transaction(db):
            accounts.change_user(db, name, **changes)
            audit.record(db, current_user()["name"], "user_changed", name, changes)
    except accounts.AccountError as err:
        flash(f"Not changed: {err}.", "error")
    else:
        flash(f"Changed {name}; their sessions were ended.", "info")
    return redirect(url_for("admin.users"))
