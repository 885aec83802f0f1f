"""One family for what the archive refuses or cannot do, said for the person who asked.

Every such failure is an ArchiveError with a message written for people (never a witness's words
or identity) and the HTTP status the web answers with. The web handles them once
(archive/web.py: a page, or JSON under /api/ and for scripts that sent JSON), and the command line
once (archive/cli: "Error: …", exit status 1). Views and commands catch one only when they have
something better to show, such as the form again with each field's problem beside it.
"""


class ArchiveError(Exception):
    status = 400

    def __init__(self, message="", status=None):
        super().__init__(message)
        if status is not None:
            self.status = status


class NotFound(ArchiveError, LookupError):
    """No testimony (or other record) with that key; for a person, as if it did not exist."""
    status = 404


class Refused(ArchiveError, ValueError):
    """What the rules refuse (a double-coding step out of turn, a change of a settled code, …)."""
    status = 409


class Invalid(ArchiveError, ValueError):
    """Input that cannot be stored as it is: each problem named by its field or row."""
    status = 422


class Forbidden(ArchiveError, PermissionError):
    """The role (or the witness's consent) does not allow it."""
    status = 403


class Unavailable(ArchiveError, RuntimeError):
    """A part the archive needs is missing (no archive yet, no index, no identity key)."""
    status = 503
