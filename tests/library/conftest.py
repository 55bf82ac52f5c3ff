from __future__ import annotations

from typing import Any

import pytest

from library.models import LibraryItem
from tests.factories import UserFactory


class Items:
    """Makes library items for the org fixture: owned by Olive Owner."""

    def __init__(self, org: Any) -> None:
        self.org = org
        self.owner = UserFactory(full_name="Olive Owner", team=org.west)

    def make(self, **fields: Any) -> LibraryItem:
        teams = fields.pop("teams", None)
        fields.setdefault("kind", LibraryItem.Kind.CARD)
        fields.setdefault("card_kind", LibraryItem.CardKind.BATTLECARD)
        fields.setdefault("title", "Versus Globex")
        fields.setdefault("summary", "How we win against Globex.")
        fields.setdefault("owner", self.owner)
        if teams:
            fields["audience_everyone"] = False
        item = LibraryItem.objects.create(**fields)
        if teams:
            item.audience_teams.set(teams)
        return item


@pytest.fixture
def items(org: Any) -> Items:
    return Items(org)
