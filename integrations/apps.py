from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """The open platform: REST API v1, API tokens, signed webhooks and SCIM 2.0."""

    name = "integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from dashboards.ramp import register_selling_source
        from integrations import demo, signal_handlers
        from integrations.crm.selectors import crm_selling_figures
        from integrations.tokens import may_hold_tokens
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import (
            NavItem,
            ProfileLink,
            register_nav_item,
            register_profile_link,
        )

        signal_handlers.connect()
        register_demo_step(DemoStep(75, "CRM (demo)", demo.seed_crm))
        register_selling_source(crm_selling_figures)
        register_nav_item(
            NavItem(_("Integrations"), "integration_tokens", 80, may_hold_tokens)
        )
        register_profile_link(
            ProfileLink(
                _("Download my learning record (JSON)"),
                "my_learning_record",
                _(
                    "Every lesson and course you completed, your quiz attempts, the "
                    "coaching reviews of your work and your certificates."
                ),
                order=10,
                download=True,
            )
        )
        register_profile_link(
            ProfileLink(
                _("Download my learning record as xAPI statements"),
                "my_learning_record_xapi",
                _(
                    "The same record in the Experience API format, for a Learning "
                    "Record Store or another learning system."
                ),
                order=20,
                download=True,
            )
        )
