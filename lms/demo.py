"""The demo organisation, built by `manage.py seed_demo` from steps each app registers.

Steps run in order inside one transaction and must be idempotent: running the command
again updates the demo rather than duplicating it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Log = Callable[[str], None]


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Callable[[Log], None]


_STEPS: dict[str, DemoStep] = {}


def register_demo_step(step: DemoStep) -> None:
    _STEPS[step.name] = step


def demo_steps() -> list[DemoStep]:
    return sorted(_STEPS.values(), key=lambda step: step.order)
