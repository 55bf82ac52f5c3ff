"""The disk fills up during a transcode (issue 12, item 4): the recording fails with
a reason, nothing half-written is published or served, and the scratch space is
left clean.

The full disk is real: the transcode's scratch folder is a 2 MB tmpfs mounted for
the test, and another file takes all but a few KB of it right after the upload is
copied in, as another process filling the disk would, so ffmpeg's writes fail with
ENOSPC. Mounting needs root (CI runs as root); elsewhere the test is skipped. A
tmpfs was chosen over RLIMIT_FSIZE because it fails the way a full disk does
(ENOSPC for every writer, ffmpeg and Python alike), not with SIGXFSZ.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import storages

from media import services
from media.models import MediaAsset
from media.tasks import asset_process_task
from tests.media.test_processing import _files, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root (runs in CI)")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def _fill(disk: Path, *, leave: int) -> None:
    """Take all the free space of `disk` but `leave` bytes."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with (disk / "filler").open("ab") as filler:
        filler.write(b"\0" * max(0, free - leave))


def test_it_fails_with_a_reason_and_serves_nothing_when_the_disk_fills(
    rep_factory,
    make_media,
    small_disk,
    monkeypatch,
    client,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(tempfile, "tempdir", str(small_disk))
    fetch = services._fetch_original

    def fetch_then_fill_the_disk(asset, target):
        fetch(asset, target)
        _fill(small_disk, leave=8 * 1024)

    monkeypatch.setattr(services, "_fetch_original", fetch_then_fill_the_disk)
    rep = rep_factory()
    asset = upload_file(rep, make_media("mp4", size=(640, 360), seconds=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert asset_process_task.apply(args=[asset.pk]).get() == "failed"

    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.FAILED
    assert asset.failure_reason == (
        "The server ran out of disk space while processing this file. Try "
        "uploading it again later; if that fails too, tell an administrator."
    )
    assert (asset.playback, asset.poster) == ("", "")
    assert _files(asset) == {asset.original}
    assert storages["private"].exists(asset.original)
    client.force_login(rep)
    assert client.get(asset.playback_url).status_code == 404
    # Every try cleaned its scratch folder, half-written outputs included.
    assert sorted(os.listdir(small_disk)) == ["filler"]
