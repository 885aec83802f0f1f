"""A .qdpx file is a zip: `project.qde` (the XML) and the sources, under `Sources/` (or `sources/`, as
some programs write it). Read in memory, never extracted; refused whole when it is hostile: a name
that climbs out of the package (`../`, an absolute path, a drive), too many members, a member or
the whole larger than the limits, or compressed more than a zip bomb would be (its declared sizes
are not trusted: every read stops at the limit)."""
import posixpath
import zipfile
import zlib

from archive.exchange import ExchangeRefused
from archive.i18n import say

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 64 * 1024 ** 2
MAX_TOTAL_BYTES = 512 * 1024 ** 2
MAX_RATIO = 200  # text compresses 3-10 times; a bomb thousands of times


class Package:
    """The members of one .qdpx, by their name folded to lower case."""

    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            raise ExchangeRefused(say("the file is not a REFI-QDA project (.qdpx is a zip file): %(error)s",
                                      error=err)) from None
        self.members = self._checked(self.zip.infolist())
        self.read_bytes = 0

    def _checked(self, infos):
        if len(infos) > MAX_MEMBERS:
            raise ExchangeRefused(say("the project holds %(count)s files; the limit is %(limit)s",
                                      count=format(len(infos), ","), limit=format(MAX_MEMBERS, ",")))
        members, total = {}, 0
        for info in infos:
            name = info.filename
            _check_name(name)
            if info.file_size > MAX_MEMBER_BYTES:
                raise ExchangeRefused(say("%(name)s is %(size)s bytes unpacked; the limit is %(limit)s", name=name,
                                          size=format(info.file_size, ","), limit=format(MAX_MEMBER_BYTES, ",")))
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
                raise ExchangeRefused(say("%(name)s unpacks %(ratio)s times its size: refused as a zip bomb",
                                          name=name, ratio=format(info.file_size // info.compress_size, ",")))
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise ExchangeRefused(say("the project unpacks to more than %(limit)s bytes: refused",
                                          limit=format(MAX_TOTAL_BYTES, ",")))
            if not name.endswith("/"):
                members[name.lower()] = info
        return members

    def project_xml(self):
        found = [info for key, info in self.members.items() if key.endswith(".qde") and "/" not in key]
        if len(found) != 1:
            raise ExchangeRefused(say("a .qdpx holds one project file (project.qde) at its top; this one holds "
                                      "%(count)s", count=len(found)))
        return found[0].filename, self.read(found[0])

    def source(self, path):
        """The bytes of a source named by a plainTextPath: `internal://x.txt` (under Sources/) or
        `relative://Sources/x.txt`; None when the package does not hold it."""
        if path.startswith("internal://"):
            names = ["sources/" + path[len("internal://"):]]
        elif path.startswith("relative://"):
            rest = path[len("relative://"):].lstrip("/")
            names = [rest, "sources/" + rest]
        else:
            raise ExchangeRefused(say("source path %(path)s: only internal:// and relative:// paths are read "
                                      "(a path outside the project is never opened)", path=repr(path[:200])))
        for name in names:
            _check_name(name)
            info = self.members.get(posixpath.normpath(name).lower())
            if info is not None:
                return self.read(info)
        return None

    def read(self, info):
        """The member's bytes, reading no more than the limits allow whatever its header says."""
        try:
            with self.zip.open(info) as handle:
                data = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError) as err:
            # a damaged member, a wrong CRC, an encrypted one, a compression zipfile does not know
            raise ExchangeRefused(say("%(name)s cannot be read from the zip: %(error)s", name=info.filename,
                                      error=str(err)[:200])) from None
        self.read_bytes += len(data)
        if len(data) > MAX_MEMBER_BYTES or self.read_bytes > MAX_TOTAL_BYTES:
            raise ExchangeRefused(say("%(name)s unpacks to more than its limit: refused as a zip bomb",
                                      name=info.filename))
        return data

    def close(self):
        self.zip.close()


def _check_name(name):
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":") or "\x00" in name:
        raise ExchangeRefused(say("the project names a file outside itself (%(name)s): refused",
                                  name=repr(name[:200])))
