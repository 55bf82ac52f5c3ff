from django.db import migrations


class Migration(migrations.Migration):
    """The dashboards app once created the site root (HomePage) here and in 0002.

    The site root belongs to the bottom layer now: `lms/migrations/0001_homepage.py`
    creates it on a new database and takes over the existing table and page on a
    database that ran these migrations before.
    """

    initial = True

    dependencies = []

    operations = []
