"""Exports and statistics of a search: the statistics page (tables, timeline, map, each cell a link
to that subset), the export of a search's results as CSV, JSON or PDF, and the page and file of a
PDF export too long for one request (archive/export/jobs.py)."""
import os
import tempfile

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from archive import export, i18n, service, store
from archive.export import charts, jobs, place_map, selection, tables
from archive.incidents import counts as incident_counts
from archive.search.state import Search
from archive.security.auth import current_user, requires, search_scope
from archive.web import get_db, get_searcher
from schemas import validators
from schemas.export import ExportOptionsSchema

bp = Blueprint("exports", __name__)


@bp.app_context_processor
def export_helpers():
    """The case files this user may add to, for the search page's export tools."""
    return {"case_files": lambda: store.list_case_files(get_db(), current_user()["name"]) if current_user() else []}


@bp.get("/stats")
@requires("search")
def stats():
    search = Search(request.args)
    args, errors = search.args, search.errors
    book = service.load_codebook()
    references = selection.found_references(get_searcher(), search_scope(), args)
    counted = tables.count(get_db(), book, references)
    months, places = tables.by_month(counted), tables.places(counted, book)
    told = incident_counts.summary(get_db(), book, references, counted)
    return render_template(
        "stats/index.html", args=args, errors=errors, state=search.state, counted=counted,
        side_by_type=tables.side_by_type(counted, book), month_grid=tables.month_grid(counted),
        timelines=months and {name: charts.timeline(months, width) for name, width in charts.WIDTHS.items()},
        places=places, unlisted=tables.unlisted_places(counted), maps=place_map.place_map(places),
        link=search.url, search_link=search.url(), told=told,
    ), 400 if errors else 200


@bp.post("/export")
@requires("export")
def export_search():
    search = Search(request.form)
    if search.errors:
        abort(400, description=_("The search could not be read: %(join)s", join="; ".join(sorted(search.errors))))
    picked = selection.from_search(get_db(), get_searcher(), current_user(), search.args)
    return send_export(picked, request.form)


def send_export(picked, form):
    """Write the export to a temporary file, record it, send it, then remove the file; or, for a PDF
    of more than one part, start a job and send its page."""
    try:
        options = export.Options(**ExportOptionsSchema().load(
            {k: form.get(k) for k in ("format", "per", "bom", "identify", "statements") if form.get(k)}),
            language=i18n.language())
    except ValidationError as err:
        abort(400, description=_("Export options: %(problem)s", problem=validators.in_words(err)))
    try:
        if options.format == "pdf":  # a job, whose page says how far it has come: a PDF takes seconds
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
    return _attachment(sent, options.format, done.name, done.export_id, done.sha256)


@bp.get("/exports/<int:job_id>")
@requires("export")
def job(job_id):
    found = jobs.get(get_db(), job_id, current_user())
    if found is None:
        abort(404)
    return render_template("export/job.html", job=found, keep_hours=jobs.KEEP_HOURS)


@bp.get("/exports/<int:job_id>/progress")
@requires("export")
def job_progress(job_id):
    """{status, progress} of the job, for its page's script."""
    found = jobs.get(get_db(), job_id, current_user())
    if found is None:
        abort(404)
    return {"status": found["status"], "progress": found["progress"]}


@bp.get("/exports/<int:job_id>/file")
@requires("export")
def job_file(job_id):
    """The finished file, once: it leaves the server as it is sent."""
    found = jobs.get(get_db(), job_id, current_user())
    if found is None or found["status"] != "done":
        abort(404)
    return job_download(found)


def job_download(job):
    """A finished job's file, taken from the server as it is sent. A HEAD (a link checker, a browser
    looking ahead) is told what it would get, and leaves the file where it is."""
    if request.method == "HEAD":
        return "", 200, {"Content-Type": export.MEDIA_TYPES[job["format"]],
                         "X-Export-Id": str(job["export_id"]), "X-Export-SHA256": job["sha256"]}
    return _attachment(jobs.take(get_db(), current_app.config["DATA_DIR"], job), job["format"],
                       job["name"] or f"export-{job['export_id']}.{job['format']}", job["export_id"], job["sha256"])


def _attachment(handle, file_format, name, export_id, sha256):
    """An export file, open, sent as a download named for what it holds, with its record's id and hash."""
    response = send_file(handle, mimetype=export.MEDIA_TYPES[file_format], as_attachment=True,
                         download_name=name)
    response.headers["X-Export-Id"] = str(export_id)
    response.headers["X-Export-SHA256"] = sha256
    return response
