"""gunicorn's settings for Onramp's web processes.

    gunicorn lms.wsgi --config python:lms.gunicorn_config --workers 4 --bind …

The application is loaded once, in the master, before the workers fork
(`preload_app`), and what it allocated while loading (Django, Wagtail, the URL
resolvers, the settings, every module) is then frozen out of the garbage collector's
reach (`gc.freeze`). Those objects live as long as the process; without the freeze,
each full collection in a worker walks all of them (a pause of several milliseconds
in whichever request triggers it, the slow tail of the load test) and, by touching
them, copies into every worker the memory pages they would otherwise share with the
master. The master holds no database connection when it forks, so no worker inherits
one.
"""

import gc
from typing import Any

preload_app = True


def pre_fork(server: Any, worker: Any) -> None:
    from django.db import connections

    connections.close_all()
    gc.freeze()
