"""The web app's plain listing, its headers and its error answers."""
from werkzeug.exceptions import NotFound

from tests.factories import record


def test_the_listing_shows_testimonies_without_witness_identity(client, import_records):
    import_records([record(1, title="Dogs near Bruzgi", witness_name="Fictional Name 9")])
    page = client.get("/").get_data(as_text=True)
    assert "T-2021-0001" in page and "Dogs near Bruzgi" in page
    assert "Fictional Name 9" not in page


def test_testimony_text_is_escaped(client, import_records):
    import_records([record(1, title='<script>alert("x")</script><img src=x onerror=alert(1)>')])
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_an_empty_archive_says_how_to_fill_it(client):
    assert "archive demo" in client.get("/").get_data(as_text=True)


def test_paging(client, import_records):
    import_records([record(n) for n in range(1, 56)])
    page_three = client.get("/?page=3").get_data(as_text=True)  # 20 a page, by reference
    assert "T-2021-0041" in page_three and "T-2021-0040" not in page_three and "Page 3 of 3" in page_three


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'self': no inline script
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_errors_answer_as_a_page_or_as_json(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "<h1>Not found</h1>" in response.get_data(as_text=True)
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "status": "Not Found", "message": NotFound.description}


def test_session_cookie_defaults(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024 * 1024


def test_a_missing_index_is_a_503_that_says_what_to_do(client, data_dir, import_records):
    import shutil
    import_records([record(1)])
    shutil.rmtree(data_dir.index)
    page = client.get("/?q=dogs")
    assert page.status_code == 503 and "archive reindex" in page.get_data(as_text=True)
    api = client.get("/api/search?q=dogs")
    assert api.status_code == 503 and "archive reindex" in api.get_json()["message"]
    assert client.get("/testimonies/T-2021-0001").status_code == 200  # reading needs only SQLite
