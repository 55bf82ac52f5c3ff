"""Certification fixtures: `program_kit`, a program over a small catalogue
(tests/certificates/program_kit.py)."""

from __future__ import annotations

import pytest

from tests.certificates.program_kit import ProgramKit


@pytest.fixture
def program_kit(db: None) -> ProgramKit:
    return ProgramKit()
