"""`archive codebook`: the codebook's ids, to write in an import file or a --filter; `archive export-qdc` and
`archive import-qdc`: the codebook as REFI-QDA, and a foreign one mapped onto it (archive/exchange/qdc.py)."""
import os

import click

from archive.cli.base import actor, cli, pass_data, valid_text

LISTS = ("abuse-types", "perpetrators", "places", "legal")


@cli.command("codebook")
@click.argument("what", type=click.Choice(LISTS), default="abuse-types")
def codebook_command(what):
    """List the codebook's ids with their labels (abuse types, perpetrators, places, legal provisions)."""
    from archive import service

    book = service.load_codebook()
    if what == "abuse-types":
        for abuse in book.abuse_types.values():
            indent = "" if abuse["parent"] is None else "  "
            click.echo(f"{indent}{abuse['id']:<{32 - len(indent)}} {abuse['label']}")
    elif what == "perpetrators":
        for perpetrator in book.perpetrators.values():
            indent = "  " if perpetrator["kind"] == "unit" else ""
            click.echo(f"{indent}{perpetrator['id']:<{32 - len(indent)}} {perpetrator['label']}")
    elif what == "places":
        for place in book.places.values():
            variants = ", ".join(place["variants"][:4]) + (" …" if len(place["variants"]) > 4 else "")
            click.echo(f"{place['id']:<28} {place['name']} ({place['country']})" + (f": {variants}" if variants else ""))
    else:
        for provision in book.legal_provisions.values():
            click.echo(f"{provision['id']:<14} {provision['instrument']} {provision['article']}: {provision['title']}")
    click.echo(f"(codebook {book.version})")


@cli.command("export-qdc")
@click.argument("out", type=click.Path(dir_okay=False))
@pass_data
def export_qdc(data, out):
    """Write the codebook as a REFI-QDA codebook file (.qdc) to OUT, for QualCoder, ATLAS.ti, MAXQDA or NVivo."""
    from archive import service
    from archive.exchange import qdc

    if os.path.exists(out):
        raise click.BadParameter(f"{out} exists; the codebook is never written over a file", param_hint="OUT")
    db = service.open_db(data)
    try:
        written = qdc.export_codebook(db, service.load_codebook())
    finally:
        db.close()
    with open(out, "xb") as handle:
        handle.write(written)
    click.echo(f"Wrote the codebook to {out} (REFI-QDA .qdc, {len(written):,} bytes).")


@cli.command("import-qdc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "maps", multiple=True, metavar="CODE=KIND:ID",
              help="Map a foreign code (its name or GUID) onto ours: abuse_type:beating, perpetrator:pl_border_guard, "
                   "place:kuznica.")
@click.option("--refuse", multiple=True, metavar="CODE",
              help="Refuse a foreign code (its name or GUID): left out of imports.")
@click.option("--actor", default=actor, show_default="$ARCHIVE_USER or your login", callback=valid_text,
              help="Who decides, as recorded in the audit log.")
@pass_data
def import_qdc(data, file, maps, refuse, actor):
    """Map a REFI-QDA codebook (.qdc, or a project's .qdpx) onto ours: list what matches and what does not;
    --map and --refuse decide the rest. Our codebook itself never changes."""
    from archive import service
    from archive.exchange import ExchangeRefused, qdc, qdpx_read

    book = service.load_codebook()
    db = service.open_db(data)
    try:
        foreign = _foreign_codes(file, qdc, qdpx_read)
        decisions = {**{_guid_of(foreign, name): choice for name, choice in (_pair(m) for m in maps)},
                     **{_guid_of(foreign, name): "refuse" for name in refuse}}
        decided = qdc.save_decisions(db, book, foreign, decisions, actor)
        report = qdc.report_of(db, book, foreign, decided)
    except ExchangeRefused as err:
        raise click.ClickException(str(err)) from None
    finally:
        db.close()
    if decided:
        click.echo(f"Saved {decided} decision(s).")
    click.echo(f"{len(report.matched)} code(s) map onto the codebook:")
    for code, match in report.matched:
        click.echo(f"  {code.path} -> {match.target_kind.replace('_', ' ')} {match.target_id} "
                   f"({book.label(match.target_kind, match.target_id)}; by {match.how})")
    if report.refused:
        click.echo(f"{len(report.refused)} code(s) refused (left out of imports): "
                   + ", ".join(code.path for code, _ in report.refused))
    if report.unmapped:
        click.echo(f"{len(report.unmapped)} code(s) to map by hand (--map CODE=KIND:ID) or refuse (--refuse CODE):")
        for code, match in report.unmapped:
            click.echo(f"  {code.path} ({code.guid}{'; its name fits several' if match.how == 'ambiguous' else ''})")


def _foreign_codes(file, qdc, qdpx_read):
    if file.lower().endswith(".qdpx"):
        return [code for code in qdpx_read.read(file).codes if code.codable]
    with open(file, "rb") as handle:
        return [code for code in qdc.read_codebook(handle.read(50 * 1024 ** 2 + 1)) if code.codable]


def _pair(value):
    name, sep, choice = value.rpartition("=")
    if not sep or not name:
        raise click.BadParameter(f"{value!r}: write CODE=KIND:ID, e.g. 'Schläge=abuse_type:beating'",
                                 param_hint="--map")
    return name, choice


def _guid_of(foreign, name):
    """The GUID of the foreign code named `name` (or with that GUID)."""
    wanted = name.strip().strip("{}").lower()
    found = [code.guid for code in foreign if code.guid == wanted or code.name == name or code.path == name]
    if len(found) != 1:
        raise click.BadParameter(f"{name!r} names {'no' if not found else 'more than one'} code of the file: "
                                 "give its GUID", param_hint="--map/--refuse")
    return found[0]
