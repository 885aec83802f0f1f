"""Fixtures of the coding workbench's tests: a test client signed in as a role, with its CSRF token."""
import pytest


@pytest.fixture
def signed_in(app, login):
    """signed_in('coder') -> (a new test client logged in as that account, its CSRF token)."""
    def sign_in(name):
        client = app.test_client()
        return client, login(client, name)
    return sign_in
