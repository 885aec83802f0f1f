"""Fixtures on real parts: an initialised archive (SQLite file + Whoosh index) in a temp dir."""
import pytest
from click.testing import CliRunner

from archive import create_app, service
from archive.cli import cli
from archive.config import DataDir
from search_index.searcher import Searcher


@pytest.fixture
def data_dir(tmp_path):
    data = DataDir.at(tmp_path / "archive-data")
    service.init(data)
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


@pytest.fixture
def app(data_dir):
    return create_app({"TESTING": True, "DATA": str(data_dir.root)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def import_records(data_dir, tmp_path):
    """Import records through the real file path; returns the ImportReport."""
    from tests import factories

    counter = iter(range(1_000_000))

    def do(records, file_format="json", actor="tester"):
        path = factories.write(tmp_path / f"import-{next(counter)}.{file_format}", records, file_format)
        return service.import_file(data_dir, path, actor)

    return do
