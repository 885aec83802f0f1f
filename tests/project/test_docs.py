"""The README is the manual: every command, setting and facet must be in it."""
from pathlib import Path

import pytest

from archive.cli import cli
from archive.config import SETTINGS
from search_index.schema import FACETS

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"`archive {command}" in README


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_documented(name):
    assert f"`ARCHIVE_{name}`" in README


@pytest.mark.parametrize("facet", FACETS)
def test_every_facet_is_documented(facet):
    assert f"`{facet}`" in README


def test_every_import_field_is_documented():
    from schemas.import_row import FIELDS
    missing = [f for f in FIELDS if f"`{f}`" not in README]
    assert missing == []
