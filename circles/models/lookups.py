"""`slots__has_slot=n`: whether a JSON list of half-hours holds n, on PostgreSQL and SQLite.

Django's `contains` lookup on a JSONField is not supported on SQLite
(https://docs.djangoproject.com/en/5.2/topics/db/queries/#contains), so this lookup says the same
thing in each database's own words: jsonb containment on PostgreSQL, json_each on SQLite
(https://www.sqlite.org/json1.html#jeach). Either way it stays a filter on the query, so a list of
people it selects can be counted and paginated by the database.
"""

import json

from django.db import NotSupportedError
from django.db.models import Lookup


class HasSlot(Lookup):
    lookup_name = "has_slot"
    prepare_rhs = False

    def _lhs(self, compiler, connection) -> tuple[str, list, int]:
        lhs, params = self.process_lhs(compiler, connection)
        return lhs, list(params), int(self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, params, slot = self._lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*params, json.dumps([slot])]

    def as_sqlite(self, compiler, connection):
        lhs, params, slot = self._lhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"
        return sql, [*params, slot]

    def as_sql(self, compiler, connection):
        raise NotSupportedError(f"has_slot is not written for {connection.vendor}.")
