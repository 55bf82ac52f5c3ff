from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Start pages and, later, the managers' dashboards and reports."""

    name = "lms.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
