"""Settings for the test suite: production settings with test-only conveniences."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault(
    "SECRET_KEY", "onramp-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz"
)
# A fixed test key (never used anywhere else): credentials signed in a test verify in
# the worker processes it starts.
os.environ.setdefault(
    "OPEN_BADGES_SIGNING_KEY", "b25yYW1wLXRlc3RzLW9ubHktb2IzLXNpZ25pbmcta3k"
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault(
    "INTEGRATIONS_ENCRYPTION_KEY", "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU="
)
# A fresh folder per test run for the database, the embedded broker and files, shared
# with the worker processes that tests start (they inherit the environment) and
# removed when the process that made it exits.
if "VAR_DIR" not in os.environ:
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="onramp-test-")
    atexit.register(shutil.rmtree, os.environ["VAR_DIR"], True)

from tests.parallel import isolate_xdist_worker  # noqa: E402

# Under pytest-xdist each test process gets a folder, a database (pytest-django) and
# Redis databases of its own; the workers it starts inherit them.
isolate_xdist_worker()

from tests.clock import travel_from_env  # noqa: E402

# ONRAMP_TEST_NOW: this process (pytest, or a worker it starts) begins at the run's
# instant; see tests/clock.py.
travel_from_env()

from lms.env import env_bool  # noqa: E402
from lms.settings import *  # noqa: E402, F403
from lms.settings import DATABASES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "files"},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Static files are looked up when asked for, not all listed (16,000 files, 50 ms) each
# time a test client builds its middleware.
WHITENOISE_AUTOREFRESH = True
# Tests speak plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tests' webhook receivers listen on 127.0.0.1 (the worker process included); the
# tests of the SSRF guard turn this off.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool(
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=True
)
# The test LRS (Ralph) listens on 127.0.0.1 too.
XAPI_ALLOW_PRIVATE_NETWORKS = env_bool("XAPI_ALLOW_PRIVATE_NETWORKS", default=True)
# Tasks run in-process unless a test starts a real worker (see tests/worker.py).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The test process is one process: its memory cache is shared by all it runs, so the
# per-person cache is tested even without Redis (tests/worker.py turns it off in the
# worker processes it starts unless they share Redis).
PERSON_CACHE = env_bool("PERSON_CACHE", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, but a transactional test's teardown empties only the
    # tables with rows (tests/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "tests.postgresql"
    # A commit need not wait for the disk: a test database that a crash loses is
    # made again by the next run. Every write of the live server and the workers
    # commits on its own, so this shortens the browser and worker tests.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-onramp.sqlite3")}
# The Teams fake listens on 127.0.0.1.
TEAMS_WEBHOOK_ALLOW_LOCAL = env_bool("TEAMS_WEBHOOK_ALLOW_LOCAL", default=True)
