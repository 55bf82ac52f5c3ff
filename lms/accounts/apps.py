from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People, teams, roles, invitations and the visibility rules every app uses."""

    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("People and teams")

    def ready(self) -> None:
        from lms.accounts import demo, roles
        from lms.demo import DemoStep, register_demo_step

        post_migrate.connect(roles.sync_enablement_admin_group)
        self._forget_visibility_on_change()
        self._version_cached_state_on_change()
        register_demo_step(DemoStep(10, "people and teams", demo.seed_people))

    def _forget_visibility_on_change(self) -> None:
        """Who sees whom is cached for one request at most; a change to teams, their
        managers and coaches, or anyone's team, empties that cache at once."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from lms.accounts.models import Team, User
        from lms.lib import request_cache

        uid = "request_cache.clear"
        for model in (Team, User):
            post_save.connect(request_cache.clear, sender=model, dispatch_uid=uid)
            post_delete.connect(request_cache.clear, sender=model, dispatch_uid=uid)
        for through in (Team.managers.through, Team.coaches.through):
            m2m_changed.connect(request_cache.clear, sender=through, dispatch_uid=uid)

    def _version_cached_state_on_change(self) -> None:
        """State cached per person (`lms.lib.person_cache`) is not read again after a
        change to the person (their team, start date, time zone) or to what everyone's
        state is built from (teams, who manages or coaches them, roles)."""
        from typing import Any

        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from lms.accounts.models import Team, User
        from lms.lib import person_cache

        def person_saved(sender: Any, instance: User, **kwargs: Any) -> None:
            person_cache.person_changed(user_ids=[instance.pk])

        uid = "person_cache"
        post_save.connect(person_saved, sender=User, dispatch_uid=uid, weak=False)
        post_delete.connect(person_saved, sender=User, dispatch_uid=uid, weak=False)
        for model in (Team, Group):
            post_save.connect(
                person_cache.on_shared_change, sender=model, dispatch_uid=uid
            )
            post_delete.connect(
                person_cache.on_shared_change, sender=model, dispatch_uid=uid
            )
        for through in (
            Team.managers.through,
            Team.coaches.through,
            User.groups.through,
        ):
            m2m_changed.connect(
                person_cache.on_shared_change, sender=through, dispatch_uid=uid
            )
