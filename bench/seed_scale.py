"""Build the scale data set for bench/dashboard.py; the same as
`manage.py seed_scale`, runnable from the bench folder.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_bench \\
        .venv/bin/python bench/seed_scale.py [--reps 10000] [--seed 8]

Use an empty, migrated scratch database: it refuses to seed twice.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

if __name__ == "__main__":
    call_command("seed_scale", *sys.argv[1:])
