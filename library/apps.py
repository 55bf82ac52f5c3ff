from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """The content hub: library items, search, freshness, flags, share links to
    prospects and their opens."""

    name = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS

        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"library.{action}_libraryitem" for action in ("add", "change", "delete")
        )
