"""Incident pages: the list of incidents, one incident (its sources, legs in order, map and timeline,
the form to add a leg), and a testimony's incidents page, where a coder records a new incident from
the testimony or links it to an existing one. Each change: schema -> archive.incidents (one
transaction) -> the index for the testimonies whose links changed."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from archive import coding, errors, incidents, service, store
from archive.incidents import candidates, pages
from archive.security import access
from archive.security.auth import current_user, open_testimony, requires
from archive.store import incidents as store_incidents
from archive.web import get_db
from schemas import validators
from schemas.incident import DecisionSchema, IncidentSchema, LegSchema, LinkSchema
from schemas.reason import form_reason

bp = Blueprint("incidents", __name__)
INCIDENT_FIELDS = ("title", "date", "date_to", "place", "group_size", "minors", "women", "note", "reason", "external_id")
LEG_FIELDS = ("from_side", "to_side", "place", "date", "date_to", "perpetrator", "note", "position")


@bp.get("/incidents")
@requires("search")
def index():
    book = service.load_codebook()
    listed = [{**pages.describe(row, book), "sources": row["sources"]} for row in store_incidents.list_incidents(get_db())]
    return render_template("incidents/index.html", incidents=listed)


@bp.get("/incidents/<int:incident_id>")
@requires("search")
def show(incident_id, leg_values=None, problems=None):
    db, book, user = get_db(), service.load_codebook(), current_user()
    incident = pages.describe(store_incidents.get_incident(db, incident_id), book)
    legs = [pages.describe_leg(leg, book) for leg in store_incidents.legs_of(db, incident_id)]
    shown, hidden = pages.sources(db, incident_id, user, book)
    return render_template(
        "incidents/show.html", incident=incident, legs=legs, sources=shown, hidden_sources=hidden,
        abuse_types=pages.abuse_types(db, incident_id, book), maps=pages.route_map(incident, legs, book),
        timeline=pages.timeline(incident, legs), book=book, sides=_sides(book),
        can_link=access.can(user, "link_incidents"), values=leg_values or {}, problems=problems or {},
        history=pages.history(db, incident_id) if access.can(user, "review") else None,
    ), 422 if problems else 200


@bp.get("/incidents/<int:incident_id>/edit")
@requires("link_incidents")
def edit(incident_id, values=None, problems=None, status=200):
    db, book = get_db(), service.load_codebook()
    row = store_incidents.get_incident(db, incident_id)
    return render_template("incidents/edit.html", incident=pages.describe(row, book), book=book,
                           values=values or pages.form_values(row), problems=problems or {}), status


@bp.post("/incidents/<int:incident_id>/edit")
@requires("link_incidents")
def update(incident_id):
    """The incident's own fields changed, with a reason: its history and the audit log keep both."""
    db, book = get_db(), service.load_codebook()
    store_incidents.get_incident(db, incident_id)
    values = {name: request.form.get(name, "").strip() for name in INCIDENT_FIELDS}
    values["perpetrators"] = request.form.getlist("perpetrators")
    try:
        incident = IncidentSchema(book).load({k: (v if v != "" else None) for k, v in values.items()})
        problems = {}
    except ValidationError as err:
        problems = dict(err.messages)
    if not values["reason"]:
        problems["reason"] = [_("say why the incident is changed")]
    if problems:
        return edit(incident_id, values, problems, 422)
    try:
        changed = incidents.update_incident(db, incident_id, incident, current_user())
    except incidents.IncidentRefused as err:
        return edit(incident_id, values, {"external_id": [str(err)]}, 409)
    flash(_("Incident changed: %(fields)s.", fields=pages.changed_words(changed)) if changed
          else _("Nothing was changed."), "info")
    return redirect(url_for("incidents.show", incident_id=incident_id), 303)


@bp.post("/incidents/<int:incident_id>/legs")
@requires("link_incidents")
def add_leg(incident_id):
    db, book = get_db(), service.load_codebook()
    values = {name: request.form.get(name, "").strip() for name in LEG_FIELDS}
    try:
        leg = LegSchema(book).load({k: v or None for k, v in values.items()})
    except ValidationError as err:
        return show(incident_id, values, err.messages)
    incidents.add_leg(db, incident_id, leg, current_user())
    flash(_("Leg added."), "info")
    return redirect(url_for("incidents.show", incident_id=incident_id) + "#legs", 303)


@bp.post("/incidents/<int:incident_id>/legs/<int:leg_id>/remove")
@requires("link_incidents")
def remove_leg(incident_id, leg_id):
    incidents.remove_leg(get_db(), incident_id, leg_id, current_user(), form_reason(request.form))
    flash(_("Leg removed."), "info")
    return redirect(url_for("incidents.show", incident_id=incident_id) + "#legs", 303)


@bp.post("/incidents/<int:incident_id>/legs/<int:leg_id>/move")
@requires("link_incidents")
def move_leg(incident_id, leg_id):
    db = get_db()
    leg = next((leg for leg in store_incidents.legs_of(db, incident_id) if leg["id"] == leg_id), None)
    if leg is None:
        raise store.NotFound(_("incident %(incident_id)s has no leg %(leg_id)s", incident_id=incident_id,
                               leg_id=leg_id))
    step = -1 if request.form.get("direction") == "earlier" else 1
    incidents.move_leg(db, incident_id, leg_id, leg["position"] + step, current_user())
    return redirect(url_for("incidents.show", incident_id=incident_id) + "#legs", 303)


