"""Dashboards in Spanish and Bengali: My team, its export's headers (the viewer's
language) and the manager's digest (the recipient's)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse


def _speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "heading", "tab"),
    [
        ("es", "<h1>Mi equipo</h1>", "Matriz de finalización"),
        ("bn", "<h1>আমার দল</h1>", "সমাপ্তির ম্যাট্রিক্স"),
    ],
)
def test_my_team_reads_in_the_managers_language(client, org, language, heading, tab):
    _speaks(org.east_manager, language)
    client.force_login(org.east_manager)

    page = client.get(reverse("team_overview")).text

    assert f'<html lang="{language}"' in page
    assert heading in page
    assert tab in page  # the completion matrix's button
    assert "Completion matrix" not in page


def test_the_team_export_heads_its_columns_in_the_viewers_language(client, org):
    _speaks(org.east_manager, "es")
    client.force_login(org.east_manager)

    response = client.get(reverse("team_export_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))

    assert header[:4] == ["Nombre", "Correo", "Equipo", "Fecha de incorporación"]


def test_the_charts_page_reads_in_bengali(client, org):
    _speaks(org.east_manager, "bn")
    client.force_login(org.east_manager)

    page = client.get(reverse("team_charts")).text

    assert "<h1>দলের চার্ট</h1>" in page  # Team charts
    assert "প্রতি সপ্তাহে সম্পন্ন পাঠ" in page  # a chart's title
