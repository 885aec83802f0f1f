"""Double coding pages: assign coders, a coder's own blind coding, the agreement overview, settling."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import EXCLUDE, ValidationError

from archive import double_coding, service, store
from archive.double_coding import reliability
from archive.search import results
from archive.security import access, auth
from archive.security.redirects import safe_target
from archive.views.testimony_links import back_to_testimony
from archive.web import get_db
from schemas import validators
from schemas.export import AssignTickedSchema
from schemas.reason import ReasonRefused, form_reason

bp = Blueprint("agreement", __name__, url_prefix="/agreement")
SORTS = ("label", "n", "percent", "kappa", "alpha")


@bp.get("")
@auth.requires("review")
def overview():
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "label"
    descending = request.args.get("order") == "desc"
    db, user = get_db(), auth.current_user()
    units = double_coding.units_visible_to(db, user)
    found = reliability.report(db, service.load_codebook(), units)
    tables = [(title, _sorted([r for r in found["rows"] if r["dimension"] == dimension], sort, descending))
              for dimension, title in reliability.DIMENSIONS.items()]
    return render_template("agreement/overview.html", found=found, tables=tables, sort=sort,
                           descending=descending, testimonies=_testimonies(db, units))


def _sorted(rows, sort, descending):
    """Undefined values (None) sort last whichever the order."""
    defined = sorted((r for r in rows if r[sort] is not None), key=lambda r: r[sort], reverse=descending)
    return defined + [r for r in rows if r[sort] is None]


def _testimonies(db, units):
    rows = store.assignments_by_testimony(db, units)
    return [{"reference": assignments[0]["reference"], "coders": [a["coder"] for a in assignments],
             "submitted": sum(bool(a["submitted_at"]) for a in assignments),
             "settled": assignments[0]["settled_at"]} for assignments in rows.values()]


@bp.get("/testimonies/<path:reference>")
@auth.requires("code")
def testimony(reference):
    db = get_db()
    return _testimony_page(db, auth.open_testimony(db, reference))


def _testimony_page(db, found, error=None, status=200):
    """An assigned coder's view (their own codes, submit) and a reviewer's (who codes it, assign more);
    a coder not assigned learns only that."""
    user = auth.current_user()
    mine = double_coding.assignment(db, found["id"], user["name"])
    blind = double_coding.is_blind(db, found["id"], user)
    reviewing = access.can(user, "review") and not blind
    assignments = store.assignments_of(db, found["id"]) if reviewing else []
    assigned = {a["coder"] for a in assignments}
    book = service.load_codebook()
    codes = double_coding.visible_codes(db, found, user) if mine else []
    return render_template(
        "agreement/testimony.html", testimony=found, mine=mine, blind=blind, reviewing=reviewing,
        assignments=assignments, choices=[name for name in store.coder_accounts(db) if name not in assigned],
        codes=_described(codes, book),
        ticked=request.form.getlist("coder"), error=error), status


def _described(codes, book):
    """Codes as people read them, each still saying whose it is and at which stage."""
    return [{**results.describe_code(code, book), "coder": code["coder"], "stage": code["stage"]} for code in codes]


@bp.post("/assign/<path:reference>")
@auth.requires("review")
def assign(reference):
    db = get_db()
    found = auth.open_testimony(db, reference)
    try:
        double_coding.assign(db, found, request.form.getlist("coder"), auth.current_user(),
                             form_reason(request.form) or None)
    except (double_coding.Refused, ReasonRefused) as refused:
        return _testimony_page(db, found, error=str(refused), status=400)
    return redirect(url_for(".testimony", reference=reference), 303)


@bp.app_context_processor
def double_coding_helpers():
    """The accounts that can code, for the search page's "Assign for double coding"."""
    return {"coder_accounts": lambda: store.coder_accounts(get_db())}


@bp.post("/assign-ticked")
@auth.requires("review")
def assign_ticked():
    """The search page's bulk action: the ticked results, each assigned to the coders chosen."""
    try:
        form = AssignTickedSchema().load({**request.form, "reference": request.form.getlist("reference"),
                                          "coder": request.form.getlist("coder")}, unknown=EXCLUDE)
    except ValidationError as err:
        abort(400, description=validators.in_words(err))
    back = safe_target(form["next"], url_for("search.index"))
    db = get_db()
    testimonies = []
    for reference in dict.fromkeys(form["reference"]):
        try:
            testimonies.append(auth.open_testimony(db, reference))
        except store.NotFound:
            continue  # not open to this reviewer: as if it were not there
    if not testimonies:
        flash(_("Tick the testimonies to assign first."), "error")
        return redirect(back, 303)
    assigned, refused = double_coding.assign_many(db, testimonies, form["coder"], auth.current_user(),
                                                  form["reason"] or None)
    if assigned:
        flash(ngettext("Assigned %(num)s testimony to %(coders)s to code blind: %(references)s. Each coder finds "
                       "them on their search page.", "Assigned %(num)s testimonies to %(coders)s to code blind: "
                       "%(references)s. Each coder finds them on their search page.", len(assigned),
                       coders=_(" and ").join(form["coder"]), references=", ".join(assigned)), "info")
    for reference, why in refused.items():
        flash(_("%(reference)s was not assigned: %(why)s.", reference=reference, why=why), "error")
    return redirect(back, 303)


@bp.post("/submit/<path:reference>")
@auth.requires("code")
def submit(reference):
    db = get_db()
    found = auth.open_testimony(db, reference)
    try:
        double_coding.submit(db, found, auth.current_user())
    except double_coding.Refused as refused:
        return _testimony_page(db, found, error=str(refused), status=400)
    flash(_("Submitted: your coding of %(reference)s is fixed now. A reviewer compares it with the other coder's and "
            "settles it; until then you still see only your own codes.", reference=reference), "info")
    return redirect(back_to_testimony(reference), 303)


@bp.get("/settle/<path:reference>")
@auth.requires("review")
def settle_page(reference):
    db = get_db()
    return _settle_page(db, auth.open_testimony(db, reference))


def _settle_page(db, found, error=None, status=200, chosen=None):
    user = auth.current_user()
    assignments = store.assignments_of(db, found["id"])
    if not assignments:
        abort(404, _("%(reference)s is not double coded.", reference=found['reference']))
    if double_coding.is_blind(db, found["id"], user):
        abort(403, _("You are coding this testimony: another reviewer settles it."))
    book = service.load_codebook()
    return render_template(
        "agreement/settle.html", testimony=found, assignments=assignments,
        coders=[a["coder"] for a in assignments], waiting=[a["coder"] for a in assignments if not a["submitted_at"]],
        settled=assignments[0]["settled_at"] and assignments[0],
        disagreements=reliability.find_disagreements(db, book, [found["id"]]),
        found=reliability.report(db, book, [found["id"]]),
        codes=_described(double_coding.visible_codes(db, found, user), book),
        error=error, chosen=chosen or {}, reason=request.form.get("reason", "")), status


@bp.post("/settle/<path:reference>")
@auth.requires("review")
def settle(reference):
    db = get_db()
    found = auth.open_testimony(db, reference)
    decisions = {name.removeprefix("decision:"): value for name, value in request.form.items()
                 if name.startswith("decision:")}
    try:
        double_coding.settle(db, found, decisions, auth.current_user(), form_reason(request.form) or "",
                             current_app.config["DATA_DIR"])
    except (double_coding.Refused, ReasonRefused) as refused:
        return _settle_page(db, found, error=str(refused), status=400, chosen=decisions)
    return redirect(url_for(".settle_page", reference=reference), 303)