@bp.post("/incidents/<int:incident_id>/sources/<int:source_id>/remove")
@requires("link_incidents")
def unlink(incident_id, source_id):
    db = get_db()
    testimony_id = incidents.unlink_source(db, incident_id, source_id, current_user(), form_reason(request.form))
    coding.reindex(db, testimony_id)
    flash(_("The testimony is no longer a source of this incident."), "info")
    return redirect(url_for("incidents.show", incident_id=incident_id) + "#sources", 303)


# --- from a testimony ---------------------------------------------------------------------------

@bp.get("/testimonies/<path:reference>/incidents")
@requires("link_incidents")
def for_testimony(reference, values=None, problems=None, status=200):
    db, book = get_db(), service.load_codebook()
    testimony = open_testimony(db, reference)
    linked = pages.testimony_incidents(db, testimony["id"], book)
    linked_ids = {i["id"] for i in linked}
    others = [pages.describe(row, book) for row in store_incidents.list_incidents(db) if row["id"] not in linked_ids]
    stated = testimony
    defaults = {"title": testimony["title"] or "", "date": (stated["incident_date_text"] or "").partition("/")[0],
                "date_to": (stated["incident_date_text"] or "").partition("/")[2],
                "place": stated["incident_place_text"] or "", "perpetrators": testimony["incident_perpetrators"]}
    return render_template(
        "incidents/for_testimony.html", testimony=testimony, linked=linked, others=others, book=book,
        codes=[c for c in testimony["codes"] if c["abuse_type"]],
        candidates=candidates.for_testimony(db, book, testimony["id"]),
        may_decide=access.can(current_user(), "review"),
        values=values or defaults, problems=problems or {}), status


@bp.post("/testimonies/<path:reference>/incidents")
@requires("link_incidents")
def create(reference):
    db, book = get_db(), service.load_codebook()
    testimony = open_testimony(db, reference)
    values = {name: request.form.get(name, "").strip() for name in INCIDENT_FIELDS}
    values["perpetrators"] = request.form.getlist("perpetrators")
    try:
        incident = IncidentSchema(book).load({k: (v if v != "" else None) for k, v in values.items()})
        incident_id = incidents.create_incident(db, incident, current_user(), testimony=testimony)
    except ValidationError as err:
        return for_testimony(reference, values, err.messages, 422)
    except incidents.IncidentRefused as err:
        return for_testimony(reference, values, {"external_id": [str(err)]}, 409)
    coding.reindex(db, testimony["id"])
    flash(_("Incident recorded, with %(reference)s as its first source. Add its legs below.",
            reference=reference), "info")
    return redirect(url_for("incidents.show", incident_id=incident_id), 303)


@bp.post("/testimonies/<path:reference>/incidents/link")
@requires("link_incidents")
def link(reference):
    db = get_db()
    testimony = open_testimony(db, reference)
    try:
        chosen = LinkSchema().load({k: request.form.get(k) or None for k in ("incident", "code", "reason")})
    except ValidationError as err:
        flash(_("The link was not stored: %(problem)s", problem=validators.in_words(err)), "error")
        return redirect(url_for("incidents.for_testimony", reference=reference), 303)
    added = incidents.link_testimony(db, chosen["incident"], testimony, current_user(), chosen["code"], chosen["reason"])
    coding.reindex(db, testimony["id"])
    flash(_("%(reference)s is now a source of this incident.", reference=reference) if added
          else _("%(reference)s already was a source.", reference=reference), "info")
    return redirect(url_for("incidents.show", incident_id=chosen["incident"]) + "#sources", 303)


@bp.post("/testimonies/<path:reference>/incidents/decide")
@requires("review")
def decide(reference):
    """A reviewer confirms or rejects a candidate link, with a reason."""
    db, book = get_db(), service.load_codebook()
    testimony = open_testimony(db, reference)
    try:
        decision = DecisionSchema().load({k: request.form.get(k) or None
                                          for k in ("decision", "incident", "testimony", "reason")})
    except ValidationError as err:
        flash(_("Nothing was decided: %(problem)s", problem=validators.in_words(err)), "error")
        return redirect(url_for("incidents.for_testimony", reference=reference) + "#candidates", 303)
    other = open_testimony(db, decision["testimony"]) if decision["testimony"] else None
    try:
        changed = candidates.decide(db, book, testimony, decision, current_user(), other)
    except errors.Refused as err:  # said where the reviewer decided, beside the candidates
        flash(_("Nothing was decided: %(problem)s", problem=str(err)), "error")
        return redirect(url_for("incidents.for_testimony", reference=reference) + "#candidates", 303)
    for testimony_id in changed:
        coding.reindex(db, testimony_id)
    flash(_("Linked.") if decision["decision"] == "confirmed" else _("Rejected: this pair will not be offered again."),
          "info")
    return redirect(url_for("incidents.for_testimony", reference=reference) + "#candidates", 303)


def _sides(book):
    return [(p["id"], p["label"]) for p in book.perpetrators.values() if p["kind"] == "state" and p["id"] != "XX"]
