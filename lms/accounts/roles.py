"""Roles: rep, coach, manager and enablement admin, derived from relations.

A rep is a member of a team, a coach and a manager are named on a team, and an
enablement admin is in the "Enablement admins" group (or a superuser). Nothing stores a
role as a flag, so moving people between teams needs no second update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef

if TYPE_CHECKING:
    from lms.accounts.models import User

REP, COACH, MANAGER, ADMIN = "rep", "coach", "manager", "admin"
ENABLEMENT_ADMINS_GROUP = "Enablement admins"

# Model permissions the enablement admins group holds, as "app_label.codename". Apps
# that add authorable content (snippets, settings) append theirs in ready().
ENABLEMENT_ADMIN_PERMISSIONS: list[str] = [
    "wagtailadmin.access_admin",
    "taggit.add_tag",
    "taggit.change_tag",
]
_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
]
_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def roles_of(user: User) -> frozenset[str]:
    """The roles a user holds now: read in one query, and kept per person in the
    cache (`lms.lib.person_cache`) until their team or any team's managers, coaches
    or the enablement admins change, so a revoked role is gone at the next read."""
    from lms.lib import person_cache

    if not user.is_authenticated or not user.is_active or user.pk is None:
        return frozenset()
    return person_cache.cached_for_person(
        user=user, name="roles", compute=lambda: (_read_roles(user), None)
    )


def _read_roles(user: User) -> frozenset[str]:
    from django.contrib.auth.models import Group

    from lms.accounts.models import Team, User

    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            coaches=Exists(Team.coaches.through.objects.filter(user_id=OuterRef("pk"))),
            manages=Exists(
                Team.managers.through.objects.filter(user_id=OuterRef("pk"))
            ),
            in_admin_group=Exists(
                Group.objects.filter(name=ENABLEMENT_ADMINS_GROUP, user=OuterRef("pk"))
            ),
        )
        .values("team_id", "coaches", "manages", "in_admin_group", "is_superuser")
        .get()
    )
    roles = set()
    if flags["team_id"]:
        roles.add(REP)
    if flags["coaches"]:
        roles.add(COACH)
    if flags["manages"]:
        roles.add(MANAGER)
    if flags["in_admin_group"] or flags["is_superuser"]:
        roles.add(ADMIN)
    return frozenset(roles)


def sync_enablement_admin_group(**kwargs: Any) -> None:
    """Create the enablement admins group with what authors need in Wagtail.

    Runs after every migrate, so permissions added by new apps reach the group. It adds
    and never removes, so an operator's extra grants survive. User management is not
    granted: people are invited through Onramp and managed by operators.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
    )

    # post_migrate fires once per app; permissions exist once the last app's ran.
    last_app = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
    if kwargs.get("app_config", last_app) is not last_app:
        return
    if "plan" not in kwargs:  # `flush` (and tests resetting the database), not migrate
        return
    group, _ = Group.objects.get_or_create(name=ENABLEMENT_ADMINS_GROUP)
    group.permissions.add(*_permissions(ENABLEMENT_ADMIN_PERMISSIONS))
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=_PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for permission in _permissions(_COLLECTION_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def _permissions(names: list[str]) -> list[Any]:
    from django.contrib.auth.models import Permission

    wanted = {tuple(name.split(".", 1)) for name in names}
    return [
        p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _, codename in wanted]
        )
        if (p.content_type.app_label, p.codename) in wanted
    ]
