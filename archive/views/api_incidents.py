"""The JSON API of incidents: the list (paged), one incident with its legs and sources, a testimony's
incidents and its candidate links; and recording them (an incident, a leg, a link) through the same
schemas and archive.incidents functions as the pages. Described at /api/openapi.json.

Sources a reader may not open are counted, never named, as on the incident's page.
"""
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, ValidationError

from archive import coding, incidents, service, store
from archive.i18n import say
from archive.incidents import candidates, pages
from archive.security.auth import current_user, requires
from archive.store import incidents as store_incidents
from archive.views.api_answers import opened_testimony
from archive.web import get_db, request_json
from schemas.incident import IncidentSchema
from schemas.incident_read import (
    CandidatesSchema,
    IncidentListArgsSchema,
    IncidentListSchema,
    IncidentReadSchema,
    LegReadSchema,
    TestimonyIncidentsSchema,
)
from schemas.incident_write import (
    DecidedSchema,
    DecisionBodySchema,
    IncidentChangeSchema,
    NewIncidentSchema,
    NewLegSchema,
    NewSourceSchema,
    SourceAddedSchema,
)

bp = Blueprint("api_incidents", __name__, url_prefix="/api",
               description="Incidents: testimonies of the same event linked, their legs and sources.")
NOT_LOGGED_IN = "Not logged in and no valid API token."


def _body(name):
    """A JSON request body described by a schema published in create_app (archive/__init__.py)."""
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def _incident(incident_id):
    try:
        return store_incidents.get_incident(get_db(), incident_id)
    except store.NotFound:
        abort(404, message=say("no incident %(incident_id)s", incident_id=incident_id))


def read(incident_id):
    """One incident as IncidentReadSchema dumps it, for the current reader."""
    db, book = get_db(), service.load_codebook()
    _incident(incident_id)
    shown, hidden = pages.sources(db, incident_id, current_user(), book)
    return {**pages.read(db, incident_id, book), "hidden_sources": hidden, "sources_count": len(shown) + hidden,
            "sources": [{"reference": s["reference"], "title": s["title"], "language": s["language"],
                         "code": s["code_id"], "code_label": s["code_label"], "linked_at": s["linked_at"]}
                        for s in shown]}


