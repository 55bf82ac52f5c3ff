from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integrations.crm.hubspot_fake import HubSpotFake
from tests.integrations.crm.salesforce_fake import SalesforceFake


@pytest.fixture
def hubspot_fake(settings) -> Iterator[HubSpotFake]:  # type: ignore[no-untyped-def]
    """A local HubSpot; the client is pointed at it through CRM_HUBSPOT_API_URL."""
    fake = HubSpotFake().start()
    settings.CRM_HUBSPOT_API_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def salesforce_fake(settings, monkeypatch) -> Iterator[SalesforceFake]:  # type: ignore[no-untyped-def]
    """A local Salesforce over HTTPS; its certificate is trusted through
    REQUESTS_CA_BUNDLE, and the login URL points at it."""
    fake = SalesforceFake().start()
    settings.CRM_SALESFORCE_LOGIN_URL = fake.url
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake.ca_bundle)
    yield fake
    fake.stop()
