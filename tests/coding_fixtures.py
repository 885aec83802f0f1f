"""Fixtures of the coding workbench's tests: a test client signed in as a role, with its CSRF token."""
import re

import pytest


@pytest.fixture
def signed_in(app):
    """signed_in('coder') -> (a test client logged in as that account, its CSRF token)."""
    if "csrf" not in app.extensions:  # TEMPORARY until accounts land in main
        from flask_wtf.csrf import CSRFProtect
        app.config.setdefault("SECRET_KEY", "tests")
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or "tests"
        CSRFProtect(app)

    def sign_in(name):
        client = app.test_client()
        client.set_cookie("stub_user", name)
        page = client.get("/testimonies/new" if name in ("coder", "coder2", "reviewer") else "/").get_data(as_text=True)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        return client, found.group(1) if found else None
    return sign_in
