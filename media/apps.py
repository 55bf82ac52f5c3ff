from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    """The recording pipeline: upload, validation, transcoding, private playback."""

    name = "media"
    label = "media"
    verbose_name = _("Media pipeline")

    def ready(self) -> None:
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import NavItem, register_nav_item
        from media import demo, signals
        from media.models import MediaAsset

        post_delete.connect(signals.delete_files_with_asset, sender=MediaAsset)
        register_demo_step(DemoStep(20, "recordings", demo.seed_recordings))
        register_nav_item(
            NavItem(
                _("Recordings"), "recording_list", order=15, is_visible=lambda u: True
            )
        )
