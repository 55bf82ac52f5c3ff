from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The open platform: REST API v1, API tokens, signed webhooks and SCIM 2.0."""

    name = "integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from integrations import signal_handlers
        from integrations.tokens import may_hold_tokens
        from lms.navigation import NavItem, register_nav_item

        signal_handlers.connect()
        register_nav_item(
            NavItem("Integrations", "integration_tokens", 80, may_hold_tokens)
        )
