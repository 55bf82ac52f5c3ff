"""Time the recording transcode on a 1080p video and a long call recording.

    .venv/bin/python bench/transcode.py [--preset veryfast] [--also-presets ultrafast]

Generates a 60 s 1080p clip (testsrc2 with a tone) and a 10-minute mono call
recording (a tone over pink noise, as MP3) in a scratch folder, runs `transcode()` on
each and prints how many times faster than real time it went. The last line holds the
figures for scripts:

    video_x_realtime=<float> audio_x_realtime=<float> upload_rss_growth_mb=<float>
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import imageio_ffmpeg  # noqa: E402

from media.ffmpeg import probe, transcode  # noqa: E402

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


def measure_upload_rss_growth_mb() -> float:
    print("upload_rss_growth_mb: tus server not built yet")
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument(
        "--also-presets",
        default="",
        help="comma-separated x264 presets to time on the video as well",
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
    rss_growth = measure_upload_rss_growth_mb()
    print(
        f"video_x_realtime={video_speed:.2f} audio_x_realtime={audio_speed:.2f} "
        f"upload_rss_growth_mb={rss_growth:.2f}"
    )


if __name__ == "__main__":
    main()
