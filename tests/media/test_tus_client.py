"""A real third-party tus client (tuspy) against the live server, through a proxy
that cuts the connection in the middle of a chunk."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from urllib.parse import urlparse

import pytest
from django.core.files.storage import storages
from tusclient import client as tus_client

from media.models import MediaAsset


class CuttingProxy:
    """Relays TCP to the live server; while `cut_after` is set, a connection that
    has carried that many request bytes is dropped without a word."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.cut_after: int | None = None
        self.cuts = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(
                target=self._pipe, args=(client, upstream, True), daemon=True
            ).start()
            threading.Thread(
                target=self._pipe, args=(upstream, client, False), daemon=True
            ).start()

    def _pipe(
        self, source: socket.socket, sink: socket.socket, request_side: bool
    ) -> None:
        carried = 0
        try:
            while data := source.recv(65536):
                carried += len(data)
                if (
                    request_side
                    and self.cut_after is not None
                    and carried > self.cut_after
                ):
                    self.cuts += 1
                    sink.sendall(data[: len(data) // 2])
                    raise ConnectionAbortedError
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def proxy(live_server, reset_without_post_migrate):
    url = urlparse(live_server.url)
    proxy = CuttingProxy(url.hostname, url.port)
    yield proxy
    proxy.close()


def test_it_resumes_a_cut_upload_from_a_real_tus_client(
    proxy, client, rep_factory, tmp_path, monkeypatch
):
    queued = []
    monkeypatch.setattr("media.tasks.asset_process_task.delay", queued.append)
    rep = rep_factory()
    client.force_login(rep)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    source = tmp_path / "call.webm"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 12345))
    tus = tus_client.TusClient(
        f"http://127.0.0.1:{proxy.port}/uploads/", headers={"Cookie": cookie}
    )

    proxy.cut_after = (
        600_000  # tuspy opens a connection per request: cut the first chunk
    )
    first = tus.uploader(
        str(source), chunk_size=1024 * 1024, metadata={"filename": "call.webm"}
    )
    with pytest.raises(Exception):  # noqa: B017 - tuspy raises whatever requests raised
        first.upload()
    assert proxy.cuts == 1
    # The server keeps what arrived before the cut (it may still be storing it).
    deadline = time.monotonic() + 10
    while MediaAsset.objects.get().upload_offset == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    asset = MediaAsset.objects.get()
    assert 0 < asset.upload_offset < source.stat().st_size
    assert asset.status == MediaAsset.Status.UPLOADING

    proxy.cut_after = None
    resumed = tus.uploader(str(source), chunk_size=1024 * 1024, url=first.url)
    resumed.upload()

    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.UPLOADED
    assert asset.upload_offset == source.stat().st_size
    storage = storages["private"]
    digest = hashlib.sha256()
    for name in asset.chunks:
        digest.update(storage.open(name).read())
    assert digest.hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()
    assert queued == [asset.pk]
