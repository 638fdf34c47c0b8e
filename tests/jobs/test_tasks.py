"""Tasks take ids and start from the database: one whose rows are gone by the time it runs (an
organisation deleted, a message purged) does nothing, writes nothing and raises nothing."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from compliance.extensions import db
from compliance.jobs.imports import import_in_background, validate_in_background
from compliance.jobs.tasks import deliver_mail, organization_batch
from compliance.models import ImportJob, ImportKind, ImportStatus, Organization
from compliance.models.jobs import JobNotice
from compliance.models.tenancy import Reach, reach_scope
from tests.support.mail import sent_mails


def test_tasks_of_a_deleted_organisation_do_nothing(app, factory, outbox):
    org = factory.org(name="PT Sudah Tutup")
    with factory.session() as session:
        job = ImportJob(
            organization_id=org.id,
            kind=ImportKind.ROSTER,
            status=ImportStatus.VALIDATING,
            filename="roster.csv",
            file_format="csv",
        )
        session.add(job)
        session.flush()
        job_id = job.id
    with app.app_context(), reach_scope(db.session(), Reach.for_everything()):
        db.session.execute(delete(Organization).where(Organization.id == org.id))
        db.session.commit()
        assert db.session.get(ImportJob, job_id) is None, "the job went with its organisation"

        validate_in_background(job_id)
        import_in_background(job_id)
        organization_batch("deadline_reminders", [org.id], "2027-01-02T01:00:00")
        deliver_mail(987_654)

        assert db.session.scalar(select(func.count()).select_from(JobNotice)) == 0
    assert sent_mails(outbox) == []
