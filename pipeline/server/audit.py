"""The team server's audit log: who prepared, rehearsed or read what, when, with which backend and model,
and which documents (names and SHA-256, never contents) went to which backend.

One Postgres table, append-only: a trigger refuses every UPDATE, DELETE and TRUNCATE, so a row once
written stays as written (the server only ever INSERTs). `export_csv` writes one engagement's rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from typing import Any

TABLE = "negoprep_audit"
COLUMNS = ("id", "at", "engagement", "actor", "action", "graph", "thread_id", "run_id", "backend", "model",
           "documents", "detail")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    engagement  text NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    graph       text,
    thread_id   text,
    run_id      text,
    backend     text,
    model       text,
    documents   jsonb NOT NULL DEFAULT '[]'::jsonb,
    detail      jsonb NOT NULL DEFAULT '{{}}'::jsonb
);
CREATE INDEX IF NOT EXISTS {TABLE}_engagement_at ON {TABLE} (engagement, at);
CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{TABLE} is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS {TABLE}_no_rewrite ON {TABLE};
CREATE TRIGGER {TABLE}_no_rewrite BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};
CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only();
"""

INSERT = (f"INSERT INTO {TABLE} (engagement, actor, action, graph, thread_id, run_id, backend, model, documents, "
          "detail) VALUES (%(engagement)s, %(actor)s, %(action)s, %(graph)s, %(thread_id)s, %(run_id)s, "
          "%(backend)s, %(model)s, %(documents)s, %(detail)s)")


def document_digests(documents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Name, SHA-256 and size of each document given as `{"name", "text"}` (the text itself is not kept)."""
    out = []
    for doc in documents:
        data = str(doc.get("text", "")).encode("utf-8")
        out.append({"name": str(doc.get("name", "")), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    return out


def event(engagement: str, actor: str, action: str, *, graph: str | None = None, thread_id: Any = None,
          run_id: Any = None, backend: str | None = None, model: str | None = None,
          documents: list[dict[str, Any]] | None = None, detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """One row's values, ready for INSERT."""
    return {"engagement": engagement, "actor": actor, "action": action, "graph": graph,
            "thread_id": str(thread_id) if thread_id else None, "run_id": str(run_id) if run_id else None,
            "backend": backend, "model": model, "documents": json.dumps(documents or []),
            "detail": json.dumps(detail or {}, default=str)}


def setup(uri: str) -> None:
    """Create the table and its append-only triggers (idempotent)."""
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(36036)")
        try:
            conn.execute(SCHEMA)
        finally:
            conn.execute("SELECT pg_advisory_unlock(36036)")


class AuditLog:
    """Appends rows from the server's event loop through a small connection pool (opened on first use)."""

    def __init__(self, uri: str):
        self.uri = uri
        self._pool = None

    async def _conn_pool(self):
        if self._pool is None:
            import asyncio

            from psycopg_pool import AsyncConnectionPool

            await asyncio.to_thread(setup, self.uri)
            pool = AsyncConnectionPool(self.uri, min_size=1, max_size=4, open=False, kwargs={"autocommit": True})
            await pool.open()
            self._pool = pool
        return self._pool

    async def append(self, row: dict[str, Any]) -> None:
        pool = await self._conn_pool()
        async with pool.connection() as conn:
            await conn.execute(INSERT, row)


def rows(uri: str, engagement: str) -> list[dict[str, Any]]:
    """One engagement's rows, oldest first."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(uri, row_factory=dict_row) as conn:
        return list(conn.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE engagement = %s ORDER BY id",
                                 (engagement,)))


def export_csv(uri: str, engagement: str) -> str:
    """One engagement's rows as CSV (documents and detail as JSON)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(uri, engagement):
        writer.writerow({**row, "at": row["at"].isoformat(), "documents": json.dumps(row["documents"]),
                         "detail": json.dumps(row["detail"])})
    return buffer.getvalue()
