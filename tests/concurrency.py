"""Requests that arrive at the same moment, for the tests of races: each action runs
in its own thread (its own database connection), all released together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(
    actions: list[Callable[[], Any]],
) -> tuple[list[Any], list[BaseException]]:
    """Run the actions together; their results and the errors they raised."""
    start = threading.Barrier(len(actions))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(action: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(action())
        except BaseException as error:  # collected for the test's assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
