from __future__ import annotations

from collections.abc import Iterator

import pytest

from automation.chat_fakes import SlackFake, TeamsFake


@pytest.fixture
def slack_fake(settings) -> Iterator[SlackFake]:  # type: ignore[no-untyped-def]
    """A local Slack Web API; the real slack_sdk client is pointed at it through
    SLACK_API_URL (its base_url)."""
    fake = SlackFake()
    settings.SLACK_API_URL = fake.api_url
    yield fake
    fake.stop()


@pytest.fixture
def teams_fake() -> Iterator[TeamsFake]:
    fake = TeamsFake()
    yield fake
    fake.stop()


@pytest.fixture
def no_waiting(monkeypatch) -> list[float]:  # type: ignore[no-untyped-def]
    """Records the waits Retry-After asked for instead of sleeping them."""
    waits: list[float] = []
    monkeypatch.setattr("automation.channels.slack.sleep", waits.append)
    monkeypatch.setattr("automation.channels.teams.sleep", waits.append)
    return waits
