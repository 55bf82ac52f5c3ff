from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from lms.accounts.models import Invitation, Team, User
from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP

PASSWORD = "correct horse battery"


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    """A team; pass parent=<Team> for a sub-team (treebeard builds the path)."""

    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")

    @classmethod
    def _create(cls, model_class: type[Team], *args: Any, **kwargs: Any) -> Team:
        parent = kwargs.pop("parent", None)
        if parent is None:
            return model_class.add_root(**kwargs)
        return Team.objects.get(pk=parent.pk).add_child(**kwargs)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    start_date = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=10)
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class RepFactory(UserFactory):
    team = factory.SubFactory(TeamFactory)


def make_admin(**kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=ENABLEMENT_ADMINS_GROUP)[0])
    return user


def make_manager(team: Team, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    team.managers.add(user)
    return user


def make_coach(*teams: Team, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    for team in teams:
        team.coaches.add(user)
    return user


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    full_name = factory.Faker("name")
    team = factory.SubFactory(TeamFactory)
    invited_by = factory.SubFactory(UserFactory)
