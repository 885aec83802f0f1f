"""`archive codebook`: the codebook's ids, to write in an import file or a --filter."""
import click

from archive.cli.base import cli

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
