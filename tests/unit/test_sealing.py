"""Identifying fields sealed at rest: a copied database file alone reveals no names."""
import pytest

from archive import store
from archive.security import sealing
from tests.factories import record

NAME, CONTACT = "Fictional Sealed Name", "+48 111 222 333"


@pytest.fixture
def key(monkeypatch):
    value = sealing.generate_key()
    monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", value)
    return value


def database_bytes(data_dir):
    return b"".join(path.read_bytes() for path in data_dir.root.glob("archive.db*"))


def test_with_a_key_the_file_holds_no_name(key, data_dir, db, import_records):
    import_records([record(1, witness_name=NAME, witness_contact=CONTACT)])
    assert NAME.encode() not in database_bytes(data_dir) and CONTACT.encode() not in database_bytes(data_dir)
    witness_id = db.execute("SELECT witness_id FROM testimony").fetchone()[0]
    assert store.get_witness_identity(db, witness_id) == {"name": NAME, "contact": CONTACT}


def test_without_the_key_a_sealed_identity_is_refused_clearly(key, db, import_records, monkeypatch, client):
    import_records([record(1, witness_name=NAME, consent="legal")])
    monkeypatch.delenv("ARCHIVE_IDENTITY_KEY")
    witness_id = db.execute("SELECT witness_id FROM testimony").fetchone()[0]
    with pytest.raises(sealing.IdentityKeyError, match="not set"):
        store.get_witness_identity(db, witness_id)
    response = client.get("/testimonies/T-2021-0001/identity")
    assert response.status_code == 503 and "ARCHIVE_IDENTITY_KEY" in response.get_data(as_text=True)
    monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", sealing.generate_key())
    with pytest.raises(sealing.IdentityKeyError, match="another key"):
        store.get_witness_identity(db, witness_id)


def test_archive_seal_seals_older_plain_rows_and_rotates_keys(data_dir, db, import_records, run, monkeypatch):
    import_records([record(1, witness_name=NAME)])
    assert NAME.encode() in database_bytes(data_dir)  # no key when it was imported
    assert run("seal").exit_code == 1
    old = sealing.generate_key()
    monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", old)
    result = run("seal")
    assert result.exit_code == 0 and "Sealed 1 identity" in result.output
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    assert NAME.encode() not in database_bytes(data_dir)
    new = sealing.generate_key()
    monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", f"{new},{old}")
    assert run("seal").exit_code == 0
    monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", new)  # the old key is no longer needed
    witness_id = db.execute("SELECT witness_id FROM testimony").fetchone()[0]
    assert store.get_witness_identity(db, witness_id)["name"] == NAME


def test_a_malformed_key_is_named(monkeypatch):
    monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", "not-a-key")
    with pytest.raises(sealing.IdentityKeyError, match="not a Fernet key"):
        sealing.seal("x")
