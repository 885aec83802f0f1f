"""Exports and statistics of a search: the statistics page (tables, timeline, map, each cell a link
to that subset), the export of a search's results as CSV, JSON or PDF, and the page and file of a
PDF export too long for one request (archive/export/jobs.py)."""
import os
import tempfile
from urllib.parse import urlencode

from flask import (Blueprint, abort, current_app, redirect, render_template, request, send_file,
                   url_for)
from marshmallow import EXCLUDE, ValidationError

from archive import export, service, store
from archive.auth import current_user, requires, search_scope
from archive.export import charts, jobs, pdf, selection, tables
from archive.web import get_db, get_searcher
from schemas.export import ExportOptionsSchema
from schemas.search import SearchArgsSchema
from search_index.schema import FACETS

bp = Blueprint("exports", __name__)
SEARCH_KEYS = ("q", "from", "to", "sort")


def search_args(source):
    """The search page's parameters from a query string or a form; bad ones are named and dropped."""
    raw = {key: source.getlist(key) if key in FACETS else source.get(key) for key in source
           if key in FACETS or key in SEARCH_KEYS}
    try:
        return SearchArgsSchema().load(raw, unknown=EXCLUDE), {}, raw
    except ValidationError as err:
        kept = {k: v for k, v in raw.items() if k not in err.messages}
        return SearchArgsSchema().load(kept, unknown=EXCLUDE), err.messages, kept


def state_of(raw):
    """The search as ordered (key, value) pairs, as the search page's URL has them."""
    pairs = [(key, raw[key]) for key in SEARCH_KEYS if raw.get(key)]
    return pairs + [(name, value) for name in FACETS for value in raw.get(name, [])]


def search_url(state, **narrower):
    """The search page for this search narrowed to a cell: the cell's values replace the search's own
    for those parameters (a facet ticked twice would widen the search, not narrow it)."""
    pairs = [pair for pair in state if pair[0] not in narrower] + \
            [(key, value) for key, value in narrower.items() if value]
    return url_for("search.index") + ("?" + urlencode(pairs) if pairs else "")


@bp.app_context_processor
def export_helpers():
    """The case files this user may add to, for the search page's export tools."""
    return {"case_files": lambda: store.list_case_files(get_db(), current_user()["name"]) if current_user() else []}


@bp.get("/stats")
@requires("search")
def stats():
    args, errors, raw = search_args(request.args)
    state = state_of(raw)
    book = service.load_codebook()
    references = selection.found_references(get_searcher(), search_scope(), args)
    counted = tables.count(get_db(), book, references)
    months, places = tables.by_month(counted), tables.places(counted, book)
    return render_template(
        "stats/index.html", args=args, errors=errors, state=state, counted=counted,
        side_by_type=tables.side_by_type(counted, book), months=months, places=places,
        timeline=charts.timeline(months), map=charts.place_map(places),
        link=lambda **extra: search_url(state, **extra),
        search_link=url_for("search.index") + ("?" + urlencode(state) if state else ""),
    ), 400 if errors else 200


@bp.post("/export")
@requires("export")
def export_search():
    args, errors, _ = search_args(request.form)
    if errors:
        abort(400, description="The search could not be read: " + "; ".join(sorted(errors)))
    picked = selection.from_search(get_db(), get_searcher(), current_user(), args)
    return send_export(picked, request.form)


def send_export(picked, form):
    """Write the export to a temporary file, record it, send it, then remove the file; or, for a PDF
    of more than one part, start a job and send its page."""
    try:
        options = export.Options(**ExportOptionsSchema().load(
            {k: form.get(k) for k in ("format", "per", "bom", "identify", "statements") if form.get(k)}))
    except ValidationError as err:
        abort(400, description="Export options: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in err.messages.items()))
    try:
        if options.format == "pdf" and len(picked.references) > pdf.PART_SIZE:
            job_id = jobs.start(current_app.config["DATA_DIR"], get_db(), current_user(), picked, options)
            return redirect(url_for("exports.job", job_id=job_id), 303)
        handle, path = tempfile.mkstemp(suffix="." + options.format, dir=current_app.config["DATA_DIR"].root)
        os.close(handle)
        os.unlink(path)  # the writers create it; mkstemp only chose a name no one else has
        done = export.write(get_db(), service.load_codebook(), current_user(), picked, options, path)
    except export.ExportRefused as err:
        abort(403, description=str(err))
    except export.ExportTooLarge as err:
        abort(422, description=str(err))

    # Opened, then unlinked: the file leaves the directory now and its data when the response
    # closes. (A callback on close would not run: send_file's response bypasses it.)
    sent = open(path, "rb")
    os.unlink(path)
    return _attachment(sent, options.format, done.export_id, done.sha256)


@bp.get("/exports/<int:job_id>")
@requires("export")
def job(job_id):
    found = jobs.get(get_db(), job_id, current_user())
    if found is None:
        abort(404)
    return render_template("export/job.html", job=found, keep_hours=jobs.KEEP_HOURS)


@bp.get("/exports/<int:job_id>/file")
@requires("export")
def job_file(job_id):
    """The finished file, once: it leaves the server as it is sent."""
    found = jobs.get(get_db(), job_id, current_user())
    if found is None or found["status"] != "done":
        abort(404)
    return _attachment(jobs.take(get_db(), current_app.config["DATA_DIR"], found), found["format"],
                       found["export_id"], found["sha256"])


def _attachment(handle, file_format, export_id, sha256):
    """An export file, open, sent as a download with its record's id and hash."""
    response = send_file(handle, mimetype=export.MEDIA_TYPES[file_format], as_attachment=True,
                         download_name=f"export-{export_id}.{file_format}")
    response.headers["X-Export-Id"] = str(export_id)
    response.headers["X-Export-SHA256"] = sha256
    return response
