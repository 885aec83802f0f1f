"""PDF exports too long for one request, run as jobs of the server.

A PDF of more than one part (pdf.PART_SIZE testimonies) takes a minute or more to lay out. The
request checks the export may be made, starts a job and answers at once with the job's page,
which refreshes until the file is ready. The job is `export.write` in a thread with its own
database connection (the layout itself runs in worker processes, pdf.py), writing into the data
directory's exports/ folder. Only the person who started a job sees it or its file; the file is
removed once downloaded, or KEEP_HOURS after it was made. A server that stopped while a job ran
finds it at its next start and marks it failed (a half-written file never stays: export.write
removes it).
"""
import datetime as dt
import json
import logging
import secrets
import threading

from archive import export, i18n, service, store
from archive.custody import audit
from archive.i18n import N_
from archive.store.db import write_transaction

KEEP_HOURS = 24
log = logging.getLogger(__name__)
# How far each running job has come, in words ("Laying out the PDF: 3 of 7 parts"). Kept in memory:
# jobs run in the server's own threads, and their page is served by the same process.
PROGRESS = {}


def folder(data_dir):
    path = data_dir.root / "exports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def start(data_dir, db, user, picked, options):
    """Check, record and start the export of `picked`; returns the job's id. Raises
    export.ExportRefused and export.ExportTooLarge as export.write would, before any work."""
    export.check(user, picked, options)
    expire(data_dir, db)  # files not downloaded in time go, while the server runs too
    with write_transaction(db):
        job_id = store.insert_job(db, user["name"], options.format, len(picked.references))
    threading.Thread(target=_run, args=(data_dir, job_id, user, picked, options, audit.token_label()), daemon=True,
                     name=f"export-job-{job_id}").start()
    return job_id


def _run(data_dir, job_id, user, picked, options, token_label=None):
    """The job, in its own thread (no request's context): the export's audit entry names the API token of
    the request that started it, as the request's own entries do."""
    audit.through_token(token_label)
    name = f"{job_id}-{secrets.token_hex(8)}.{options.format}"
    db = service.open_db(data_dir)
    try:
        try:
            PROGRESS[job_id] = i18n.translations(options.language).gettext(N_("Starting"))
            with i18n.speaking(options.language):  # the codebook's labels in the exporter's language
                done = export.write(db, service.load_codebook(), user, picked, options, folder(data_dir) / name,
                                    progress=lambda words: PROGRESS.__setitem__(job_id, words))
            outcome = {"status": "done", "file": name, "export_id": done.export_id, "sha256": done.sha256,
                       "warnings": json.dumps(done.warnings), "name": done.name}
        except Exception as error:  # the class only: a message could quote a statement
            log.error("export job %d failed: %s", job_id, type(error).__name__)
            outcome = {"status": "failed", "error": i18n.translations(options.language).gettext(N_(
                "The export failed; nothing was written. Try again, or ask an administrator to look at the "
                "server's log."))}
        with write_transaction(db):
            store.finish_job(db, job_id, outcome)
    finally:
        PROGRESS.pop(job_id, None)
        db.close()


def get(db, job_id, user):
    """The job, if it is this user's, with how far it has come; None otherwise."""
    job = store.job_of(db, job_id, user["name"])
    if job is None:
        return None
    return {**job, "warnings": json.loads(job["warnings"] or "[]"), "progress": PROGRESS.get(job_id),
            "removed_at": _removal(job)}


def _removal(job):
    """When a finished file not downloaded will be removed (`expire`), as ISO text; None if not waiting."""
    if job["status"] != "done" or not job["finished_at"]:
        return None
    finished = dt.datetime.fromisoformat(job["finished_at"])
    return (finished + dt.timedelta(hours=KEEP_HOURS)).isoformat(timespec="seconds")


def take(db, data_dir, job):
    """The finished file, open, and already gone from the folder and marked downloaded: it leaves the
    server as it is sent (its data when the handle closes)."""
    path = folder(data_dir) / job["file"]
    handle = open(path, "rb")
    path.unlink()
    with write_transaction(db):
        store.mark_downloaded(db, job["id"])
    return handle


def init_app(app):
    """At the server's start: tidy what a stopped server left (the table itself is made by
    `archive init`, which `archive serve` runs first)."""
    data_dir = app.config["DATA_DIR"]
    if not data_dir.exists():
        return
    db = service.open_db(data_dir)
    try:
        tidy(data_dir, db)
    finally:
        db.close()


def tidy(data_dir, db, now=None):
    """At a server's start: jobs left running failed with the server; then `expire`."""
    with write_transaction(db):
        store.fail_running_jobs(db, "The server stopped before the export was finished; nothing was written. "
                                    "Export again.")
    expire(data_dir, db, now)


def expire(data_dir, db, now=None):
    """Files not downloaded within KEEP_HOURS, and any file no job points to, are removed."""
    now = now or dt.datetime.now(dt.timezone.utc)
    cutoff = (now - dt.timedelta(hours=KEEP_HOURS)).isoformat(timespec="seconds")
    with write_transaction(db):
        store.expire_jobs(db, cutoff)
    kept, running_ids = store.job_files(db)
    running = {f"{job_id}-" for job_id in running_ids}
    for path in folder(data_dir).iterdir():
        if path.name not in kept and path.is_file() and not any(path.name.startswith(r) for r in running):
            path.unlink()
