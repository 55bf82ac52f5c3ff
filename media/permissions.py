"""Who may see, play and delete media.

Lesson videos play for everyone signed in once ready (authors always). A recording
is private to its owner, and plays besides only for:

- enablement admins;
- the managers of the owner's team (or of a team above it);
- whoever a higher layer grants it to because of how the recording is used: coaching
  lets a coach play a take sent for review while the request routes to them (see
  coaching.permissions.take_recording_grant). Coaching a rep's team is not enough.

This is the one rule every recording view (player, poster, status, detail page)
asks; higher layers add grants with register_recording_grant() from their
AppConfig.ready(), so that media never imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from lms.accounts import visibility
from lms.accounts.models import User
from media.models import MediaAsset

RecordingGrant = Callable[[User, MediaAsset], bool]

_RECORDING_GRANTS: dict[str, RecordingGrant] = {}


def register_recording_grant(name: str, grant: RecordingGrant) -> None:
    """Let `grant(viewer, asset)` open a recording to a viewer it answers True for."""
    _RECORDING_GRANTS[name] = grant


def can_view_asset(viewer: User, asset: MediaAsset) -> bool:
    """Whether the viewer may play this asset (views answer 404 otherwise)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if asset.kind == MediaAsset.Kind.LESSON_VIDEO:
        return asset.status == MediaAsset.Status.READY or viewer.is_enablement_admin
    if asset.owner_id == viewer.pk or viewer.is_enablement_admin:
        return True
    if visibility.is_manager_of(viewer, asset.owner):
        return True
    return any(grant(viewer, asset) for grant in _RECORDING_GRANTS.values())


def can_manage_asset(viewer: User, asset: MediaAsset) -> bool:
    """Delete or rename: the owner, and enablement admins."""
    if not viewer.is_authenticated:
        return False
    return asset.owner_id == viewer.pk or viewer.is_enablement_admin
