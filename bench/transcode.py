"""Time the recording transcode on a 1080p video and a long call recording.

    .venv/bin/python bench/transcode.py [--preset veryfast] [--also-presets ultrafast]

Generates a 60 s 1080p clip (testsrc2 with a tone) and a 10-minute mono call
recording (a tone over pink noise, as MP3) in a scratch folder, runs `transcode()` on
each and prints how many times faster than real time it went; then sends the clip
through the whole pipeline `--repetitions` times (an upload, the Celery job on a real
`celery worker -Q media`, validation, transcode, poster, waveform, stored outputs) and,
interleaved with it, runs the pipeline's own playback command (`playback_command()`,
same settings) as plain ffmpeg on the same file, and prints by how much the pipeline's
median is slower; then uploads 1 GB through the tus endpoint of a gunicorn worker and
prints how far its memory rose. The last line holds the figures for scripts:

    video_x_realtime=<float> audio_x_realtime=<float> upload_rss_growth_mb=<float>
    pipeline_overhead_pct=<float>

(all on one line).
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import imageio_ffmpeg  # noqa: E402

from media.ffmpeg import playback_command, probe, transcode  # noqa: E402

VIDEO_SECONDS = 60
AUDIO_SECONDS = 600
CORES = os.cpu_count() or 1


def make_video(folder: Path) -> Path:
    path = folder / "demo-1080p.mp4"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:d={VIDEO_SECONDS}"]
        + ["-f", "lavfi", "-i", f"sine=frequency=440:d={VIDEO_SECONDS}"]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18"]
        + ["-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", str(path)],
        check=True,
    )
    return path


def make_call(folder: Path) -> Path:
    path = folder / "call-10min.mp3"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y"]
        + [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=220:sample_rate=16000:d={AUDIO_SECONDS}",
        ]
        + ["-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.1:sample_rate=16000"]
        + ["-filter_complex", "amix=inputs=2:duration=first", "-ac", "1"]
        + ["-c:a", "libmp3lame", "-b:a", "48k", str(path)],
        check=True,
    )
    return path


def times_realtime(src: Path, workdir: Path, preset: str) -> float:
    source = probe(src)
    cpu_before = _children_cpu_seconds()
    started = time.perf_counter()
    outputs = transcode(src, source, workdir, time_limit=3600, preset=preset)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu_seconds() - cpu_before
    assert source.duration is not None
    speed = source.duration / elapsed
    dimensions = f" {outputs.width}x{outputs.height}" if outputs.width else ""
    print(
        f"{src.name}: {source.summary()}, {source.duration:.1f} s -> "
        f"{outputs.playback.name}{dimensions} "
        f"({outputs.playback.stat().st_size / 1e6:.1f} MB), "
        f"poster {'yes' if outputs.poster else 'no'}, {len(outputs.peaks)} peaks; "
        f"{elapsed:.2f} s with preset {preset} = {speed:.1f}x real time "
        f"(ffmpeg used {cpu:.1f} CPU s: {source.duration / cpu * CORES:.1f}x real "
        f"time if it had all {CORES} cores to itself; load average now "
        f"{os.getloadavg()[0]:.1f})"
    )
    return speed


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


UPLOAD_MB = 1024
ROOT = Path(__file__).resolve().parent.parent


def measure_upload_rss_growth_mb(size_mb: int = UPLOAD_MB) -> float:
    """Upload `size_mb` through the tus endpoint of a real gunicorn worker with a
    third-party client (tuspy, 64 MB requests) and return how far the worker's peak
    resident memory rose above where it stood after a warm-up upload."""
    from tusclient import client as tus_client

    with tempfile.TemporaryDirectory(prefix="onramp-bench-upload-") as scratch:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}
        }
        env.update(DEBUG="true", VAR_DIR=scratch, DJANGO_SETTINGS_MODULE="lms.settings")
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        session_key = subprocess.run(
            [python, "manage.py", "shell", "--no-imports", "-c", _SESSION_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        port = _free_port()
        server = subprocess.Popen(
            [
                str(Path(python).with_name("gunicorn")),
                "lms.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "600",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            worker = _wait_for_worker(server.pid, port)
            client = tus_client.TusClient(
                f"http://127.0.0.1:{port}/uploads/",
                headers={"Cookie": f"sessionid={session_key}"},
            )
            warm_up = Path(scratch) / "warm-up.bin"
            warm_up.write_bytes(os.urandom(4 * 1024 * 1024))
            client.uploader(str(warm_up), chunk_size=2 * 1024 * 1024).upload()
            Path(f"/proc/{worker}/clear_refs").write_text("5")  # reset the peak
            baseline = _memory_kb(worker, "VmRSS")
            big = Path(scratch) / "upload.bin"
            block = os.urandom(16 * 1024 * 1024)
            with big.open("wb") as out:
                for _ in range(size_mb // 16):
                    out.write(block)
            started = time.perf_counter()
            client.uploader(str(big), chunk_size=64 * 1024 * 1024).upload()
            elapsed = time.perf_counter() - started
            growth = (_memory_kb(worker, "VmHWM") - baseline) / 1024
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"upload of {size_mb} MB through tus: {size_mb / elapsed:.0f} MB/s, "
        f"peak worker memory {growth:+.1f} MB over {baseline / 1024:.0f} MB"
    )
    return growth


_SESSION_SCRIPT = """
from django.contrib.sessions.backends.db import SessionStore
from lms.accounts.models import User
user = User.objects.create_user("bench@example.com", "bench-pass-1", full_name="B")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


