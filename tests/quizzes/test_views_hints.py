"""The result page's "what happens next" hints that higher layers register."""

from __future__ import annotations

import pytest

from courses.quizzes import hints


@pytest.fixture(autouse=True)
def _no_hints_from_other_apps(monkeypatch):
    monkeypatch.setattr(hints, "_HINTS", [])


def test_it_returns_the_hints_in_registration_order_without_empty_ones():
    hints.register_result_hint(lambda user, quiz: f"First for {user}")
    hints.register_result_hint(lambda user, quiz: None)
    hints.register_result_hint(lambda user, quiz: "")
    hints.register_result_hint(lambda user, quiz: f"Then {quiz}")
    assert hints.result_hints("maya", "Discovery calls quiz") == [
        "First for maya",
        "Then Discovery calls quiz",
    ]


def test_it_registers_the_same_function_once():
    def program(user, quiz):
        return "Certified Discovery Seller: 3 of 4 requirements met"

    hints.register_result_hint(program)
    hints.register_result_hint(program)
    assert hints.result_hints("maya", "quiz") == [
        "Certified Discovery Seller: 3 of 4 requirements met"
    ]


def test_it_leaves_out_a_hint_that_fails_and_logs_it(caplog):
    def broken(user, quiz):
        raise RuntimeError("no program")

    hints.register_result_hint(broken)
    hints.register_result_hint(lambda user, quiz: "Still shown")
    assert hints.result_hints("maya", "quiz") == ["Still shown"]
    assert "no program" in caplog.text
