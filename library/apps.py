from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The content hub: library items, search, freshness, flags, share links to
    prospects and their opens."""

    name = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from library import demo
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import NavItem, register_nav_item

        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"library.{action}_libraryitem" for action in ("add", "change", "delete")
        )
        # Translating items in the admin (wagtail-localize's Translate).
        ENABLEMENT_ADMIN_PERMISSIONS.append("wagtail_localize.submit_translation")
        register_demo_step(DemoStep(45, "library", demo.seed_library))
        register_nav_item(
            NavItem(_("Library"), "library_home", order=12, is_visible=_signed_in)
        )


def _signed_in(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_authenticated)
