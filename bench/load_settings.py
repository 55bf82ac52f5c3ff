"""Settings of the load test (`bench/load.py`): Onramp's, plus the reference page."""

from lms.settings import *  # noqa: F403
from lms.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.reference"]
ROOT_URLCONF = "bench.urls"
