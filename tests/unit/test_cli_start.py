"""`archive --help` answers at once: the command modules import the archive's heavy parts inside the
commands, so that reading the help never loads the index, the database layer or the PDF writer."""
import subprocess
import sys

from archive.cli import search as search_commands
from archive.export import FORMATS as EXPORT_FORMATS
from schemas import export as export_schema
from search_index.searcher import SORTS

HEAVY = ("whoosh", "sqlite_utils", "numpy", "Stemmer", "segno", "marshmallow", "weasyprint", "waitress", "pyotp")


def test_the_commands_load_nothing_heavy_until_one_runs():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, archive.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert [name for name in HEAVY if name in loaded] == []


def test_the_help_lists_every_command_group():
    shown = subprocess.run([sys.executable, "-m", "archive.cli", "--help"], capture_output=True, text=True,
                           check=True).stdout
    for command in ("init", "import", "reindex", "check", "demo", "serve", "search", "export", "verify", "audit",
                    "backup", "restore", "seal", "user", "consent", "withdrawals", "purge", "codebook"):
        assert f"  {command} " in shown, command


def test_the_choices_written_out_for_the_help_are_those_the_archive_takes():
    assert search_commands.SORTS == SORTS
    assert search_commands.FORMATS == export_schema.FORMATS == EXPORT_FORMATS
    assert search_commands.PER == export_schema.PER
