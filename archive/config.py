"""Settings, as data with help text. Each can be set in the environment as ARCHIVE_<NAME>."""
import os
from dataclasses import dataclass
from pathlib import Path

SETTINGS = {
    "DATA": ("./archive-data", "Directory holding archive.db (SQLite) and index/ (Whoosh)."),
    "CODEBOOK": (None, "Path to a codebook YAML; default: the one shipped in archive/data/."),
    "MAX_UPLOAD_MB": (64, "Largest request body the web app accepts, in megabytes."),
    "SECRET_KEY": (None, "Flask secret key; default: a random key kept in DATA/secret_key (mode 600)."),
    "USER": (None, "Who the CLI records as the actor in history; default: your login."),
    "IDENTITY_KEY": (None, "Fernet key(s), comma-separated, to seal witnesses' names and contacts at rest; "
                           "the first seals, all open."),
    "PROXIES": ("0", "How many reverse proxies in front of `archive serve` set X-Forwarded-For: the client's "
                     "address, which login throttling counts failures by, is read from the last that many "
                     "entries. 0: the connection's own address."),
    "PUBLIC_VIEW": ("0", "1 turns on the public read-only view: anonymous visitors may search and read "
                         "`public` testimonies with consent to publication, pseudonymised."),
    "INSECURE_COOKIES": ("0", "1 drops the session cookie's Secure flag, so that it is sent over plain HTTP: for a "
                              "local experiment only, never on a network."),
}


def setting(name):
    default = SETTINGS[name][0]
    return os.environ.get(f"ARCHIVE_{name}", default)


@dataclass(frozen=True)
class DataDir:
    """Where one archive keeps its files."""
    root: Path

    @classmethod
    def at(cls, path=None):
        return cls(Path(path or setting("DATA")).resolve())

    @property
    def database(self):
        return self.root / "archive.db"

    @property
    def index(self):
        return self.root / "index"

    @property
    def secret_key_file(self):
        return self.root / "secret_key"

    def exists(self):
        return self.database.exists()
