"""The web processes' gunicorn settings (lms/gunicorn_config.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BEFORE_A_FORK = """
import gc
import lms.wsgi
from django.db import connection
from lms import gunicorn_config

connection.ensure_connection()
gunicorn_config.pre_fork(server=None, worker=None)
print(connection.connection is None, gc.get_freeze_count() > 1000)
"""


def _run(arguments: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_loads_onramp_with_these_settings(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    checked = _run(
        [
            str(gunicorn),
            "--check-config",
            "--config",
            "python:lms.gunicorn_config",
            "lms.wsgi",
        ],
        tmp_path,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_master_forks_workers_with_no_database_connection_and_its_objects_frozen(
    tmp_path,
):
    forked = _run([sys.executable, "-c", BEFORE_A_FORK], tmp_path)
    assert forked.returncode == 0, forked.stderr
    assert forked.stdout.split() == ["True", "True"]