@bp.route("/incidents")
class Incidents(MethodView):
    decorators = [requires("search")]

    @bp.arguments(IncidentListArgsSchema, location="query", unknown=RAISE)
    @bp.response(200, IncidentListSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    def get(self, args):
        """Every incident, a page at a time, newest event first: its own fields and its number of sources."""
        db, book = get_db(), service.load_codebook()
        rows = store_incidents.list_incidents(db, args["per_page"], (args["page"] - 1) * args["per_page"])
        return {"total": store_incidents.count_incidents(db), "page": args["page"], "per_page": args["per_page"],
                "incidents": [{**pages.describe(row, book), "sources_count": row["sources"]} for row in rows]}

    @requires("link_incidents")
    @bp.doc(requestBody=_body("NewIncident"))
    @bp.response(201, IncidentReadSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not record incidents (coders and reviewers may).")
    @bp.alt_response(404, description="No testimony with that reference that you may open.")
    @bp.alt_response(409, description="An incident with that `external_id` is already recorded, or `code` is not "
                                      "one of the testimony's codes.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def post(self):
        """Record an incident, as the testimony's incidents page does: its fields (as `NewIncident`), and,
        with `testimony` (and optionally one of its `code`s), its first source. Recorded in the incident's
        history and the audit log."""
        db, book = get_db(), service.load_codebook()
        body = _load(NewIncidentSchema(book), request_json())
        reference, code = body.pop("testimony"), body.pop("code")
        testimony = opened_testimony(reference) if reference else None
        try:
            incident_id = incidents.create_incident(db, body, current_user(), testimony=testimony, code_id=code)
        except incidents.IncidentRefused as err:
            abort(409, message=str(err), errors={"json": {"external_id": [str(err)]}})
        except store.NotFound as err:  # the code is not (or no longer) one of the testimony's
            abort(409, message=str(err), errors={"json": {"code": [str(err)]}})
        if testimony:
            coding.reindex(db, testimony["id"])
        return read(incident_id), 201


@bp.route("/incidents/<int:incident_id>")
class Incident(MethodView):
    decorators = [requires("search")]

    @bp.response(200, IncidentReadSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(404, description="No incident with that number.")
    def get(self, incident_id):
        """One incident: its fields, legs in order, the abuse types its sources' codes name, and its
        sources; those you may not open (role, the witness's consent) are counted in `hidden_sources`,
        never named."""
        return read(incident_id)

    @requires("link_incidents")  # before the body is read: a role that may not change gets a 403, not a 422
    @bp.doc(requestBody=_body("IncidentChange"))
    @bp.response(200, IncidentReadSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not record incidents (coders and reviewers may).")
    @bp.alt_response(404, description="No incident with that number.")
    @bp.alt_response(409, description="Another incident has that `external_id`, or the change does not fit the "
                                      "incident's other fields (a `date_to` before its date, more `women` than "
                                      "its group): `errors.json` names them.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def patch(self, incident_id):
        """Change the incident's own fields, as its edit page does: each field sent replaces it (null clears
        it), the others stay; `reason` is required and kept in the incident's history and the audit log."""
        db, book = get_db(), service.load_codebook()
        change = _load(IncidentChangeSchema(book), request_json())
        values = {**pages.form_values(_incident(incident_id)), **change}
        try:
            loaded = IncidentSchema(book).load({k: (None if v == "" else v) for k, v in values.items()})
        except ValidationError as err:
            abort(409, message=say("the change does not fit the incident's other fields"),
                  errors={"json": err.messages})
        try:
            incidents.update_incident(db, incident_id, loaded, current_user())
        except incidents.IncidentRefused as err:
            abort(409, message=str(err), errors={"json": {"external_id": [str(err)]}})
        return read(incident_id)


@bp.route("/incidents/<int:incident_id>/legs")
class Legs(MethodView):
    decorators = [requires("link_incidents")]

    @bp.doc(requestBody=_body("NewLeg"))
    @bp.response(201, LegReadSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not record incidents (coders and reviewers may).")
    @bp.alt_response(404, description="No incident with that number.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def post(self, incident_id):
        """Add a leg (last, or at `position`), as the incident's page does."""
        db, book = get_db(), service.load_codebook()
        _incident(incident_id)
        leg = _load(NewLegSchema(book), request_json())
        leg_id = incidents.add_leg(db, incident_id, leg, current_user())
        added = next(row for row in store_incidents.legs_of(db, incident_id) if row["id"] == leg_id)
        return pages.describe_leg(added, book), 201


@bp.route("/incidents/<int:incident_id>/sources")
class Sources(MethodView):
    decorators = [requires("link_incidents")]

    @bp.arguments(NewSourceSchema)
    @bp.response(200, SourceAddedSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not record incidents (coders and reviewers may).")
    @bp.alt_response(404, description="No incident with that number, or no testimony you may open.")
    @bp.alt_response(409, description="`code` is not one of the testimony's codes.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def post(self, source, incident_id):
        """Name a testimony (or one of its codes) as a source of the incident, with why. `added` is false
        when it already was."""
        db = get_db()
        _incident(incident_id)
        testimony = opened_testimony(source["testimony"])
        try:
            added = incidents.link_testimony(db, incident_id, testimony, current_user(), source["code"],
                                             source["reason"])
        except store.NotFound as err:  # the code is not (or no longer) one of the testimony's
            abort(409, message=str(err), errors={"json": {"code": [str(err)]}})
        coding.reindex(db, testimony["id"])
        return {"incident": incident_id, "testimony": testimony["reference"], "code": source["code"], "added": added}


@bp.route("/testimonies/<path:reference>/incidents")
class TestimonyIncidents(MethodView):
    decorators = [requires("search")]

    @bp.response(200, TestimonyIncidentsSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(404, description="No testimony with that reference that you may open.")
    def get(self, reference):
        """The incidents a testimony is a source of, as its page names them."""
        testimony = opened_testimony(reference)
        return {"reference": testimony["reference"],
                "incidents": pages.testimony_incidents(get_db(), testimony["id"], service.load_codebook())}


@bp.route("/testimonies/<path:reference>/candidates")
class Candidates(MethodView):
    decorators = [requires("link_incidents")]

    @bp.response(200, CandidatesSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not link incidents (coders and reviewers may).")
    @bp.alt_response(404, description="No testimony with that reference that you may open.")
    def get(self, reference):
        """The incidents and not-yet-linked testimonies that may tell the same event, scored, with their
        reasons in words (docs/incidents.md, candidate links). A reviewer decides on the testimony's page."""
        testimony = opened_testimony(reference)
        found = candidates.for_testimony(get_db(), service.load_codebook(), testimony["id"], current_user())
        return {"reference": testimony["reference"], "candidates": [{
            "kind": c["kind"], "score": c["score"], "reasons": c["reasons"],
            "incident": {k: c["what"][k] for k in ("id", "external_id", "title")} if c["kind"] == "incident" else None,
            "testimony": c["what"]["reference"] if c["kind"] == "testimony" else None} for c in found]}


@bp.route("/testimonies/<path:reference>/candidates/decisions")
class Decisions(MethodView):
    decorators = [requires("review")]

    @bp.arguments(DecisionBodySchema)
    @bp.response(201, DecidedSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not decide on candidates (reviewers may).")
    @bp.alt_response(404, description="No testimony you may open, or no such candidate.")
    @bp.alt_response(409, description="The pair cannot be placed in one incident: one of them is a source of "
                                      "several, or each of a different one. Nothing is recorded.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def post(self, decision, reference):
        """Confirm or reject a candidate of the testimony (an `incident`, or another `testimony`), with a
        reason, as the testimony's incidents page does: kept, audited, and a rejected pair is never offered
        again. Confirming an incident links the testimony; confirming two testimonies records a new incident
        of both, or, when one of them is already a source of an incident, links the other to it."""
        db = get_db()
        testimony = opened_testimony(reference)
        other = opened_testimony(decision["testimony"]) if decision["testimony"] else None
        try:
            changed = candidates.decide(db, service.load_codebook(), testimony, decision, current_user(), other)
        except store.NotFound as err:
            abort(404, message=str(err))
        for testimony_id in changed:
            coding.reindex(db, testimony_id)
        linked = decision["incident"]
        if decision["decision"] == "confirmed" and other is not None:  # the incident both are now sources of
            of = store_incidents.incidents_of(db, [testimony["id"], other["id"]])
            linked = min(set(of[testimony["id"]]) & set(of[other["id"]]))  # as candidates.decide chose it
        return {"reference": testimony["reference"], "decision": decision["decision"],
                "incident": linked, "testimony": other and other["reference"]}, 201


def _load(schema, body):
    """The body through the pages' own schema, or a 422 naming each field as flask-smorest does."""
    if body is None:
        abort(422, message=say("send the fields as a JSON object (Content-Type: application/json)"),
              errors={"json": {"_schema": [say("a JSON object is required")]}})
    try:
        return schema.load(body)
    except ValidationError as err:
        abort(422, message=say("a field is wrong"), errors={"json": err.messages})
