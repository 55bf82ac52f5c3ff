"""Library items become translatable (wagtail-localize): every existing item is put
in the default locale with a translation key of its own, then both columns are
required and unique together. Safe for existing data: no row changes otherwise."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from wagtail.coreutils import get_supported_content_language_variant


def existing_items_in_default_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    LibraryItem = apps.get_model("library", "LibraryItem")
    if not LibraryItem.objects.exists():
        return
    # The language items are written in, as Wagtail's own locale migration
    # records the default locale.
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    for item in LibraryItem.objects.filter(locale__isnull=True).only("pk"):
        LibraryItem.objects.filter(pk=item.pk).update(
            locale=locale, translation_key=uuid.uuid4()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0009_translated_labels"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="libraryitem",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="libraryitem",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.RunPython(
            existing_items_in_default_locale, migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="libraryitem",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="libraryitem",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="libraryitem",
            unique_together={("translation_key", "locale")},
        ),
    ]
