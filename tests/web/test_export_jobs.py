"""A PDF of more than one part is made by a job of the server (archive/export/jobs.py): the
request answers at once with the job's page, the page follows the job until the file is ready, only its
owner can see it or download it, once, and a server that stopped mid-export leaves no file and a
failed job."""
import datetime as dt
import time

import pytest
from pypdf import PdfReader

from archive import export, service
from archive.export import jobs, pdf
from tests import export_data
from tests.export_data import EXPORTED


@pytest.fixture
def archive(data_dir, users, monkeypatch):
    export_data.populate(data_dir)
    monkeypatch.setattr(pdf, "PART_SIZE", 2)  # five testimonies: three parts, so a job
    return data_dir


def started(client, token, **form):
    response = client.post("/export", data={"csrf_token": token, "q": "", "format": "pdf", **form})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def finished(client, page, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        html = client.get(page).get_data(as_text=True)
        if "data-progress-url" not in html:  # the running page asks for progress; an ended one does not
            return html
        time.sleep(0.5)
    raise AssertionError(f"{page} still running after {seconds} s")


def rows(archive, sql):
    db = service.open_db(archive)
    try:
        return list(db.query(sql))
    finally:
        db.close()


def test_a_long_pdf_is_a_job_its_owner_downloads_once(client, login, archive, tmp_path):
    page = started(client, login(client, "lawyer"))
    assert page.startswith("/exports/")
    running = client.get(page).get_data(as_text=True)
    assert "Preparing your PDF" in running or "Your PDF is ready" in running
    ready = finished(client, page)
    assert "Your PDF is ready" in ready and "Read before sharing" in ready
    response = client.get(page + "/file")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (tmp_path / "job.pdf").write_bytes(response.get_data())
    response.close()
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "job.pdf").pages)
    assert all(reference in text for reference in EXPORTED)
    assert [r["sha256"] for r in rows(archive, "SELECT sha256 FROM export_record")] == [response.headers["X-Export-SHA256"]]
    assert list(jobs.folder(archive).iterdir()) == []  # it left the server as it was sent
    assert "no longer on the server" in client.get(page).get_data(as_text=True)
    assert client.get(page + "/file").status_code == 404


def test_asking_what_the_file_is_leaves_it_for_its_download(client, login, archive):
    """A HEAD (a link checker, a browser looking ahead) must not take the one download there is."""
    page = started(client, login(client, "lawyer"))
    finished(client, page)
    peek = client.head(page + "/file")
    assert peek.status_code == 200 and peek.mimetype == "application/pdf" and peek.get_data() == b""
    assert len(list(jobs.folder(archive).iterdir())) == 1 and "Your PDF is ready" in client.get(page).get_data(as_text=True)
    download = client.get(page + "/file")
    assert download.status_code == 200 and download.get_data().startswith(b"%PDF")
    assert download.headers["X-Export-SHA256"] == peek.headers["X-Export-SHA256"]
    download.close()
    assert client.head(page + "/file").status_code == 404  # taken: nothing left to ask about


def test_no_one_else_sees_the_job_or_its_file(client, login, archive, app):
    page = started(client, login(client, "lawyer"))
    finished(client, page)
    other = app.test_client()
    login(other, "reviewer")  # may export, but this is the lawyer's job
    assert other.get(page).status_code == 404
    assert other.get(page + "/file").status_code == 404
    assert client.get(page + "/file").status_code == 200


def test_a_refused_export_is_refused_at_once_and_starts_nothing(client, login, archive, monkeypatch):
    monkeypatch.setattr(export, "PDF_LIMIT", 4)
    token = login(client, "lawyer")
    response = client.post("/export", data={"csrf_token": token, "q": "", "format": "pdf"})
    assert response.status_code == 422 and "too many for one PDF" in response.get_data(as_text=True)
    assert rows(archive, "SELECT * FROM export_job") == []


def test_a_failed_job_says_so_and_leaves_nothing(client, login, archive, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "STYLESHEETS", [str(tmp_path / "missing.css")])
    page = started(client, login(client, "lawyer"))
    failed = finished(client, page)
    assert "The export failed; nothing was written" in failed
    assert "missing.css" not in failed  # what went wrong stays in the server's log
    assert list(jobs.folder(archive).iterdir()) == []
    assert rows(archive, "SELECT * FROM export_record") == []
    assert client.get(page + "/file").status_code == 404


def test_a_restarted_server_fails_the_jobs_it_left_and_removes_stale_files(archive):
    db = service.open_db(archive)
    folder = jobs.folder(archive)
    for name in ("2-kept.pdf", "3-old.pdf", "stray.pdf"):
        (folder / name).write_bytes(b"%PDF-")
    db.executescript("""
        INSERT INTO export_job (id, actor, format, records, status, started_at) VALUES
            (1, 'lawyer', 'pdf', 50, 'running', '2026-12-01T10:00:00+00:00');
        INSERT INTO export_job (id, actor, format, records, status, file, started_at, finished_at) VALUES
            (2, 'lawyer', 'pdf', 50, 'done', '2-kept.pdf', '2026-12-01T10:00:00+00:00', '2026-12-01T10:01:00+00:00'),
            (3, 'lawyer', 'pdf', 50, 'done', '3-old.pdf', '2026-11-29T10:00:00+00:00', '2026-11-29T10:01:00+00:00');
    """)
    jobs.tidy(archive, db, now=dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc))
    status = {r["id"]: (r["status"], r["file"]) for r in db.query("SELECT id, status, file FROM export_job")}
    db.close()
    assert status == {1: ("failed", None), 2: ("done", "2-kept.pdf"), 3: ("expired", None)}
    assert sorted(p.name for p in folder.iterdir()) == ["2-kept.pdf"]
