"""The README and docs/*.md are the manual: everything they name must exist, and the reference parts must
be complete. Links and anchors resolve, file paths exist in the repository, `archive …` commands and
their options exist, `make` targets and `python -m` modules exist, and every ARCHIVE_* variable is a
setting; every command and setting is in the admin guide, every facet and import field in the user guide."""
import importlib.util
import re
from pathlib import Path

import click
import pytest

from archive.cli import cli
from archive.config import SETTINGS
from search_index.schema import FACETS

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = {page: page.read_text(encoding="utf-8") for page in PAGES}
ADMIN_GUIDE = TEXT[ROOT / "docs" / "admin-guide.md"]
USER_GUIDE = TEXT[ROOT / "docs" / "user-guide.md"]
TEST_ONLY_VARIABLES = {"SCREENSHOTS", "JOURNEY_LOG"}  # read by tests/browser, documented in docs/testing.md
TOP_DIRS = ("archive", "schemas", "search_index", "templates", "tests", "bench", "tools", "examples", "docs")
IGNORED = ("bench/.data/",)  # made by the benchmarks, never committed (.gitignore)
FILE_SUFFIXES = (".md", ".py", ".yaml", ".js", ".html")  # the project's own kinds of file; .csv, .pdf, … name outputs


def page_id(page):
    return str(page.relative_to(ROOT))


def fenced_and_prose(text):
    """(lines inside ``` blocks, the text outside them)."""
    code, prose, inside = [], [], False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside:
            code.append(line)
        else:
            prose.append(line)
    return code, "\n".join(prose)


def spans(text):
    """Inline `code` spans of the prose, and the lines of fenced blocks."""
    code, prose = fenced_and_prose(text)
    return re.findall(r"`([^`\n]+)`", prose) + code


def slug(heading):
    """GitHub's anchor for a heading."""
    heading = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


def anchors(path):
    _, prose = fenced_and_prose(path.read_text(encoding="utf-8"))
    return {slug(m) for m in re.findall(r"^#+ (.+)$", prose, re.M)}


pages = pytest.mark.parametrize("page", PAGES, ids=page_id)


@pages
def test_every_link_resolves(page):
    _, prose = fenced_and_prose(TEXT[page])
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", prose):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(target)
    assert broken == []


@pages
def test_every_file_named_exists(page):
    """Paths in the repository (archive/…, tests/…) and file names (PITFALLS.md) must be there."""
    names = {p.name for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts}
    missing = []
    for span in spans(TEXT[page]):
        for token in re.findall(r"[\w./-]+", span):
            token = token.rstrip(".")
            in_repository = token.startswith(tuple(f"{d}/" for d in TOP_DIRS))
            if (in_repository or "/" in token and token.endswith(FILE_SUFFIXES)) and not token.startswith(IGNORED):
                if not (ROOT / token).exists():
                    missing.append(token)
            elif "/" not in token and re.fullmatch(r"\w[\w.-]*", token) and token.endswith(FILE_SUFFIXES) \
                    and token not in names:
                missing.append(token)
    assert missing == []


def _options(command):
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


@pages
def test_every_archive_command_named_exists(page):
    wrong = []
    for span in spans(TEXT[page]):
        for named in re.findall(r"(?:^|\s|\.venv/bin/)archive((?: [^\s`|]+)*)", span):
            words = [w.strip("[]") for w in named.split()]
            command, options = cli, set(_options(cli)) | {"--help"}
            rest = iter(words)
            for word in rest:
                if word == "--data":
                    next(rest, None)
                    continue
                if re.fullmatch(r"[a-z][a-z-]*", word) and isinstance(command, click.Group):
                    if word not in command.commands:
                        wrong.append(f"archive {named.strip()}: no command {word!r}")
                        break
                    command = command.commands[word]
                    options |= _options(command)
                elif word.startswith("--"):
                    for option in word.split("=")[0].split("/"):
                        if option not in options:
                            wrong.append(f"archive {named.strip()}: no option {option}")
                elif not isinstance(command, click.Group) or word.isupper():
                    continue
                else:
                    break
    assert wrong == []


def _make_targets():
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))


@pages
def test_every_make_target_named_exists(page):
    named = {m for span in spans(TEXT[page]) for m in re.findall(r"(?:^|\s)make ([a-z][\w-]*)", span)}
    assert named - _make_targets() == set()


@pages
def test_every_python_module_named_exists(page):
    named = {m for span in spans(TEXT[page]) for m in re.findall(r"python -m ([\w.]+)", span)}
    assert [m for m in sorted(named) if importlib.util.find_spec(m) is None] == []


@pages
def test_every_variable_named_is_a_setting(page):
    named = set(re.findall(r"\bARCHIVE_([A-Z][A-Z_]*[A-Z])\b", TEXT[page]))
    assert named - set(SETTINGS) - TEST_ONLY_VARIABLES == set()


def test_the_package_reads_no_variable_that_is_not_a_setting():
    """Every ARCHIVE_* variable the archive reads goes through archive/config.py SETTINGS, so that the
    settings table (checked below) is the whole list."""
    read = set()
    for source in (ROOT / "archive").rglob("*.py"):
        read |= set(re.findall(r"environ(?:\.get)?[\[(]\s*[\"']ARCHIVE_(\w+)", source.read_text(encoding="utf-8")))
    assert read - set(SETTINGS) == set()


def _all_commands():
    for name, command in sorted(cli.commands.items()):
        if isinstance(command, click.Group):
            yield from (f"{name} {sub}" for sub in sorted(command.commands))
        else:
            yield name


@pytest.mark.parametrize("command", list(_all_commands()))
def test_every_command_is_in_the_admin_guide(command):
    assert f"`archive {command}" in ADMIN_GUIDE


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_in_the_admin_guide(name):
    assert f"| `ARCHIVE_{name}` |" in ADMIN_GUIDE


@pytest.mark.parametrize("facet", FACETS)
def test_every_facet_is_in_the_user_guide(facet):
    assert f"`{facet}`" in USER_GUIDE


def test_every_import_field_is_in_the_user_guide():
    from schemas.import_row import FIELDS
    assert [f for f in FIELDS if f"`{f}`" not in USER_GUIDE] == []


def test_the_readme_starts_a_newcomer():
    """Short, with the commands to start and the quick loop, and every docs page linked."""
    readme = TEXT[ROOT / "README.md"]
    assert len(readme.splitlines()) <= 200
    for command in ("make run", "make test", "make quick"):
        assert command in readme
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)", readme))
    assert {page.name for page in PAGES[1:]} <= linked
