"""The `archive` group, its --data option, and what every command shares: who the actor is, checked
option text, a progress bar. An ArchiveError raised by any command is said once, here, as
"Error: …" with exit status 1 (archive/errors.py); a usage error exits 2 (click).

Commands import the heavier parts of the archive (Flask, Whoosh, WeasyPrint) inside their bodies,
so that `archive --help` answers at once."""
import getpass
import sys

import click

from archive import errors
from archive.config import SETTINGS, DataDir, setting


def actor():
    """Who the command line records as acting: $ARCHIVE_USER, else the login."""
    return setting("USER") or getpass.getuser()


def valid_text(ctx, param, value):
    """An option's text as the archive stores it: bytes that are not UTF-8 arrive as lone surrogates."""
    from marshmallow import ValidationError

    from schemas.validators import no_lone_surrogates

    try:
        no_lone_surrogates(value or "")
    except ValidationError as err:
        raise click.BadParameter(" ".join(err.messages)) from None
    return value


def fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


class ArchiveGroup(click.Group):
    """Turns the archive's expected failures into a message and exit code 1, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except errors.ArchiveError as err:
            message = str(err)
            fail(message if message.endswith(".") else message + ".")


@click.group(cls=ArchiveGroup)
@click.option("--data", "data", envvar="ARCHIVE_DATA", default=SETTINGS["DATA"][0], show_default=True,
              type=click.Path(file_okay=False), help="Data directory (or $ARCHIVE_DATA).")
@click.version_option(package_name="testimony-archive")
@click.pass_context
def cli(ctx, data):
    """A witness-testimony archive with human-rights coding."""
    ctx.obj = DataDir.at(data)


pass_data = click.make_pass_decorator(DataDir)


class progress:
    """A progress bar on stderr when it is a terminal (silent otherwise), from `start(total)` on."""

    def __init__(self, label):
        self.label, self.bar = label, None

    def __enter__(self):
        return self

    def start(self, total):
        if sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr).__enter__()

    def advance(self):
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