def _wait_for_worker(master: int, port: int) -> int:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/uploads/", method="OPTIONS"
            )
            urllib.request.urlopen(request, timeout=2)
            children = subprocess.run(
                ["pgrep", "-P", str(master)], capture_output=True, text=True
            ).stdout.split()
            return int(children[0])
        except (OSError, urllib.error.URLError, IndexError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def measure_pipeline_overhead_pct(src: Path, repetitions: int) -> float:
    """How much slower, in per cent of plain ffmpeg, the pipeline makes `src` ready.

    The pipeline's time runs from the moment the upload is complete (`uploaded_at`,
    when the job is enqueued) to `processed_at` (outputs stored, asset ready), both
    stamped by the app itself; plain ffmpeg is `playback_command()` for the same
    file with the settings the job uses, run with nothing around it. The two
    alternate, so that the machine's load falls on both alike; the medians compare.
    """
    with tempfile.TemporaryDirectory(prefix="onramp-bench-pipeline-") as scratch:
        for key in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"):
            os.environ.pop(key, None)
        os.environ.update(
            DEBUG="true",
            VAR_DIR=scratch,
            DJANGO_SETTINGS_MODULE="lms.settings",
            CELERY_TASK_ALWAYS_EAGER="false",
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        log_path = Path(scratch) / "worker.log"
        with log_path.open("w") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "lms", "worker"]
                + ["--queues", "media", "--concurrency", "1", "--loglevel", "INFO"]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        try:
            _wait_for_log(log_path, " ready.")
            plain, pipeline = [], []
            for repetition in range(repetitions):
                plain.append(_plain_ffmpeg_seconds(src, Path(scratch), settings))
                total, queued = _pipeline_seconds(src, log_path)
                pipeline.append(total)
                print(
                    f"repetition {repetition + 1}: pipeline {total:.2f} s (of which "
                    f"{queued:.2f} s before the worker took the job), plain ffmpeg "
                    f"{plain[-1]:.2f} s"
                )
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    overhead = (statistics.median(pipeline) / statistics.median(plain) - 1) * 100
    print(
        f"{src.name} through the pipeline (Celery worker, validation, transcode, "
        f"poster, waveform, storage): median {statistics.median(pipeline):.2f} s "
        f"against {statistics.median(plain):.2f} s for plain ffmpeg with the same "
        f"arguments, over {repetitions} runs each = {overhead:+.1f}%"
    )
    return overhead


def _plain_ffmpeg_seconds(src: Path, scratch: Path, settings: Any) -> float:
    defaults = inspect.signature(transcode).parameters
    destination = scratch / "plain.mp4"
    command = playback_command(
        str(src.resolve()),
        probe(src),
        destination,
        max_height=defaults["max_height"].default,
        preset=defaults["preset"].default,
        crf=defaults["crf"].default,
        max_duration=settings.MEDIA_MAX_DURATION_SECONDS,
    )
    started = time.perf_counter()
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    destination.unlink()
    return elapsed


def _pipeline_seconds(src: Path, log_path: Path) -> tuple[float, float]:
    """From upload to ready, and from upload to the worker's claim, in seconds."""
    from lms.accounts.models import User
    from media.models import MediaAsset
    from media.services import asset_delete, upload_append, upload_create

    owner, _ = User.objects.get_or_create(
        email="bench-pipeline@example.com", defaults={"full_name": "Bench"}
    )
    asset = upload_create(
        owner=owner,
        length=src.stat().st_size,
        filename=src.name,
        kind=MediaAsset.Kind.RECORDING,
    )
    with src.open("rb") as data:
        upload_append(asset=asset, offset=0, stream=data)
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        asset.refresh_from_db()
        if asset.status == MediaAsset.Status.FAILED:
            raise RuntimeError(f"the pipeline failed: {asset.failure_reason}")
        if asset.status == MediaAsset.Status.READY:
            break
        time.sleep(0.2)
    else:
        raise RuntimeError(f"the pipeline did not finish: {log_path.read_text()}")
    uploaded, claimed = asset.uploaded_at, asset.processing_started_at
    assert uploaded is not None and claimed is not None
    assert asset.processed_at is not None
    elapsed = (asset.processed_at - uploaded).total_seconds()
    asset_delete(asset=asset)
    return elapsed, (claimed - uploaded).total_seconds()


def _wait_for_log(log_path: Path, text: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if text in log_path.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise RuntimeError(f"celery worker did not start: {log_path.read_text()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument(
        "--also-presets",
        default="",
        help="comma-separated x264 presets to time on the video as well",
    )
    parser.add_argument(
        "--repetitions",
        type=int,
        default=5,
        help="runs of the pipeline and of plain ffmpeg each, for the overhead",
    )
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="onramp-bench-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        video, call = make_video(folder), make_call(folder)
        print(f"generated sources in {time.perf_counter() - started:.1f} s")

        video_speed = times_realtime(video, folder / "video", arguments.preset)
        for preset in filter(None, arguments.also_presets.split(",")):
            times_realtime(video, folder / f"video-{preset}", preset)
        audio_speed = times_realtime(call, folder / "call", arguments.preset)
        overhead = measure_pipeline_overhead_pct(video, arguments.repetitions)
    rss_growth = measure_upload_rss_growth_mb()
    print(
        f"video_x_realtime={video_speed:.2f} audio_x_realtime={audio_speed:.2f} "
        f"upload_rss_growth_mb={rss_growth:.2f} pipeline_overhead_pct={overhead:.1f}"
    )


if __name__ == "__main__":
    main()
