"""The index's files, memory-mapped without copying them.

Whoosh 2.7.4 maps each compound segment file, then wraps every part of it in a `BytesIO`, which
copies it (`whoosh.filedb.structfile.BufferFile`). So opening a reader copies the whole index into
memory: at 100,000 testimonies (a 730 MB index) 0.6 s and 1.6 GB for each process that searches,
and as much again for every write, since replacing a document opens a reader to find the old one.
Opening the files without mmap avoids the copy but made narrow searches up to 40% slower (a seek
and a read for every lookup). Here each part is a read-only view of one map: nothing is copied,
and lookups read memory as before.
"""
import mmap

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile


class MappedStorage(FileStorage):
    """A FileStorage whose compound segment files hand out views of one map of the file."""

    def __init__(self, path, readonly=False):
        # Whoosh's own mapping is off, so a compound file asks the file for its parts (`subset`).
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name, **kwargs):
        return MappedFile(open(self._fpath(name), "rb"), name=name, **kwargs)


class MappedFile(StructFile):
    """A file read as usual, whose parts are views of a map of it made on first use."""

    _map = None

    def subset(self, position, length, name=None):
        if self._map is None:
            self._map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        return ViewFile(memoryview(self._map)[position:position + length], name=name or self._name)

    def close(self):
        if self._map is not None:
            try:
                self._map.close()
            except BufferError:  # a view is still held somewhere: the map goes when it does
                pass
        super().close()


class ViewFile(BufferFile):
    """BufferFile over a memoryview, without BufferFile's copy into a BytesIO."""

    def __init__(self, view, name=None, onclose=None):  # not BufferFile.__init__: that is the copy
        self._buf = view
        self._name = name
        self.file = ViewReader(view)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position, length, name=None):
        return ViewFile(self._buf[position:position + length], name=name or self._name)


class ViewReader:
    """The read-only file interface StructFile and pickle use, over a memoryview."""

    def __init__(self, view):
        self._view = view
        self._position = 0

    def read(self, size=-1):
        start = self._position
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._position = max(start, end)
        return bytes(self._view[start:end])

    def readline(self, size=-1):
        view, start = self._view, self._position
        end = len(view) if size is None or size < 0 else min(start + size, len(view))
        line_end = start
        while line_end < end:  # look in small steps: a line is short, the view may not be
            step = min(line_end + 256, end)
            newline = bytes(view[line_end:step]).find(b"\n")
            if newline >= 0:
                line_end += newline + 1
                break
            line_end = step
        return self.read(line_end - start)

    def peek(self, size=1):
        """What follows, without moving: pickle reads ahead with this instead of a read per opcode."""
        return self._view[self._position:self._position + max(size, 1)]

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def seek(self, offset, whence=0):
        base = {0: 0, 1: self._position, 2: len(self._view)}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self):
        return self._position

    def close(self):
        pass
