"""How ./bin/test shares the tests among its processes (tests/parallel.py)."""

from __future__ import annotations

from pathlib import Path

from tests.parallel import ONE_PROCESS_MODULES

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_that_seeds_the_demo_stays_in_one_process():
    seeding = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("test_*.py")
        if path.name != Path(__file__).name and "seeded_at(" in path.read_text()
    }
    assert seeding == set(ONE_PROCESS_MODULES)
