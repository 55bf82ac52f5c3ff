from django.apps import AppConfig


class MediaConfig(AppConfig):
    """The recording pipeline: upload, validation, transcoding, private playback."""

    name = "media"
    label = "media"
    verbose_name = "Media pipeline"
