"""The broker is down while a recording finishes uploading (issue 12, item 4): the
upload still succeeds, the job waits in the database, and once Redis is back the
sweeper sends it again and a real worker completes it.

The test starts a Redis server of its own on a free port (the machine's Redis is
shared with other work), stops it, and starts it again. It is skipped where no
`redis-server` is installed.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from lms.celery import app
from media import services
from media.models import MediaAsset
from tests.worker import running_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="needs redis-server to start and stop a broker of its own",
    ),
]

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


class OwnRedis:
    """A throw-away redis-server on 127.0.0.1:`port` that keeps nothing on disk."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    redis = OwnRedis(_free_port())
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """This process sends tasks to `url` (its connection pools made afresh).
    Celery reads CELERY_BROKER_URL from the environment before its settings."""
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    saved_environ = os.environ.get("CELERY_BROKER_URL")

    def reset_pools() -> None:
        # kombu keeps its pools in a registry of its own: closing one there would
        # leave a closed pool for the next test to acquire from.
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    reset_pools()
    try:
        assert app.connection_for_write().as_uri().endswith(url.rsplit(":", 1)[1])
        yield
    finally:
        if saved_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environ
        app.conf.broker_url, app.conf.broker_transport_options = saved
        reset_pools()


def _meta(**values: str) -> str:
    return ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items()
    )


def test_the_sweeper_completes_an_upload_that_finished_while_the_broker_was_down(
    transactional_db,
    reset_without_post_migrate,
    tasks_to_broker,
    settings,
    own_redis,
    rep_factory,
    make_media,
    client,
    tmp_path: Path,
):
    from tests import settings as test_settings

    # The worker process writes to the run's private storage: the test reads it.
    settings.STORAGES = {
        **settings.STORAGES,
        "private": test_settings.STORAGES["private"],
    }
    rep = rep_factory()
    client.force_login(rep)
    payload = make_media("webm", size=(640, 360), seconds=2).read_bytes()
    worker_env = {"CELERY_BROKER_URL": own_redis.url}

    with (
        publishing_to(own_redis.url),
        running_worker(tmp_path, env=worker_env) as (worker, _),
    ):
        created = client.post(
            "/uploads/",
            HTTP_UPLOAD_LENGTH=str(len(payload)),
            HTTP_UPLOAD_METADATA=_meta(filename="call.webm", title="Acme call"),
            **TUS,
        )
        assert created.status_code == 201
        own_redis.stop()

        finished = client.generic(
            "PATCH",
            created["Location"],
            payload,
            content_type="application/offset+octet-stream",
            HTTP_UPLOAD_OFFSET="0",
            **TUS,
        )

        # The person's upload is done; the job could not be sent and waits.
        assert finished.status_code == 204
        asset = MediaAsset.objects.get(owner=rep)
        assert asset.status == MediaAsset.Status.UPLOADED
        assert asset.attempts == 0

        own_redis.start()
        worker.wait_for(
            lambda: "Connected to redis://" in worker.log().rsplit("lost", 1)[-1],
            timeout=60,
            what="the worker to reconnect",
        )
        # The beat's sweeper, ten minutes later, sends the job again.
        later = timezone.now() + dt.timedelta(minutes=11)
        assert services.assets_requeue_stuck(now=later) == 1

        ready = worker.wait_for(
            lambda: MediaAsset.objects.filter(pk=asset.pk, status="ready").first(),
            timeout=120,
            what="the swept job to finish",
        )
    assert ready.attempts == 1
    assert ready.playback_content_type == "video/mp4"
    assert client.get(ready.playback_url).status_code == 200
    assert django_settings.CELERY_BROKER_URL != own_redis.url  # left as it was
