"""`archive incidents refit`: the weights candidate links are scored with, estimated again on this archive
(archive/incidents/fitting.py), with the reviewers' decisions as labels where there are enough."""
import click

from archive.cli.base import actor, cli, pass_data, progress, valid_text


@cli.group("incidents")
def incidents_group():
    """Incidents and the candidate links between testimonies that may tell one event."""


@incidents_group.command("refit")
@click.option("--actor", default=actor, show_default="$ARCHIVE_USER or your login", callback=valid_text,
              help="Who refits, as recorded in the audit log.")
@click.option("--anyway", is_flag=True,
              help="Fit on an archive whose testimonies meet in fewer pairs than the fit needs (2,000).")
@pass_data
def refit(data, actor, anyway):
    """Estimate the weights of candidate links on this archive by EM (every pair of testimonies that blocking
    lets meet, the reviewers' confirmed and rejected pairs as labels where there are at least 20 of each),
    keep them where the linker reads them, record it in the audit log, and say what changed."""
    from archive import service
    from archive.incidents import fitting

    db = service.open_db(data)
    try:
        with progress("Comparing the testimonies that may meet") as comparing:   # minutes at 10,000
            done = fitting.refit(db, service.load_codebook(), actor, anyway=anyway, comparing=comparing)
    finally:
        db.close()
    fit = done.fit
    click.echo(f"Fitted on {fit.pairs:,} pairs of testimonies that may meet, of {done.testimonies:,} testimonies "
               f"({done.seconds:.1f} s CPU); EM puts {fit.share:.2%} of them as telling one event.")
    if fit.labelled:
        click.echo(f"The reviewers' decisions were labels: {fit.labelled:,} pairs held at what they said.")
    elif done.labels_offered:
        click.echo(f"The reviewers' decisions label {done.labels_offered:,} pairs: too few to use (at least "
                   f"{fitting.MIN_LABELS} confirmed and {fitting.MIN_LABELS} rejected); fitted without them.")
    else:
        click.echo("No reviewer has decided a candidate link yet: fitted without labels.")
    changed = [(part, level, done.before[part][level], done.after[part][level])
               for part in done.after for level in done.after[part]
               if round(done.before[part][level], 2) != round(done.after[part][level], 2)]
    kept = sorted(f"{part} {level}" for part, level in fit.unseen)
    if changed:
        click.echo("Weights changed (log2 m/u):")
        for part, level, before, after in changed:
            click.echo(f"  {part} {level}: {before:+.2f} -> {after:+.2f}")
    else:
        click.echo("No weight changed.")
    if kept:
        click.echo("Too rare here to estimate, kept as they were: " + ", ".join(kept) + ".")
    click.echo(f"Accounts of its event a testimony meets (the prior): {done.partners_before:.2f} -> "
               f"{done.partners_after:.2f}.")
    click.echo("Candidate links are scored with these weights from now on.")
