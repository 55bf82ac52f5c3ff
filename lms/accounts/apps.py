from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """People, teams, roles, invitations and the visibility rules every app uses."""

    name = "lms.accounts"
    label = "accounts"
    verbose_name = "People and teams"

    def ready(self) -> None:
        from lms.accounts import demo, roles
        from lms.demo import DemoStep, register_demo_step

        post_migrate.connect(roles.sync_enablement_admin_group)
        register_demo_step(DemoStep(10, "people and teams", demo.seed_people))
