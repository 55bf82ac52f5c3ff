from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class MediaAsset(models.Model):
    """One upload and what the pipeline made of it.

    Reps upload (or record in the browser) calls and practice pitches; enablement
    admins upload lesson videos. Every file lives in the private storage under
    `media/<public_id>/` and is only ever served through permission-checked views.
    """

    class Kind(models.TextChoices):
        RECORDING = "recording", _("Recording")
        LESSON_VIDEO = "lesson_video", _("Lesson video")

    class Status(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        UPLOADED = "uploaded", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_assets"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.RECORDING)
    title = models.CharField(max_length=200)
    original_filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.UPLOADING, db_index=True
    )
    failure_reason = models.TextField(blank=True)

    # The upload, as the tus protocol builds it: one stored chunk per PATCH.
    upload_length = models.BigIntegerField()
    upload_offset = models.BigIntegerField(default=0)
    chunks = models.JSONField(default=list, blank=True)

    # Storage names in the private storage; empty until made.
    original = models.CharField(max_length=500, blank=True)
    playback = models.CharField(max_length=500, blank=True)
    playback_content_type = models.CharField(max_length=32, blank=True)
    playback_size = models.BigIntegerField(null=True, blank=True)
    poster = models.CharField(max_length=500, blank=True)

    # What the probe and the transcode found.
    container = models.CharField(max_length=100, blank=True)
    streams_summary = models.CharField(max_length=300, blank=True)
    duration = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    peaks = models.JSONField(default=list, blank=True)

    attempts = models.PositiveSmallIntegerField(default=0)
    # The job run that holds the asset while it is processed (a Celery task id): a
    # redelivered message carries the same id and may carry on; any other waits.
    processing_run_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "kind", "-created_at"])]

    def __str__(self) -> str:
        return self.title or self.original_filename or str(self.public_id)

    def get_absolute_url(self) -> str:
        return reverse("recording_detail", args=[self.public_id])

    @property
    def storage_prefix(self) -> str:
        return f"media/{self.public_id}/"

    @property
    def is_video(self) -> bool:
        return self.playback_content_type.startswith("video/")

    @property
    def upload_url(self) -> str:
        return reverse("tus_upload", args=[self.public_id])

    @property
    def playback_url(self) -> str:
        return reverse("media_playback", args=[self.public_id])

    @property
    def poster_url(self) -> str:
        return reverse("media_poster", args=[self.public_id])

    @property
    def status_url(self) -> str:
        return reverse("media_status", args=[self.public_id])

    def stored_names(self) -> list[str]:
        """Every file this asset holds in storage."""
        names = [*self.chunks, self.original, self.playback, self.poster]
        return [name for name in names if name]
