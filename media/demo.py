"""Demo recordings: a practice pitch by Maya and a call by Luis, generated with ffmpeg
(the call is two-channel, as dialers export calls: media.dialogue) and sent through the
real pipeline (upload, validation, transcode)."""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import imageio_ffmpeg

from lms.accounts.demo import demo_email
from lms.accounts.models import User
from lms.demo import Log
from media import dialogue, services
from media.models import MediaAsset

RECORDINGS = [
    # (owner, title, file name, ffmpeg inputs)
    (
        "Maya Chen",
        "Pricing objection practice",
        "pricing-objection.webm",
        ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=12",
         "-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=12",
         # VP8 in real-time mode: a browser's recording in seconds (VP9's default
         # settings take half a minute here).
         "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "800k"],
    ),
    (
        "Luis Ortega",
        "Discovery call with Acme Retail",
        "acme-discovery.mp3",
        None,  # a two-channel dialogue of CALL_TURNS, made when seeded
    ),
]  # fmt: skip
CALL_TURNS = [
    (0, "Hi Chris, thanks for taking my call."),
    (1, "No problem, I have ten minutes."),
    (0, "Great. Let me tell you everything our platform does for retailers like you, "
        "from dashboards to forecasting to the mobile app."),
    (1, "Okay."),
]  # fmt: skip


def seed_recordings(log: Log) -> None:
    made = 0
    for owner_name, title, filename, inputs in RECORDINGS:
        owner = User.objects.filter(email=demo_email(owner_name)).first()
        if (
            owner is None
            or MediaAsset.objects.filter(owner=owner, title=title).exists()
        ):
            continue
        with tempfile.TemporaryDirectory(prefix="onramp-demo-call-") as folder:
            if inputs is None:
                wav = dialogue.build_dialogue(
                    [dialogue.Turn(speaker, text) for speaker, text in CALL_TURNS]
                ).write_wav(Path(folder) / "call.wav")
                inputs = ["-i", str(wav)]
            generated_asset(
                owner=owner,
                title=title,
                filename=filename,
                ffmpeg_inputs=inputs,
                kind=MediaAsset.Kind.RECORDING,
            )
        made += 1
    log(f"  {made} recordings processed")


def generated_asset(
    *, owner: User, title: str, filename: str, ffmpeg_inputs: list[str], kind: str
) -> MediaAsset:
    """Make a media file with ffmpeg's test sources and send it through the real
    pipeline (upload, validation, transcode), synchronously."""
    source = _made_once(Path(filename).suffix, ffmpeg_inputs)
    asset = services.upload_create(
        owner=owner,
        length=source.stat().st_size,
        filename=filename,
        title=title,
        kind=kind,
    )
    with source.open("rb") as data:
        services.upload_append(asset=asset, offset=0, stream=data)
    processed = services.asset_process(asset_id=asset.pk, run_id="seed_demo")
    assert processed is not None
    return processed


# Each distinct file is made once: the demo's many practice takes are recordings of
# one script, its lesson videos one clip. Made files are kept in a folder for the
# life of the process; the test suite keeps them for its whole run
# (`made_files_kept_in`), so each of its seeds reuses what the first one made.
_made_files: Path | None = None


@contextmanager
def made_files_kept_in(folder: Path) -> Iterator[None]:
    """While the context lasts, `generated_asset` keeps the files it makes in
    `folder` and reuses those already there, also from other processes."""
    global _made_files
    folder.mkdir(parents=True, exist_ok=True)
    outer, _made_files = _made_files, folder
    try:
        yield
    finally:
        _made_files = outer


def _made_once(suffix: str, ffmpeg_inputs: list[str]) -> Path:
    """The file ffmpeg makes of `ffmpeg_inputs` (its format told by `suffix`), made
    now unless a file of the same arguments and input files was made before."""
    global _made_files
    if _made_files is None:
        _made_files = Path(tempfile.mkdtemp(prefix="onramp-demo-media-"))
        atexit.register(shutil.rmtree, _made_files, True)
    key = _made_file_key(suffix, ffmpeg_inputs)
    path = _made_files / f"{key}{suffix}"
    with (_made_files / f"{key}.lock").open("w") as lock:
        # Another process making the same file: wait for it rather than make it too.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = path.with_name(f"{key}-{os.getpid()}-partial{suffix}")
            subprocess.run(
                [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error",
                 *ffmpeg_inputs, "-shortest", "-y", str(partial)],
                check=True,
                timeout=120,
            )  # fmt: skip
            partial.replace(path)
    return path


def _made_file_key(suffix: str, ffmpeg_inputs: list[str]) -> str:
    """A digest of the arguments, where an argument naming a file stands for the
    file's contents (input tracks are written to a new temporary folder each time)."""
    digest = hashlib.sha256(suffix.encode())
    for argument in ffmpeg_inputs:
        path = Path(argument)
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.is_file() else argument.encode())
    return digest.hexdigest()[:32]
