from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Start pages, the managers' dashboards, exports, digests and ramp analytics."""

    name = "lms.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from lms.dashboards import demo
        from lms.demo import DemoStep, register_demo_step

        register_demo_step(DemoStep(70, "dashboards", demo.seed_outcomes))
