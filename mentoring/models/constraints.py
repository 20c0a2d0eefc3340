"""An exclusion constraint that exists on PostgreSQL and is skipped elsewhere.

Django's ExclusionConstraint is PostgreSQL-only: on the SQLite default its SQL would be written into
the CREATE TABLE and fail. The schema editor leaves out a constraint whose SQL is None
(https://docs.djangoproject.com/en/5.2/ref/models/constraints/#baseconstraint), so returning None
off PostgreSQL keeps one migration for both databases; on SQLite the booking service's check inside
an IMMEDIATE transaction stands in for it.
"""

from django.contrib.postgres.constraints import ExclusionConstraint


def _on_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor) if _on_postgresql(schema_editor) else None
        )

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if _on_postgresql(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if _on_postgresql(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):
        from django.db import connections

        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)
