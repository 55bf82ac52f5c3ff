from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The open platform: REST API v1, API tokens, signed webhooks and SCIM 2.0."""

    name = "integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from integrations import signal_handlers
        from integrations.tokens import may_hold_tokens
        from lms.accounts.account_links import AccountLink, register_account_link
        from lms.navigation import NavItem, register_nav_item

        signal_handlers.connect()
        register_nav_item(
            NavItem("Integrations", "integration_tokens", 80, may_hold_tokens)
        )
        register_account_link(
            AccountLink(
                "Download my learning record (JSON)",
                "my_learning_record",
                "Every lesson and course you completed, your quiz attempts, the "
                "coaching reviews of your work and your certificates.",
                10,
            )
        )
        register_account_link(
            AccountLink(
                "Download my learning record as xAPI statements",
                "my_learning_record_xapi",
                "The same record in the Experience API format, for a Learning "
                "Record Store or another learning system.",
                20,
            )
        )
