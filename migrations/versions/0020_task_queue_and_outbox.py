"""the task queue's tables (PostgreSQL) and the e-mail outbox

`outgoing_mails` keeps every e-mail from the transaction that caused it until it is delivered
(`models.mail`). On PostgreSQL, this revision also creates procrastinate's schema (its tables
`procrastinate_*`, types, functions and triggers), read from the installed package, so
`flask db upgrade` is the one step that prepares a database for `flask worker`. SQLite has no
workers (`TASK_QUEUE=in-process`) and gets none of it.

Upgrading procrastinate later: its release notes list SQL migrations
(`procrastinate/sql/migrations/*.sql`); add an Alembic revision that runs the new ones.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 16:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

STATUSES = ('queued', 'sent', 'failed')


def upgrade():
    op.create_table(
        'outgoing_mails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='mail_status', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('recipient', sa.Text(), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mails')),
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mails_status'), ['status'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        from procrastinate.schema import SchemaManager

        # Passed with parameters, so psycopg reads `%` as a placeholder: double it, as
        # procrastinate's own `apply_schema` does.
        bind.exec_driver_sql(SchemaManager.get_schema().replace('%', '%%'))


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        bind.exec_driver_sql(
            """
            DO $$
            DECLARE item record;
            BEGIN
                FOR item IN SELECT tablename FROM pg_tables
                        WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate_%'
                LOOP
                    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
                END LOOP;
                FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                        JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate_%'
                LOOP
                    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
                END LOOP;
                FOR item IN SELECT typname FROM pg_type t
                        JOIN pg_namespace n ON n.oid = t.typnamespace
                        WHERE n.nspname = current_schema() AND typname LIKE 'procrastinate_%'
                          AND t.typtype IN ('e', 'c')
                LOOP
                    EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
                END LOOP;
            END $$;
            """.replace('%', '%%')
        )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mails_status'))
    op.drop_table('outgoing_mails')
