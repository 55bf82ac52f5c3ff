"""SCORM steps in the person's language: the step page and its player's script
catalogue, and the reasons a package is refused, in Spanish and Bengali."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courses.scorm.models import ScormPage
from courses.scorm.packaging import Limits, PackageRefused, package_read
from tests.scorm.packages import scorm12_zip

pytestmark = pytest.mark.django_db
Step = Callable[..., ScormPage]
LIMITS = Limits(max_files=10, max_unpacked_bytes=10_000, max_compression_ratio=100)


@pytest.mark.parametrize(
    ("language", "parts", "not_started", "start"),
    [
        ("es", "Partes de este paquete", "sin empezar", "Empezar"),
        ("bn", "এই প্যাকেজের অংশগুলো", "শুরু হয়নি", "শুরু করুন"),
    ],
)
def test_a_scorm_step_speaks_spanish_and_bengali(
    client: Client,
    rep_factory: Any,
    make_scorm_step: Step,
    language: str,
    parts: str,
    not_started: str,
    start: str,
) -> None:
    page = make_scorm_step(scorm12_zip(scos=("Opening", "Closing")))
    client.force_login(rep_factory(full_name="Ana Lima", language=language))

    html = client.get(page.url).content.decode()

    assert f'aria-label="{parts}"' in html
    assert f">{not_started}</span>" in html
    assert f"data-scorm-start>{start}</button>" in html
    assert "Parts of this package" not in html
    assert html.index(reverse("javascript_catalog")) < html.index("scorm/player.js")


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("es", "Esto no es un archivo zip."),
        ("bn", "এটি zip ফাইল নয়।"),
        ("en", "This is not a zip file."),
    ],
)
def test_a_refused_package_says_why_in_the_active_language(
    language: str, reason: str
) -> None:
    with translation.override(language), pytest.raises(PackageRefused) as refused:
        package_read(b"not a zip", limits=LIMITS)

    assert str(refused.value) == reason
