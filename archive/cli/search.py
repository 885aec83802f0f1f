"""Finding testimonies and taking them out: search, export."""
import json
import os

import click

from archive.cli.base import cli, pass_data
from archive.config import setting
from archive.security import access

# The choices of search_index.searcher.SORTS and schemas/export.py, written out so that `archive --help`
# imports neither Whoosh nor marshmallow (tests/unit/test_cli_start.py checks that they agree).
SORTS = ("relevance", "newest", "oldest", "reference")
FORMATS = ("csv", "json", "pdf", "qdpx")
PER = ("testimony", "code")


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="Keep results with this facet value; repeat it (same field: either value; fields: all).")
@click.option("--from", "date_from", metavar="DATE", help="Incidents on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Incidents on or before DATE.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--all-words", "all_words", is_flag=True,
              help="A natural search of several words: only the testimonies with all of them.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (the API's shape).")
@pass_data
def search(data, query, filters, date_from, date_to, sort, all_words, limit, as_json):
    """Search testimonies (no QUERY: all of them)."""
    from archive import service
    from archive.search import results
    from schemas.search import SearchResultsSchema, search_kwargs
    from search_index.searcher import Searcher, UnknownFacet

    selected = _filters(filters)
    args = _search_args(query, sort, date_from, date_to, all_words, per_page=max(limit, 1))
    db = service.open_db(data)
    searcher = Searcher(data.index, service.load_codebook())
    try:
        found = searcher.search(**{**search_kwargs(args), "filters": selected, "limit": limit})
        found = results.describe(db, service.load_codebook(), found)
    except UnknownFacet as err:
        raise click.BadParameter(str(err), param_hint="--filter") from None
    finally:
        searcher.close()
        db.close()
    if as_json:
        click.echo(json.dumps(SearchResultsSchema().dump(found), ensure_ascii=False, indent=2))
        return
    if found["reinterpreted"]:
        click.echo("(The query could not be read as query language; searched for its words instead.)")
    for notice in found["notices"]:
        click.echo(f"({notice})")
    for item in found["understood"]:
        click.echo(f"(\"{item['text']}\" also searched as the {item['kind'].replace('_', ' ')} {item['label']}.)")
    click.echo(f"{found['total']} testimon{'y' if found['total'] == 1 else 'ies'}")
    if found["suggestion"]:
        click.echo(f"Did you mean: {found['suggestion']}")
    for hit in found["results"]:
        date = hit["incident_date"]["label"] if hit["incident_date"] else ""
        click.echo(f"  {hit['reference']:<14} {date:<18}  {hit['title']}")


def _filters(filters):
    """--filter FIELD=VALUE options -> {field: [values]}."""
    selected = {}
    for item in filters:
        field, sep, value = item.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--filter")
        selected.setdefault(field.strip(), []).append(value.strip())
    return selected


def _search_args(query, sort, date_from, date_to, all_words, **more):
    from marshmallow import ValidationError

    from schemas import validators
    from schemas.search import SearchArgsSchema

    period = {key: value for key, value in (("from", date_from), ("to", date_to)) if value}
    try:
        return SearchArgsSchema().load({"q": query, "sort": sort, "words": "all" if all_words else "some",
                                        **period, **more})
    except ValidationError as err:
        raise click.BadParameter(validators.in_words(err)) from None


@cli.command("export")
@click.argument("query", required=False, default="")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE", help="As for `archive search`.")
@click.option("--from", "date_from", metavar="DATE", help="Incidents on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Incidents on or before DATE.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--all-words", "all_words", is_flag=True, help="As for `archive search`.")
@click.option("--case-file", "case_file", metavar="NAME", help="Export this case file instead of a search.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), required=True)
@click.option("--per", type=click.Choice(PER), default="testimony", show_default=True,
              help="CSV: one row per testimony or per code.")
@click.option("--bom", is_flag=True, help="CSV: UTF-8 with a byte-order mark, for Excel.")
@click.option("--identify", is_flag=True,
              help="Include witnesses' name and contact where your role and their consent allow.")
@click.option("--statements", is_flag=True, help="PDF: add each full statement after its codes.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The file to write (a new one).")
@click.option("--as", "account", default=lambda: setting("USER"), show_default="$ARCHIVE_USER",
              help="The account you export as: its role and the witnesses' consent decide what is exported.")
@pass_data
def export_(data, query, filters, date_from, date_to, sort, all_words, case_file, file_format, per, bom, identify,
            statements, out, account):
    """Export a search (QUERY and filters, as `archive search`) or a case file as CSV, JSON or PDF."""
    from archive import export, service
    from archive.export import selection as chosen
    from search_index.searcher import Searcher, UnknownFacet

    if os.path.exists(out):
        raise click.BadParameter(f"{out} exists; exports never overwrite a file", param_hint="--out")
    if case_file and (query or filters or date_from or date_to or all_words):
        raise click.UsageError("give either a search or --case-file, not both")
    args = _search_args(query, sort, date_from, date_to, all_words, **_filters(filters))
    book = service.load_codebook()
    db = service.open_db(data)
    try:
        user = _account(db, account)
        if case_file:
            picked = chosen.from_case_file(db, user, _case_file(db, user, case_file))
        else:
            searcher = Searcher(data.index, book)
            try:
                picked = chosen.from_search(db, searcher, user, args)
            except UnknownFacet as err:
                raise click.BadParameter(str(err), param_hint="--filter") from None
            finally:
                searcher.close()
        done = export.write(db, book, user, picked, options=export.Options(file_format, per, bom, identify, statements),
                            path=out)
    finally:
        db.close()
    click.echo(f"Exported {done.count} testimon{'y' if done.count == 1 else 'ies'} to {out} "
               f"({file_format}; export {done.export_id} recorded, SHA-256 {done.sha256}).")
    if identify:
        click.echo(f"Witness identity shown for {done.identified} of them.")
    for warning in done.warnings:
        click.echo(f"Note: {warning}.")


def _case_file(db, user, name):
    """The case file of that name that the account may open: its own first, else the one shared with it."""
    from archive import store

    openable = [found for found in store.case_files_named(db, name)
                if access.may_open_case_file(user, found, store.case_file_shares(db, found["id"]))]
    own = [found for found in openable if access.owns_case_file(user, found)]
    if own or len(openable) == 1:
        return (own or openable)[0]
    if not openable:
        raise click.BadParameter(f"{user['name']} has no case file named {name!r}, and none is shared with them",
                                 param_hint="--case-file")
    owners = ", ".join(found["created_by"] for found in openable)
    raise click.BadParameter(f"several case files named {name!r} are shared with {user['name']} (by {owners}): "
                             "ask one of their owners to rename theirs", param_hint="--case-file")


def _account(db, name):
    """The account the CLI acts as (its role decides what it may export)."""
    from archive.security import accounts

    if not name:
        raise click.UsageError("say which account you export as: --as NAME (or set $ARCHIVE_USER)")
    user = accounts.get_user(db, name)
    if user is None or not user["active"]:
        raise click.BadParameter(f"no active account named {name!r}", param_hint="--as")
    return {"id": user["id"], "name": user["name"], "role": user["role"]}
