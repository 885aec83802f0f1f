"""The record of every export, and the jobs that make the long ones (archive/export/jobs.py)."""

import json

from archive.store.rows import bindable, insert_row, now


def insert_export_record(db, record):
    return insert_row(db, "export_record", {
        **record, **{k: json.dumps(record[k], ensure_ascii=False, sort_keys=True)
                     for k in ("options", "search", "left_out") if record.get(k) is not None},
        "at": now()})

def list_export_records(db, limit=100):
    return [{**r, **{k: json.loads(r[k]) if r[k] else None for k in ("options", "search", "left_out")}}
            for r in db.query("SELECT * FROM export_record ORDER BY id DESC LIMIT ?", [limit])]


# --- export jobs (archive/export/jobs.py): a long PDF made after the request -------------------

def insert_job(db, actor, file_format, records):
    return insert_row(db, "export_job", {"actor": actor, "format": file_format, "records": records,
                                         "status": "running", "started_at": now()})


def finish_job(db, job_id, outcome):
    """The job's end: `outcome` holds its status and what the page shows (file, hash, error, …)."""
    columns = {**outcome, "finished_at": now()}
    db.execute(f"UPDATE export_job SET {', '.join(f'[{k}] = ?' for k in columns)} WHERE id = ?",
               [*columns.values(), job_id])


def job_of(db, job_id, actor):
    """The job, if it is `actor`'s; None otherwise."""
    if not bindable(job_id):
        return None
    return next(db.query("SELECT * FROM export_job WHERE id = ? AND actor = ?", [job_id, actor]), None)


def mark_downloaded(db, job_id):
    db.execute("UPDATE export_job SET status = 'downloaded', file = NULL WHERE id = ?", [job_id])


def fail_running_jobs(db, error):
    db.execute("UPDATE export_job SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running'",
               [now(), error])


def expire_jobs(db, finished_before):
    db.execute("UPDATE export_job SET status = 'expired', file = NULL WHERE status = 'done' AND finished_at < ?",
               [finished_before])


def job_files(db):
    """(names of the files jobs still point to, ids of the jobs running)."""
    kept = {row[0] for row in db.execute("SELECT file FROM export_job WHERE file IS NOT NULL")}
    running = {row[0] for row in db.execute("SELECT id FROM export_job WHERE status = 'running'")}
    return kept, running
