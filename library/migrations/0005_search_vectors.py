"""The library's own full-text columns, on PostgreSQL only (SQLite searches with
plain matching, see library.search).

`search_vector` holds every searched word with its weight: title (A), summary (B),
tags (C), card and document text (D); searches find their matches through its GIN
index. `search_head` holds the title, summary and tags alone: small enough to stay
in the table's row (STORAGE MAIN), so ranking thousands of matches with ts_rank
reads no TOAST. `search_title` holds the title: items with every word in it come
first, found through its own index. Both are generated columns: every write path (the admin, services,
bulk imports, the benchmark's bulk_create) keeps them current without code.

Adding a stored generated column rewrites the table once under a lock; for a
library of some thousands of items that takes about a second. The GIN indexes are
built concurrently by the next migration.
"""

from __future__ import annotations

from django.db import migrations

TITLE = "to_tsvector('english'::regconfig, coalesce(title, ''))"
HEAD = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(product, '') || ' '"
    " || coalesce(persona, '') || ' ' || coalesce(competitor, '')), 'C')"
)
# Text beyond 200,000 characters of each is not searched (a tsvector holds at
# most 1 MB; extracted text is capped at 200,000 characters anyway).
BODY = (
    "setweight(to_tsvector('english'::regconfig, left(coalesce(body, ''), 200000)"
    " || ' ' || left(coalesce(extracted_text, ''), 200000)), 'D')"
)

FORWARD = [
    "ALTER TABLE library_libraryitem"
    f" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({HEAD} || {BODY}) STORED,"
    f" ADD COLUMN search_head tsvector GENERATED ALWAYS AS ({HEAD}) STORED,"
    f" ADD COLUMN search_title tsvector GENERATED ALWAYS AS ({TITLE}) STORED",
    "ALTER TABLE library_libraryitem ALTER COLUMN search_head SET STORAGE MAIN,"
    " ALTER COLUMN search_title SET STORAGE MAIN",
    # Long text (summaries, card and document text, the full vector) moves out of
    # the row, so a search's heap pass reads narrow rows.
    "ALTER TABLE library_libraryitem SET (toast_tuple_target = 512)",
]
BACKWARD = [
    "ALTER TABLE library_libraryitem RESET (toast_tuple_target)",
    "ALTER TABLE library_libraryitem DROP COLUMN search_title,"
    " DROP COLUMN search_head,"
    " DROP COLUMN search_vector",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0004_sharelink_shareopen_and_more")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
