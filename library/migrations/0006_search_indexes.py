"""GIN indexes on the library's full-text columns (PostgreSQL only), built
CONCURRENTLY so that reads and writes go on while they build."""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "library_item_search_vector_gin": "search_vector",
    "library_item_search_head_gin": "search_head",
    "library_item_search_title_gin": "search_title",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name}"
            f" ON library_libraryitem USING gin ({column})"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("library", "0005_search_vectors")]

    operations = [migrations.RunPython(create, drop)]
