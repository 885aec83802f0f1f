"""Templates compiled once a process. Every Jinja environment the archive makes (each app's, and one
per PDF export, which runs in a job's thread) shares one in-memory bytecode cache, so a template is
parsed and compiled once, not again for each environment: a PDF's templates cost ~0.1 s to compile,
and a process holding many apps (the test suite, a server mounting two archives) compiled each
page once per app."""
from hashlib import sha1

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

# What changes the code a template compiles to (newstyle gettext is read by the i18n extension's parser).
COMPILE_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                    "newstyle_gettext", "is_async")


class CompiledOnce(BytecodeCache):
    """Code objects by template file and environment settings, checked against the source's checksum
    (an edited template compiles again)."""

    def __init__(self):
        self._code = {}

    def get_bucket(self, environment, name, filename, source):
        settings = [repr(getattr(environment, setting, None)) for setting in COMPILE_SETTINGS]
        settings += sorted(environment.extensions)
        key = sha1("|".join([self.get_cache_key(name, filename), *settings]).encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket):
        checksum, code = self._code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self):
        self._code.clear()


COMPILED = CompiledOnce()
