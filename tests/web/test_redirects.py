"""`next` after logging in and after a suggestion form: a path on this site, or the default page.

Through the real login form and the real suggestion form: the answer's Location is what a browser
would follow, so a hostile target must never come back in it.
"""
import pytest

from tests.conftest import PASSWORD, archive_template, csrf_token, finish_login
from tests.factories import record

HOSTILE = [
    "//evil.example", "//evil.example/x", "https://evil.example/", "http:evil.example", "javascript:alert(1)",
    "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "evil.example", "",
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", " //evil.example",
    "/ /evil.example", "/\x00/evil.example", "/\x0b/evil.example", "/\u2028/evil.example", "/\u200b/evil.example",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example",
    "/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example", "/%09/evil.example", "/%5Cevil.example",
    "/%0d%0aSet-Cookie:x=1", "/\uff0fevil.example", "\uff0f\uff0fevil.example", "/\ufe68evil.example",
    "///evil.example", "/x\nLocation: //evil.example", "http://[::1", "/" + "a" * 3000,
]
GOOD = [
    "/", "/?q=dogs", "/?q=pepper+spray&perpetrator=PL&perpetrator=BY", "/?q=%22pepper%20spray%22",
    "/?q=Ku%C5%BAnica", "/testimonies/T-2021-0001", "/testimonies/T-2021-0001/suggestions",
    "/case-files/3", "/stats?q=dogs&from=2021-11", "/?q=a%0Ab",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_target_falls_back_to_the_default(target):
    from archive.security.redirects import safe_target

    assert safe_target(target, "/default") == "/default"


@pytest.mark.parametrize("target", GOOD)
def test_a_path_on_this_site_is_kept_with_its_query(target):
    from archive.security.redirects import safe_target

    assert safe_target(target, "/default") == target


def _log_in(client, target, method="post"):
    token = csrf_token(client, "/login")
    data = {"name": "lawyer", "password": PASSWORD, "csrf_token": token}
    if method == "post":
        return finish_login(client, client.post("/login", data={**data, "next": target}), "lawyer")
    return finish_login(client, client.post("/login?" + _query(target), data=data), "lawyer")


def _query(target):
    from urllib.parse import urlencode

    return urlencode({"next": target})


@pytest.mark.parametrize("method", ["post", "query"])
@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_sends_the_browser_elsewhere(anonymous, users, db, target, method):
    response = _log_in(anonymous, target, method)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert anonymous.get("/").status_code == 200  # logged in, on the search page


@pytest.mark.parametrize("target", GOOD)
def test_login_goes_to_the_page_asked_for(anonymous, users, target):
    response = _log_in(anonymous, target, "query")
    assert response.status_code == 302 and response.headers["Location"] == target


def test_the_probes_targets_through_the_address_bar(anonymous, users):
    """As the probe sent them: `?next=/%09/evil.example`, decoded by the server to a tab."""
    token = csrf_token(anonymous, "/login")
    response = finish_login(anonymous, anonymous.post("/login?next=/%09/evil.example", data={
        "name": "lawyer", "password": PASSWORD, "csrf_token": token}), "lawyer")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    again = anonymous.application.test_client()
    newline = finish_login(again, again.post("/login", data={"name": "lawyer", "password": PASSWORD,
                                                             "next": "/\n//evil.example",
                                                             "csrf_token": csrf_token(again, "/login")}), "lawyer")
    assert newline.status_code == 302 and newline.headers["Location"] == "/"


template_archive = archive_template([record(1)], accounts=True)


@pytest.fixture
def testimony(users):
    return "/testimonies/T-2021-0001/suggestions"


@pytest.mark.parametrize("target", [target for target in HOSTILE if len(target) <= 500])  # the form's limit
def test_a_suggestion_form_never_sends_the_browser_elsewhere(app, login, testimony, target):
    client = app.test_client()
    token = login(client, "coder")
    response = client.post(testimony + "/dismiss", data={"csrf_token": token, "kind": "abuse_type",
                                                         "value": "beating", "next": target})
    assert response.status_code == 303 and response.headers["Location"] == testimony


def test_a_suggestion_form_goes_back_where_it_was(app, login, testimony):
    client = app.test_client()
    token = login(client, "coder")
    response = client.post(testimony + "/dismiss", data={"csrf_token": token, "kind": "abuse_type",
                                                         "value": "beating", "next": "/testimonies/T-2021-0001?x=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/testimonies/T-2021-0001?x=1"
