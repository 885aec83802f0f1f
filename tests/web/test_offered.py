"""Everything a role cannot use is not offered: no link on any page a role can reach leads it to a
403, and no form on such a page posts where the role may not post. Pages are walked from the
search page through their own links, as a person clicks through them, on the demo archive."""
import re
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from archive import service
from archive.security import access
from tests import factories
from tests.conftest import logged_in_client
from tests.web.test_permissions import ROUTES

MAX_PAGES = 120          # pages walked per role
MAX_PER_ENDPOINT = 6     # a facet link leads to another search page: a few of each kind are enough
SKIPPED = ("/logout", "/static/", "/favicon.ico", "/api/", "/exports/")
LINK = re.compile(r'<a [^>]*href="([^"#]+)')
FORM = re.compile(r'<form [^>]*method="post"[^>]*action="([^"]+)"', re.I)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from archive import create_app
    data_dir = factories.archive(tmp_path_factory.mktemp("offered") / "archive-data")
    service.import_file(data_dir, service.DEMO_FILE, "demo")
    return create_app({"TESTING": True, "DATA": str(data_dir.root)})


def endpoint_of(app, path, method):
    try:
        return app.url_map.bind("localhost").match(path, method=method)[0]
    except (NotFound, MethodNotAllowed):
        return None


@pytest.mark.parametrize("role", list(access.ROLES))
def test_no_page_offers_what_the_role_cannot_use(demo, role):
    client = logged_in_client(demo, f"walker-{role}", role)
    seen, per_endpoint, queue, problems = set(), {}, deque(["/"]), []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (403, 500):
            problems.append(f"{url} answers {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        page = response.get_data(as_text=True)
        for action in map(unescape, FORM.findall(page)):
            endpoint = endpoint_of(demo, urlsplit(action).path, "POST")
            permission = ROUTES.get(endpoint, (None, None, None))[2]
            if permission and not access.can({"role": role}, permission):
                problems.append(f"{url} offers a form to {action} ({endpoint} needs {permission})")
        for href in map(unescape, LINK.findall(page)):
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIPPED):
                continue
            endpoint = endpoint_of(demo, parts.path, "GET")
            if per_endpoint.get(endpoint, 0) >= MAX_PER_ENDPOINT or href in seen:
                continue
            per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
            queue.append(href)
    assert len(seen) > 10, f"the walk found only {sorted(seen)}"
    assert problems == []
