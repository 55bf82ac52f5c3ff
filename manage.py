#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    # A shell with no SECRET_KEY is a developer's: run in development mode unless
    # DEBUG says otherwise. Production always has SECRET_KEY (and gunicorn, which
    # loads lms.wsgi, gets no such default: it refuses to start without one).
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
