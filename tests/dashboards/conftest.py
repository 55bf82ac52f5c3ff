from __future__ import annotations

import pytest

from tests.dashboards.onboarding import Onboarding


@pytest.fixture
def onboarding(db) -> Onboarding:
    return Onboarding()
