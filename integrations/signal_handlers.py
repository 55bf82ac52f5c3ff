"""What integrations does when the rest of Onramp changes or announces something."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone

from integrations.models import PersonVersion
from lms.accounts.models import Team, User
from lms.accounts.signals import user_team_changed


def person_touch(user_ids: list[int]) -> None:
    """Mark people as changed now (their version moves on)."""
    now = timezone.now()
    for user_id in user_ids:
        PersonVersion.objects.update_or_create(
            user_id=user_id, defaults={"updated_at": now}
        )


def _user_saved(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    person_touch([instance.pk])


def _team_moved(sender: Any, user: User, **kwargs: Any) -> None:
    person_touch([user.pk])


def _team_roles_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # user.managed_teams.add(team): the instance is the person
        person_touch([instance.pk])
    elif pk_set:
        person_touch(list(pk_set))


def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # user.groups.add(group): the instance is the person
        person_touch([instance.pk])
    elif pk_set:
        person_touch(list(pk_set))


def connect() -> None:
    post_save.connect(_user_saved, sender=User, dispatch_uid="integrations-user")
    user_team_changed.connect(_team_moved, dispatch_uid="integrations-team-moved")
    for through in (Team.managers.through, Team.coaches.through):
        m2m_changed.connect(
            _team_roles_changed,
            sender=through,
            dispatch_uid=f"integrations-roles-{through.__name__}",
        )
    m2m_changed.connect(
        _groups_changed, sender=User.groups.through, dispatch_uid="integrations-groups"
    )
