"""REFI-QDA on the pages: the codebook as a .qdc to download, and an admin's page that maps a foreign
codebook (.qdc, or the codebook of a .qdpx) onto ours. Projects go out through the export form
(format .qdpx) and come in through the intake page's import (archive/views/intake.py)."""
import os
import tempfile

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from marshmallow import ValidationError

from archive import service
from archive.exchange import ExchangeRefused, mapping, qdc, qdpx_read
from archive.security.auth import current_user, requires
from archive.web import get_db
from schemas import validators
from schemas.exchange import CodeDecisionsSchema

bp = Blueprint("exchange", __name__)
MAX_UPLOAD = 64 * 1024 ** 2


@bp.get("/codebook.qdc")
@requires("search")
def codebook_file():
    book = service.load_codebook()
    return Response(qdc.export_codebook(get_db(), book), mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="codebook-{book.version}.qdc"'})


@bp.get("/codebook/exchange")
@requires("manage_codebook")
def codebook_page():
    return render_template("codebook/exchange.html", report=None)


@bp.post("/codebook/exchange")
@requires("manage_codebook")
def map_codebook():
    """A foreign codebook uploaded: what matches, and a choice for each code that does not."""
    upload = request.files.get("codebook")
    if not upload or not upload.filename:
        return render_template("codebook/exchange.html", report=None,
                               problem=_("Choose a .qdc or .qdpx file first.")), 422
    try:
        foreign = _foreign(upload)
    except ExchangeRefused as err:
        return render_template("codebook/exchange.html", report=None, problem=str(err)), 422
    return _report(foreign)


@bp.post("/codebook/exchange/decisions")
@requires("manage_codebook")
def save_decisions():
    book = service.load_codebook()
    guids, names, paths = request.form.getlist("guid"), request.form.getlist("name"), request.form.getlist("path")
    try:
        loaded = CodeDecisionsSchema().load({"codes": [
            {"guid": g, "name": n, "path": p, "decision": request.form.get(f"decision-{g}", "")}
            for g, n, p in zip(guids, names, paths)]})
    except ValidationError as err:
        abort(400, description=_("The mapping could not be read: %(problem)s", problem=validators.in_words(err)))
    foreign = [qdc.ForeignCode(c["guid"].strip("{}").lower(), c["name"], True, c["path"] or c["name"])
               for c in loaded["codes"]]
    decisions = {c["guid"]: c["decision"] for c in loaded["codes"] if c["decision"]}
    try:
        decided = qdc.save_decisions(get_db(), book, foreign, decisions, current_user()["name"])
    except ExchangeRefused as err:
        return _report(foreign, problem=str(err), status=422)
    return _report(foreign, decided=decided)


def _report(foreign, decided=0, problem=None, status=200):
    book = service.load_codebook()
    report = qdc.report_of(get_db(), book, foreign, decided)
    return render_template("codebook/exchange.html", report=report, book=book, choices=mapping.choices(book),
                           problem=problem), status


def _foreign(upload):
    """The codable codes of an uploaded .qdc or .qdpx (a project is read from a temporary file)."""
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ExchangeRefused(_("the file is larger than %(limit)s bytes", limit=format_decimal(MAX_UPLOAD)))
    if data[:4] != b"PK\x03\x04":
        return [code for code in qdc.read_codebook(data, upload.filename) if code.codable]
    handle, path = tempfile.mkstemp(prefix="tmp", suffix=".qdpx", dir=current_app.config["DATA_DIR"].root)
    try:
        with os.fdopen(handle, "wb") as written:
            written.write(data)
        return [code for code in qdpx_read.read(path).codes if code.codable]
    finally:
        os.unlink(path)
