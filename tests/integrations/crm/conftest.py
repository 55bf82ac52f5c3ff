from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integrations.crm.hubspot_fake import HubSpotFake


@pytest.fixture
def hubspot_fake(settings) -> Iterator[HubSpotFake]:  # type: ignore[no-untyped-def]
    """A local HubSpot; the client is pointed at it through CRM_HUBSPOT_API_URL."""
    fake = HubSpotFake().start()
    settings.CRM_HUBSPOT_API_URL = fake.url
    yield fake
    fake.stop()
