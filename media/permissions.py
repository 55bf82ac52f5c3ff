"""Who may see, play and delete media: the foundation's visibility rules applied."""

from __future__ import annotations

from lms.accounts import visibility
from lms.accounts.models import User
from media.models import MediaAsset


def can_view_asset(viewer: User, asset: MediaAsset) -> bool:
    """Lesson videos: anyone signed in once ready (authors always). Recordings: the
    people allowed to see their owner (themself, coaches, managers, admins)."""
    if not viewer.is_authenticated:
        return False
    if asset.kind == MediaAsset.Kind.LESSON_VIDEO:
        return asset.status == MediaAsset.Status.READY or viewer.is_enablement_admin
    return visibility.can_see_user(viewer, asset.owner)


def can_manage_asset(viewer: User, asset: MediaAsset) -> bool:
    """Delete or rename: the owner, and enablement admins."""
    if not viewer.is_authenticated:
        return False
    return asset.owner_id == viewer.pk or viewer.is_enablement_admin
