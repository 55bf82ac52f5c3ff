from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    """The platform core: base templates, navigation, demo data, Celery wiring."""

    name = "lms"
    label = "lms"
    verbose_name = "Onramp"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site, get_page_models

        from lms.lib import person_cache

        # A page view's site and route are cached (lms.pages) until any site or page
        # changes: a page saved live without a publish (in code) is seen at once too.
        for signal in (post_save, post_delete):
            signal.connect(
                person_cache.on_shared_change, sender=Site, dispatch_uid="site_cache"
            )
        for model in get_page_models():
            post_save.connect(
                person_cache.on_shared_change, sender=model, dispatch_uid="page_cache"
            )

        from lms import checks as lms_checks
        from lms.navigation import NavItem, register_nav_item

        checks.register(lms_checks.celery_visibility_timeout, checks.Tags.compatibility)
        checks.register(
            lms_checks.production_services, checks.Tags.database, deploy=True
        )
        checks.register(
            lms_checks.site_url_for_production, checks.Tags.security, deploy=True
        )
        register_nav_item(
            NavItem(_("Home"), "/", order=0, is_visible=lambda user: True)
        )
        register_nav_item(
            NavItem(
                _("Admin"),
                "wagtailadmin_home",
                order=90,
                is_visible=lambda user: user.is_enablement_admin,
            )
        )
