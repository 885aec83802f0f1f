"""The API's coding: add a code (or a redaction) on a passage, edit it with a reason, remove it with a
reason. The same schema (schemas/code.py CodeSchema, against the testimony's stored text) and the same
functions (archive/coding) as the coding page's endpoints, so the double-coding rules, history, audit
log and index follow as there. Permission `code`, as the page; a read-write token."""
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from archive import coding, service, store
from archive.i18n import say
from archive.security.auth import current_user, requires
from archive.views.api_answers import opened_testimony
from archive.views.api_links import NOT_LOGGED_IN, READ_ONLY, body_of
from archive.web import get_db, request_json
from schemas.api_writes import CodeWrittenSchema, RemovalReasonSchema
from schemas import validators
from schemas.code import CodeSchema

bp = Blueprint("api_codes", __name__, url_prefix="/api", description="Code testimonies: passages and what they say.")
NO_CODE = "No testimony with that reference that you may open, or no such code on it that you may see."
FORBIDDEN = "Your role may not code (coders, reviewers and admins may), or " + READ_ONLY


def _code(testimony):
    """The body through the coding page's own schema: in itself (else a 422 naming each field), then
    against this testimony's text (else a 409: offsets or a selection made for another statement, or
    for this one as it was)."""
    body = request_json()
    if not isinstance(body, dict):
        abort(422, message=say("send the code as a JSON object"), errors={"json": {"_schema": [
            say("a JSON object is required")]}})
    book = service.load_codebook()
    for text, status in ((None, 422), (testimony["text"], 409)):
        try:
            code = CodeSchema(book, text).load(body)
        except ValidationError as err:
            abort(status, message=say("the code was not stored: correct the fields marked"),
                  errors={"json": err.messages})
    return code


def _change_body():
    """A code again, with why: NewCode with `reason` required (and saying something), and not `redact` (a
    code is not turned into a redaction: coding.edit_code)."""
    return {"required": True, "content": {"application/json": {"schema": {"allOf": [
        {"$ref": "#/components/schemas/NewCode"},
        {"required": ["reason"], "properties": {"reason": {"type": "string", "pattern": validators.SAID_PATTERN},
                                                "redact": {"enum": [False]}}}]}}}}


def _refused(err, field=None, location="json"):
    abort(err.status, message=str(err), **({"errors": {location: {field: [str(err)]}}} if err.status == 422 else {}))


@bp.route("/testimonies/<path:reference>/codes")
class Codes(MethodView):
    decorators = [requires("code")]

    @bp.doc(requestBody=body_of("NewCode"))
    @bp.response(201, CodeWrittenSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=FORBIDDEN)
    @bp.alt_response(404, description="No testimony with that reference that you may open.")
    @bp.alt_response(409, description="The passage does not fit the statement (past its end, only white space, "
                                      "not `selected_text`: `errors.json` names the field); or your blind coding "
                                      "of it is submitted: fixed until it is settled.")
    @bp.alt_response(422, description="A field is wrong (a codebook id, a date, `end` not after `start`): "
                                      "`errors.json` names it.")
    def post(self, reference):
        """Code a passage: `start` and `end` in code points of the statement as stored (`text[start:end]`),
        optionally `selected_text` (refused unless it is exactly that passage), the abuse type, perpetrators,
        place, date, counts and note, as the coding page sends them; `redact: true` marks the passage as
        identifying instead. An assigned coder's code is blind until the double coding is settled."""
        db, testimony = get_db(), opened_testimony(reference)
        code = _code(testimony)
        try:
            kind, new_id = coding.add_code(db, testimony, code, current_user())
        except coding.CodingError as err:
            _refused(err)
        coding.reindex(db, testimony["id"])
        return {"reference": testimony["reference"], "kind": kind, "id": new_id}, 201


@bp.route("/testimonies/<path:reference>/codes/<int:code_id>")
class Code(MethodView):
    decorators = [requires("code")]

    @bp.doc(requestBody=_change_body())
    @bp.response(200, CodeWrittenSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=FORBIDDEN + " Or the code may not be changed now (superseded, or "
                                                  "another coder's blind code).")
    @bp.alt_response(404, description=NO_CODE)
    @bp.alt_response(409, description="The passage does not fit the statement: `errors.json` names the field.")
    @bp.alt_response(422, description="A field is wrong, or no `reason`: `errors.json` names it.")
    def patch(self, reference, code_id):
        """Change a code, as the coding page's edit does: the whole code again, with `reason` (required, kept
        in history). `changed` lists the fields that changed."""
        db, testimony = get_db(), opened_testimony(reference)
        code = _code(testimony)
        try:
            changed = coding.edit_code(db, testimony, code_id, code, current_user(), code["reason"])
        except coding.CodingError as err:
            _refused(err, "reason")
        except store.NotFound:
            abort(404, message=say("no code %(code)s in %(reference)s", code=code_id, reference=reference))
        if changed:
            coding.reindex(db, testimony["id"])
        return {"reference": testimony["reference"], "kind": "code", "id": code_id, "changed": sorted(changed)}

    @bp.arguments(RemovalReasonSchema, location="query", as_kwargs=True)
    @bp.response(204)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=FORBIDDEN + " Or the code may not be changed now.")
    @bp.alt_response(404, description=NO_CODE)
    @bp.alt_response(422, description="No `reason`, or one that cannot be kept: `errors.query` names it.")
    def delete(self, reference, code_id, reason):
        """Remove a code, with why: `?reason=…` (a query parameter: a DELETE has no body in HTTP's
        semantics). The code stays in the testimony's history with the reason."""
        db, testimony = get_db(), opened_testimony(reference)
        try:
            coding.remove_code(db, testimony, code_id, current_user(), reason)
        except coding.CodingError as err:
            _refused(err, "reason", "query")
        except store.NotFound:
            abort(404, message=say("no code %(code)s in %(reference)s", code=code_id, reference=reference))
        coding.reindex(db, testimony["id"])
        return None
