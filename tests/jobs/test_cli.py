"""`flask jobs run-once` and `flask jobs list`, as an operator types them."""

from __future__ import annotations

from sqlalchemy import select

from compliance.extensions import db
from compliance.models.jobs import JobRun


def test_run_once_runs_the_job_with_a_pretended_time_and_records_it(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["jobs", "run-once", "deadline_reminders", "--now", "2027-01-05T01:00"]
    )
    assert result.exit_code == 0, result.output
    assert "deadline_reminders: succeeded, 0 processed, 0 changed, 0 failed" in result.output
    with app.app_context():
        assert db.session.scalars(select(JobRun.job)).all() == ["deadline_reminders"]


def test_run_once_refuses_an_unknown_job(app):
    result = app.test_cli_runner().invoke(args=["jobs", "run-once", "send_spam"])
    assert result.exit_code == 2
    assert "send_spam" in result.output


def test_list_names_every_job(app):
    result = app.test_cli_runner().invoke(args=["jobs", "list"])
    assert "monthly_snapshot" in result.output
    assert "consent_withdrawals" in result.output
