"""Command-line entry points (`flask regions load`, `flask demo-data`, `flask audit verify`,
`flask audit checkpoint`, `flask keys rotate`, `flask roster purge-withdrawn`, `flask worker`).

Commands are thin like routes: they run a service under an explicit everything-reach
(there is no user to scope by) and commit once.
"""

from __future__ import annotations

import click
from flask import Flask

from compliance.extensions import db
from compliance.models.tenancy import Reach, reach_scope


def init_cli(app: Flask) -> None:
    from compliance.blueprints.inspections.cli import init_inspection_cli
    from compliance.jobs.cli import jobs_cli, worker

    app.cli.add_command(jobs_cli)
    app.cli.add_command(worker)
    init_inspection_cli(app)
    from compliance.blueprints.registry.cli import registry_cli

    app.cli.add_command(registry_cli)

    @app.cli.group()
    def regions() -> None:
        """Reference data: provinces and regencies/cities."""

    @regions.command("load")
    def regions_load() -> None:
        """Load or update the 38 provinces and 514 regencies/cities (idempotent)."""
        from compliance.services.regions import load_regions

        report = load_regions(db.session())
        db.session.commit()
        click.echo(
            f"regions: {report.provinces_added} provinces and {report.regencies_added} "
            f"regencies/cities added, {report.names_updated} names updated"
        )

    @app.cli.command("demo-data")
    def demo_data() -> None:
        """Create demo organisations and one account per role, and print the logins."""
        from compliance.services.demo import DEMO_PASSWORD, load_demo_data

        with reach_scope(db.session(), Reach.for_everything()):
            logins = load_demo_data(db.session())
            db.session.commit()
        click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            click.echo(f"  {login.role.value:<17} {login.email:<32} {login.detail}")

    @app.cli.group()
    def audit() -> None:
        """The keyed, hash-chained audit trail and its signed checkpoints."""

    @audit.command("verify")
    def audit_verify() -> None:
        """Check every link of the chain and every checkpoint; exit 1 if any check fails."""
        from compliance.services.audit import verify_chain
        from compliance.services.audit_checkpoints import verify_checkpoints

        chain = verify_chain(db.session())
        checkpoints = verify_checkpoints(db.session())
        if chain.is_intact:
            click.echo(
                f"audit trail intact: {chain.checked} events checked "
                f"({chain.legacy} from before the chain was keyed)"
            )
        else:
            click.echo(
                f"audit trail BROKEN at event {chain.first_broken_id}: {chain.reason} "
                f"({chain.checked} events read)",
                err=True,
            )
        if checkpoints.is_intact:
            click.echo(
                f"checkpoints intact: {checkpoints.checked} checked; "
                f"{checkpoints.unanchored} events since the newest one"
            )
        else:
            click.echo(
                f"checkpoint {checkpoints.first_broken_id} BROKEN: {checkpoints.reason} "
                f"({checkpoints.failed} of {checkpoints.checked} checkpoints fail)",
                err=True,
            )
        if not (chain.is_intact and checkpoints.is_intact):
            raise SystemExit(1)

    @audit.command("checkpoint")
    def audit_checkpoint() -> None:
        """Sign a checkpoint of the chain's head now (the scheduled job does it every hour)."""
        from compliance.clock import utcnow
        from compliance.services.audit_checkpoints import write_checkpoint

        checkpoint = write_checkpoint(db.session(), utcnow())
        db.session.commit()
        if checkpoint is None:
            click.echo("audit checkpoint: no new events since the last checkpoint")
            return
        click.echo(
            f"audit checkpoint {checkpoint.id}: {checkpoint.event_count} events up to event "
            f"{checkpoint.head_event_id} (hash {checkpoint.head_hash}), signed by key "
            f"{checkpoint.key_id}"
        )

    @app.cli.group()
    def keys() -> None:
        """Encryption keys for personal data at rest (DATA_KEYS)."""

    @keys.command("rotate")
    def keys_rotate() -> None:
        """Re-encrypt every encrypted value with the newest key (the first in DATA_KEYS)."""
        from compliance.services.keys import rotate_data_keys

        with reach_scope(db.session(), Reach.for_everything()):
            count = rotate_data_keys(db.session())
            db.session.commit()
        click.echo(f"keys: {count} encrypted values re-encrypted with the newest key")

    @app.cli.group()
    def roster() -> None:
        """The roster of employees with disabilities."""

    @roster.command("purge-withdrawn")
    def roster_purge_withdrawn() -> None:
        """Delete the disability details of employees who withdrew their consent."""
        from compliance.clock import utcnow
        from compliance.services.consent import purge_withdrawn

        with reach_scope(db.session(), Reach.for_everything()):
            count = purge_withdrawn(db.session(), utcnow())
            db.session.commit()
        click.echo(f"roster: disability details of {count} employees purged")
