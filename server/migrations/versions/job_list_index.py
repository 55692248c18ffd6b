"""job list index: jobs (status, id), so the list's count and a view's page of ids read an
index, not the table

Revision ID: job_list_index
Revises: production_jobs
"""

from __future__ import annotations

from alembic import op

revision = "job_list_index"
down_revision = "production_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_jobs_status_id", "jobs", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_jobs_status_id", table_name="jobs")
