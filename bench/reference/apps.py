from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """The load test's reference page type; only `bench/load_settings.py` enables it."""

    name = "bench.reference"
    label = "bench_reference"
    default_auto_field = "django.db.models.BigAutoField"
