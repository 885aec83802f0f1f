"""Fixtures on real parts: an initialised archive (SQLite file + Whoosh index) in a temp dir."""
import shutil

import pytest
from click.testing import CliRunner

from archive import create_app, service
from archive.cli import cli
from archive.config import DataDir
from search_index.searcher import Searcher
from tests import factories
from tests.factories import ACCOUNTS, PASSWORD


@pytest.fixture(scope="session")
def fresh_archive(tmp_path_factory):
    """An archive as `archive init` leaves it, made once: each test gets a copy (80 ms saved a test)."""
    return factories.archive(tmp_path_factory.mktemp("fresh") / "archive-data")


@pytest.fixture(scope="session")
def template_archive(fresh_archive):
    """The archive each test's `data_dir` starts as a copy of: the fresh one, unless a module says
    otherwise with `template_archive = archive_template(...)`."""
    return fresh_archive


def archive_template(records=(), accounts=False):
    """A module's `template_archive`: made once for the module, holding `records` (and ACCOUNTS), so
    that each of its tests copies it (a millisecond) instead of importing them again (40 ms or more).
    For modules whose tests all start from the same archive; each test still writes to its own copy."""
    @pytest.fixture(scope="module")
    def template_archive(tmp_path_factory):
        return factories.archive(tmp_path_factory.mktemp("template") / "archive-data", records, accounts)
    return template_archive


@pytest.fixture
def data_dir(tmp_path, template_archive):
    """An archive of this test's own (database, codebook tables, index): a new, empty one unless
    the module's template holds records."""
    data = DataDir.at(tmp_path / "archive-data")
    shutil.copytree(template_archive.root, data.root)
    return data


@pytest.fixture
def db(data_dir):
    connection = service.open_db(data_dir)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def codebook():
    return service.load_codebook()


@pytest.fixture
def searcher(data_dir, codebook):
    opened = Searcher(data_dir.index, codebook)
    yield opened
    opened.close()


@pytest.fixture
def run(data_dir):
    """run('search', 'dogs', '--json') -> click Result, against this test's archive."""
    runner = CliRunner()

    def invoke(*args, data=None):
        return runner.invoke(cli, ["--data", str(data or data_dir.root), *map(str, args)], catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """Still argon2id, with the cheapest parameters: hundreds of logins must not take minutes.
    test_auth checks the parameters the archive really uses."""
    from argon2 import PasswordHasher

    from archive.security import accounts

    real = accounts._hasher
    accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield real
    accounts.use_hasher(real)


class MovingClock:
    """The two-factor clock, real time plus steps the login helpers move on (factories.phone_code)."""

    def __init__(self, real):
        self.real, self.offset = real, 0

    def __call__(self):
        return self.real() + self.offset

    def advance(self, steps=1):
        from archive.security import two_factor

        self.offset += steps * two_factor.STEP_SECONDS


@pytest.fixture(autouse=True, scope="session")
def moving_totp_clock():
    """Tests log the same account in many times a minute; a person cannot (one code a step)."""
    from archive.security import two_factor

    real = two_factor.clock
    two_factor.clock = MovingClock(real)
    yield two_factor.clock
    two_factor.clock = real


@pytest.fixture
def app(data_dir):
    return create_app({"TESTING": True, "DATA": str(data_dir.root)})


@pytest.fixture
def users(data_dir):
    """One account per role (and a second coder), all with PASSWORD (the template's, if it has them)."""
    factories.add_accounts(data_dir)
    return ACCOUNTS


def post_login(client, name, password=PASSWORD):
    """The login form posted as a browser posts it (with the page's CSRF token); the response."""
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_token(client, "/login")})


def log_in(client, name, password=PASSWORD):
    """Log the test client in as `name`, with the code of its phone if it has two-factor login on (or
    setting it up first, as a person would, if its role requires it); returns the CSRF token of its
    new session."""
    response = finish_login(client, post_login(client, name, password), name)
    assert response.status_code in (200, 302), response.get_data(as_text=True)
    return csrf_token(client, "/account")


def finish_login(client, response, name):
    """After the password's answer: the second factor's step, if one was asked for (the code of the
    account's phone, or enrolment first); the answer that ends the login."""
    if response.status_code == 302 and response.location == "/login/enrol":
        response = enrol_at_login(client)
    elif response.status_code == 302 and response.location == "/login/code":
        response = post_code(client, factories.phone_code(secret_of(client, name)))
        assert response.status_code == 302, response.get_data(as_text=True)
    return response


def post_code(client, code):
    """The second step's form, posted with `code`; the response."""
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})


def enrol_at_login(client):
    """Set up two-factor login on the page the password led to, reading the secret as a person does."""
    import re

    page = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r'<code class="secret" id="secret">([^<]+)</code>', page).group(1).replace(" ", "")
    response = client.post("/login/enrol", data={"code": factories.phone_code(secret),
                                                  "csrf_token": csrf_token(client, "/login/enrol")})
    assert response.status_code == 200 and "Your recovery codes" in response.get_data(as_text=True)
    return response


def secret_of(client, name):
    """The secret the account's phone holds (the archive's copy, which is the same)."""
    from archive.security import accounts, sealing
    from archive.store import two_factor as rows

    db = service.open_db(client.application.config["DATA_DIR"])
    try:
        return sealing.unseal(rows.factor_of(db, accounts.get_user(db, name)["id"])["secret"])
    finally:
        db.close()


@pytest.fixture
def login(users):
    """login(client, name) logs the test client in through the login form; returns a CSRF token."""
    return log_in


def logged_in_client(app, name="reviewer", role="reviewer"):
    """A test client of `app` logged in as `name` (created with `role` if missing): for
    module-scoped archives, which cannot use the function-scoped `users` fixture."""
    from archive.security import accounts
    from archive.store.db import write_transaction

    db = service.open_db(app.config["DATA_DIR"])
    try:
        with write_transaction(db):
            if accounts.get_user(db, name) is None:
                accounts.add_user(db, name, role, PASSWORD)
    finally:
        db.close()
    client = app.test_client()
    log_in(client, name)
    return client


def csrf_token(client, path):
    """The CSRF token the page at `path` gives this client's session."""
    import re

    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def anonymous(app):
    """A client that has not logged in."""
    return app.test_client()


@pytest.fixture
def client(app, login):
    """A client logged in as a reviewer: the role that may open every testimony, withdrawn ones too.
    Tests of what other roles may see log in themselves (fixture `login`)."""
    logged_in = app.test_client()
    login(logged_in, "reviewer")
    return logged_in


@pytest.fixture
def import_records(data_dir, tmp_path):
    """Import records through the real file path; returns the ImportReport."""
    counter = iter(range(1_000_000))

    def do(records, file_format="json", actor="tester"):
        path = factories.write(tmp_path / f"import-{next(counter)}.{file_format}", records, file_format)
        return service.import_file(data_dir, path, actor)

    return do


@pytest.fixture
def signed_in(app, login):
    """signed_in('coder') -> (a new test client logged in as that account, its CSRF token)."""
    def sign_in(name):
        client = app.test_client()
        return client, login(client, name)
    return sign_in
