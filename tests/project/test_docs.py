"""The documentation (README.md and docs/*.md) is the manual: every command, setting, facet and import
field is named in it, every link and path it names exists, and the README stays a page a newcomer reads."""
import re
from pathlib import Path

import pytest

from archive.cli import cli
from archive.config import SETTINGS
from search_index.schema import FACETS

ROOT = Path(__file__).parents[2]
PAGES = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
         for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]}
README = PAGES["README.md"]
DOCS = "\n".join(PAGES.values())  # the whole documentation, for what must be named somewhere in it

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# Code paths the docs name (`tests/web/test_x.py`, archive/export/pdf.py), each a word of its own.
CODE_PATH = re.compile(r"(?<![\w/.-])((?:tests|archive)/[\w/.-]*\.py)\b")


def relative_links(text):
    """The links in a page that point into the repository (not the web, not a mail address)."""
    for target in LINK.findall(text):
        if not re.match(r"[a-z][a-z0-9+.-]*:", target):
            yield target


def anchors(text):
    """The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces to hyphens."""
    found, inside_code = set(), False
    for line in text.splitlines():
        if line.startswith("```"):
            inside_code = not inside_code
        elif not inside_code and (heading := re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)):
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).lower()).replace(" ", "-")
            found.add(slug)
    return found


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"`archive {command}" in DOCS


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_documented(name):
    assert f"`ARCHIVE_{name}`" in DOCS


@pytest.mark.parametrize("facet", FACETS)
def test_every_facet_is_documented(facet):
    assert f"`{facet}`" in DOCS


def test_every_import_field_is_documented():
    from schemas.import_row import FIELDS
    missing = [f for f in FIELDS if f"`{f}`" not in DOCS]
    assert missing == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_relative_link_resolves(page):
    """A link to a file names one in the repository; a link to #a-heading names a heading of that page."""
    here = (ROOT / page).parent
    broken = []
    for target in relative_links(PAGES[page]):
        path, _, anchor = target.partition("#")
        file = (here / path).resolve() if path else ROOT / page
        if not file.is_relative_to(ROOT) or not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in anchors(file.read_text(encoding="utf-8")):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_code_path_named_exists(page):
    missing = sorted({path for path in CODE_PATH.findall(PAGES[page]) if not (ROOT / path).is_file()})
    assert missing == []


def test_the_readme_stays_short():
    assert len(README.splitlines()) < 200


def test_the_checks_catch_what_they_look_for():
    """The link, anchor and path checks find a broken one (so a green run means something)."""
    assert list(relative_links("[a](docs/x.md) [b](https://example.org) [c](#top)")) == ["docs/x.md", "#top"]
    assert anchors("# The `archive` command\n```\n# not a heading\n```\n## Consent, withdrawal and purge") == {
        "the-archive-command", "consent-withdrawal-and-purge"}
    assert CODE_PATH.findall("see `tests/web/test_permissions.py` and archive/export/pdf.py.") == [
        "tests/web/test_permissions.py", "archive/export/pdf.py"]
