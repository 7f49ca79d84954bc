"""Set-based writes for hot paths: COPY on PostgreSQL, executemany elsewhere.

Values go through each field's get_db_prep_save, so they are stored exactly as the ORM would
store them (JSON, time zones, booleans) on either database.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Sequence

import orjson
from django.db import (
    DEFAULT_DB_ALIAS,
    OperationalError,
    connection,
    connections,
    models,
    transaction,
)
from psycopg.types.json import set_json_dumps

logger = logging.getLogger(__name__)

# Fields whose Python values the database drivers take as they are.
_AS_IS = frozenset({"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
                    "ForeignKey", "IntegerField", "PositiveBigIntegerField",
                    "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
                    "TextField"})


_JSON = json.JSONEncoder(ensure_ascii=False)


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in fields]


def _converter(field: models.Field, binary_copy: bool = False):
    """None when values pass as they are, else a function preparing one value. A binary COPY
    takes JSON values as they are too (psycopg writes them as jsonb)."""
    kind = field.get_internal_type()
    if kind in _AS_IS or (kind == "DateTimeField" and connection.vendor == "postgresql"):
        return None
    if kind == "JSONField" and binary_copy:
        return None
    if kind == "JSONField" and connection.vendor == "postgresql":
        # The JSON text, which PostgreSQL parses (COPY's text rows, a text[] cast to jsonb[]):
        # the C encoder, not a Jsonb wrapper a value.
        dumps = field.encoder(ensure_ascii=False) if field.encoder else _JSON
        return lambda value: None if value is None else dumps.encode(value)
    if kind == "DateTimeField":
        memo: dict = {}  # the same few times recur in a batch

        def convert(value):
            if value not in memo:
                memo[value] = field.get_db_prep_save(value, connection)
            return memo[value]

        return convert
    database = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not a lookup a value
    return lambda value: field.get_db_prep_save(value, database)


def _prepared(columns: list[models.Field], rows: Iterable[Sequence],
              binary_copy: bool = False) -> list[Sequence]:
    converting = [(index, convert) for index, convert in
                  enumerate(_converter(field, binary_copy) for field in columns)
                  if convert is not None]
    if not converting:
        return [tuple(row) for row in rows]
    prepared = []
    for row in rows:  # only the columns that need it are converted: most pass as they are
        values = list(row)
        for index, convert in converting:
            values[index] = convert(values[index])
        prepared.append(values)
    return prepared


_sequences: dict[str, str] = {}  # table → its id sequence


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for rows inserted with insert_rows (call inside a transaction)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence named once a process: pg_get_serial_sequence a row cost 0.4 s per
            # 100,000 ids, and a query a batch is a tenth of a small batch's statements.
            sequence = _sequences.get(table)
            if sequence is None:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                (sequence,) = cursor.fetchone()
                _sequences[table] = sequence
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                           [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite holds the write lock for the whole transaction: nobody takes these meanwhile.
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert_rows(model: type[models.Model], fields: Sequence[str],
                rows: Sequence[Sequence]) -> None:
    """Insert many rows at once (the fields must include every NOT NULL column without a
    database default, and the primary key when it is allocated by allocate_ids)."""
    if not rows:
        return
    columns = _columns(model, fields)
    table = model._meta.db_table
    names = ", ".join(f'"{field.column}"' for field in columns)
    postgresql = connection.vendor == "postgresql"
    values = _prepared(columns, rows, binary_copy=postgresql)
    with connection.cursor() as cursor:
        if postgresql:
            # Binary: the server takes the values as they are instead of parsing text (times,
            # JSON), a fifth of a large preparation's time.
            # orjson for the JSON values: json.dumps a value was a third of a large preparation.
            set_json_dumps(orjson.dumps, context=cursor.cursor)
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN (FORMAT BINARY)') as copy:
                copy.set_types([_copy_type(field) for field in columns])
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                               values)


def _copy_type(field: models.Field) -> str:
    """The column's type as psycopg names it for a binary COPY: varchar(320) → varchar."""
    return field.db_type(connection).split("(")[0]


