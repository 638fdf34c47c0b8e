"""`flask registry ...`: the registry's commands, thin like routes (a service under an explicit
everything-reach, one commit). The scheduled jobs call the same services."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from compliance.clock import utcnow
from compliance.extensions import db
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import ServiceError

registry_cli = AppGroup("registry", help="The ULD registry of candidates and referrals.")


@registry_cli.command("sync-external")
def sync_external() -> None:
    """Pull candidates (with their consent) from REGISTRY_EXTERNAL_URL, idempotently."""
    from compliance.services.registry.external import sync_external_registry

    with reach_scope(db.session(), Reach.for_everything()):
        try:
            report = sync_external_registry(db.session())
        except ServiceError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
    click.echo(
        f"registry: {report.created} created, {report.updated} updated, "
        f"{report.withdrawn} withdrawn, {report.unchanged} unchanged, {report.skipped} skipped"
    )


@registry_cli.command("purge-withdrawn")
def purge_withdrawn() -> None:
    """Delete candidates whose consent was withdrawn and whose deletion date has come."""
    from compliance.services.registry.consent import purge_withdrawn_candidates

    with reach_scope(db.session(), Reach.for_everything()):
        count = purge_withdrawn_candidates(db.session(), utcnow())
        db.session.commit()
    click.echo(f"registry: {count} candidates deleted")


@registry_cli.command("flag-unanswered")
def flag_unanswered() -> None:
    """Flag referral requests without a shortlist after REGISTRY_UNANSWERED_DAYS."""
    from compliance.services.registry.requests import flag_unanswered_requests

    with reach_scope(db.session(), Reach.for_everything()):
        count = flag_unanswered_requests(db.session(), utcnow())
        db.session.commit()
    click.echo(f"registry: {count} requests flagged")


@registry_cli.command("recount")
def recount() -> None:
    """Recount the candidates and employees by category from the encrypted rows."""
    from compliance.services.registry.counts import rebuild_counts

    with reach_scope(db.session(), Reach.for_everything()):
        changed = rebuild_counts(db.session())
        db.session.commit()
    click.echo(f"registry: counts by category corrected in {changed} regencies")
