from django.db import migrations

CONTENT_LANGUAGES = ["es", "bn"]


def create_content_locales(apps, schema_editor):
    """Spanish and Bengali as Wagtail locales, so that pages can be translated into
    them (English, the source language, exists since the site root was made)."""
    Locale = apps.get_model("wagtailcore", "Locale")
    for language_code in CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=language_code)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_homepage"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_content_locales, migrations.RunPython.noop),
    ]