def update_rows(model: type[models.Model], fields: Sequence[str],
                rows: Sequence[Sequence], where: dict[str, object] | None = None) -> None:
    """Set `fields` on many rows by primary key: each row is (pk, value, value, …). `where`
    adds conditions of fixed values (a row that does not meet them is left as it is)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(*update_statement(model, fields, rows, where))
            return
        columns = _columns(model, fields)
        pk = model._meta.pk
        conditions, condition_values = _conditions(model, where)
        keys = [pk.get_db_prep_save(row[0], connection) for row in rows]
        values = _prepared(columns, (row[1:] for row in rows))
        assignments = ", ".join(f'"{field.column}" = %s' for field in columns)
        condition_sql = "".join(f' AND "{field.column}" = %s' for field in conditions)
        cursor.executemany(
            f'UPDATE "{model._meta.db_table}" SET {assignments} '  # noqa: S608
            f'WHERE "{pk.column}" = %s{condition_sql}',
            [(*row, key, *condition_values) for row, key in zip(values, keys, strict=True)])


def _conditions(model: type[models.Model],
                where: dict[str, object] | None) -> tuple[list[models.Field], list]:
    fields = [model._meta.get_field(name) for name in (where or {})]
    values = [field.get_db_prep_save(value, connection)
              for field, value in zip(fields, (where or {}).values(), strict=True)]
    return fields, values


def update_statement(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence],
                     where: dict[str, object] | None = None, also: str = "") -> tuple[str, list]:
    """PostgreSQL: update_rows as (sql, params), one statement for the whole batch (executemany
    sends a statement a row). The table is `t`; `also` is SQL ANDed to the conditions, so the
    statement can be part of a larger one (a WITH)."""
    columns = _columns(model, fields)
    pk = model._meta.pk
    conditions, condition_values = _conditions(model, where)
    # The rows go as one JSON text, which PostgreSQL reads into typed columns: quoting arrays
    # of times and text in Python (psycopg's client-side binding) cost more than the rest of
    # the statement. JSON values stay objects, as for a binary COPY.
    names = [f"v{index}" for index in range(len(columns))]
    keys = [pk.get_db_prep_save(row[0], connection) for row in rows]
    values = _prepared(columns, (row[1:] for row in rows), binary_copy=True)
    document = orjson.dumps([dict(zip(["k", *names], (key, *row), strict=True))
                             for key, row in zip(keys, values, strict=True)], default=str)
    types = ", ".join([f"k {pk.db_type(connection)}",
                       *(f"{name} {field.db_type(connection)}"
                         for name, field in zip(names, columns, strict=True))])
    assignments = ", ".join(f'"{field.column}" = v.{name}'
                            for field, name in zip(columns, names, strict=True))
    condition_sql = "".join(f' AND t."{field.column}" = %s' for field in conditions)
    sql = (f'UPDATE "{model._meta.db_table}" AS t SET {assignments} '  # noqa: S608
           f"FROM json_to_recordset(%s::json) AS v({types}) "
           f'WHERE t."{pk.column}" = v.k{condition_sql}{also}')
    return sql, [document.decode(), *condition_values]


def insert_statement(row: models.Model, source: str) -> tuple[str, list]:
    """PostgreSQL: the INSERT that save() would send for the new instance `row`, as
    `INSERT … SELECT <its values> FROM source RETURNING id` (sql, params), so that it is part
    of a larger statement and inserts only if `source` (a WITH query's name) has a row. The
    values are prepared as save() prepares them."""
    table, fields, columns = _insert_parts(type(row))
    wrapper = connections[DEFAULT_DB_ALIAS]  # not the proxy: each field asks it for its ops
    params = [f.get_db_prep_save(f.pre_save(row, True), wrapper) for f in fields]
    placeholders = ", ".join(["%s"] * len(fields))
    return (f'INSERT INTO "{table}" ({columns}) SELECT {placeholders} '  # noqa: S608
            f'FROM {source} RETURNING "{row._meta.pk.column}"'), params


@functools.cache
def _insert_parts(model: type[models.Model]) -> tuple[str, list[models.Field], str]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return model._meta.db_table, fields, ", ".join(f'"{f.column}"' for f in fields)


def refresh_statistics(*models_: type[models.Model]) -> None:
    """ANALYZE after a large bulk insert, so the planner does not take a table that grew by
    100,000 rows for an empty one (autovacuum gets to it only later)."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # A sample of 3,000 rows instead of 30,000 (a tenth of the time; 0.9 s after 100,000
        # recipients): what the planner lacks is the rows' number, not fine distributions,
        # which autovacuum's own ANALYZE brings later.
        cursor.execute("SET LOCAL default_statistics_target = 10")
        # Autovacuum at work on the table holds the lock ANALYZE needs, and gives way only after
        # a second (deadlock_timeout): it is refreshing the statistics itself, so let it.
        cursor.execute("SET LOCAL lock_timeout = '200ms'")
        for model in models_:
            try:
                with transaction.atomic():
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')
            except OperationalError:
                logger.info("ANALYZE %s skipped: autovacuum holds it", model._meta.db_table)


def add_counts(model: type[models.Model], key: Sequence[str], counts: Sequence[str],
               rows: dict[tuple, Sequence[int]]) -> None:
    """Add counts to the rows of these keys, created when missing: INSERT … ON CONFLICT DO
    UPDATE SET n = n + excluded.n, which PostgreSQL and SQLite both take (the rollups of
    stats/rollups.py; one statement per 500 keys instead of a read and a write per key)."""
    if not rows:
        return
    table = model._meta.db_table
    key_columns = [f'"{field.column}"' for field in _columns(model, key)]
    count_columns = [f'"{field.column}"' for field in _columns(model, counts)]
    columns = ", ".join([*key_columns, *count_columns])
    updates = ", ".join(f'{c} = "{table}".{c} + excluded.{c}' for c in count_columns)
    mark = "(" + ", ".join(["%s"] * (len(key_columns) + len(count_columns))) + ")"
    items = list(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            batch = items[start:start + 500]
            cursor.execute(
                f'INSERT INTO "{table}" ({columns}) VALUES {", ".join([mark] * len(batch))} '  # noqa: S608
                f'ON CONFLICT ({", ".join(key_columns)}) DO UPDATE SET {updates}',
                [value for k, v in batch for value in (*k, *v)])
