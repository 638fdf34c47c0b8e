"""`flask inspections rebuild-summary`, `flask inspections flag-deadlines` and
`flask evidence verify PACK.zip`: thin like routes, run under an everything-reach."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from compliance.extensions import db
from compliance.models.tenancy import Reach, reach_scope


def init_inspection_cli(app: Flask) -> None:
    @app.cli.group()
    def inspections() -> None:
        """Labour inspection: the compliance summary and case deadlines."""

    @inspections.command("rebuild-summary")
    def rebuild_summary() -> None:
        """Recompute every organisation's compliance summary (run nightly)."""
        from compliance.services.inspections import rebuild_summaries

        with reach_scope(db.session(), Reach.for_everything()):
            count = rebuild_summaries(db.session())
            db.session.commit()
        click.echo(f"inspections: summary of {count} organisations rebuilt")

    @inspections.command("flag-deadlines")
    def flag_deadlines() -> None:
        """Send reminders before nota deadlines and flag passed ones (idempotent)."""
        from compliance.clock import utcnow
        from compliance.services.inspections.cases import flag_case_deadlines

        with reach_scope(db.session(), Reach.for_everything()):
            count = flag_case_deadlines(db.session(), utcnow())
            db.session.commit()
        click.echo(f"inspections: {count} reminders and deadline flags written")

    @app.cli.group()
    def evidence() -> None:
        """Evidence packs for labour inspections."""

    @evidence.command("verify")
    @click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def verify(pack: Path) -> None:
        """Check that PACK is intact and signed by this server; exit 1 with the reason if not."""
        from compliance.services.inspections.evidence_pack import verify_pack

        report = verify_pack(pack.read_bytes())
        if report.is_intact:
            click.echo(f"{pack.name}: intact and authentic")
            return
        for problem in report.problems:
            click.echo(f"{pack.name}: {problem}", err=True)
        raise SystemExit(1)
