from __future__ import annotations

from typing import Any

from django.db import transaction

from media.models import MediaAsset


def delete_files_with_asset(
    sender: type[MediaAsset], instance: MediaAsset, **kwargs: Any
) -> None:
    """Whatever deletes an asset (the person, retention, a deleted user), its files go
    too, once the deletion is committed."""
    from media.services import delete_folder

    prefix = instance.storage_prefix
    transaction.on_commit(lambda: delete_folder(prefix))
