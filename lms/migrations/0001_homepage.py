import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "dashboards_homepage"


def create_or_take_over_homepage(apps, schema_editor):
    """New database: create the site root. Earlier install: adopt dashboards' one."""
    HomePage = apps.get_model("lms", "HomePage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if OLD_TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.alter_db_table(HomePage, OLD_TABLE, HomePage._meta.db_table)
        ContentType.objects.filter(app_label="dashboards", model="homepage").update(
            app_label="lms"
        )
        return
    schema_editor.create_model(HomePage)
    _create_site_root(apps, HomePage, ContentType)


def _create_site_root(apps, HomePage, ContentType):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    # Replace Wagtail's default welcome page (and the site that points at it).
    Page.objects.filter(
        content_type__app_label="wagtailcore",
        content_type__model="page",
        slug="home",
        depth=2,
    ).delete()
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    content_type, _ = ContentType.objects.get_or_create(
        app_label="lms", model="homepage"
    )
    homepage = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=content_type,
        locale=locale,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        welcome="",
    )
    Site.objects.create(
        hostname="localhost", site_name="Onramp", root_page=homepage, is_default_site=True
    )


class Migration(migrations.Migration):
    """The site root moves to the bottom layer (it was the dashboards app's)."""

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to="wagtailcore.page",
                            ),
                        ),
                        (
                            "welcome",
                            wagtail.fields.RichTextField(
                                blank=True,
                                help_text="Shown to everyone at the top of their start page.",
                            ),
                        ),
                    ],
                    options={"abstract": False},
                    bases=("wagtailcore.page",),
                ),
            ],
        ),
        # Irreversible: going back would have to know which of the two paths ran.
        migrations.RunPython(create_or_take_over_homepage),
    ]
