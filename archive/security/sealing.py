"""Optional encryption at rest of witnesses' identifying fields, so that a copied database file
alone reveals no names.

With `ARCHIVE_IDENTITY_KEY` set (one Fernet key, or several separated by commas: the first seals,
all open, which is how a key is rotated), names and contacts are stored sealed: AES-128-CBC with
an HMAC-SHA256, through the `cryptography` package. Without a key they are stored as given.
"""
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from archive import errors
from archive.config import setting
from archive.i18n import say

PREFIX = "sealed:v1:"


class IdentityKeyError(errors.Unavailable):
    """A sealed value cannot be opened: no key, or not the key it was sealed with."""


def generate_key():
    return Fernet.generate_key().decode()


def _keys():
    raw = setting("IDENTITY_KEY")
    if not raw:
        return None
    try:
        return MultiFernet([Fernet(part.strip()) for part in raw.split(",") if part.strip()])
    except ValueError:
        raise IdentityKeyError(say("ARCHIVE_IDENTITY_KEY is not a Fernet key (32 url-safe base64 bytes); "
                                   "make one with `archive seal --generate-key`")) from None


def enabled():
    return _keys() is not None


def seal(value):
    """The value as stored: sealed when a key is set (and not already sealed)."""
    keys = _keys()
    if value is None or keys is None or is_sealed(value):
        return value
    return PREFIX + keys.encrypt(value.encode("utf-8")).decode("ascii")


def unseal(value):
    if not is_sealed(value):
        return value
    keys = _keys()
    if keys is None:
        raise IdentityKeyError(say("the witness's identity is sealed and ARCHIVE_IDENTITY_KEY is not set"))
    try:
        return keys.decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise IdentityKeyError(say("the witness's identity was sealed with another key than "
                                   "ARCHIVE_IDENTITY_KEY")) from None


def reseal(value):
    """Sealed with the current first key (plain values sealed, old keys rotated out)."""
    keys = _keys()
    if value is None or keys is None:
        return value
    if not is_sealed(value):
        return seal(value)
    try:
        return PREFIX + keys.rotate(value[len(PREFIX):].encode("ascii")).decode("ascii")
    except InvalidToken:
        raise IdentityKeyError(say("an identity was sealed with a key that ARCHIVE_IDENTITY_KEY does not "
                                   "hold")) from None


def is_sealed(value):
    return isinstance(value, str) and value.startswith(PREFIX)
