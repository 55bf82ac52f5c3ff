"""Every write of SCORM: importing a package (a new one, or a new version of one) as
the admin upload and `manage.py import_scorm` both do, launching an attempt, and
storing what a SCO commits, which completes the step through the same
`lesson_complete` as every other step."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from courses.models import CoursePage, LessonCompletion
from courses.scorm.cmi import cmi_clean, outcome, session_seconds
from courses.scorm.models import (
    Sco,
    ScormAttempt,
    ScormPackage,
    ScormPackageVersion,
    ScormPage,
    ScoState,
)
from courses.scorm.packaging import Limits, Package, PackageRefused, package_read
from courses.scorm.signals import sco_result_decided
from courses.services import lesson_complete
from lms.accounts.models import User


def limits() -> Limits:
    return Limits(
        max_files=settings.SCORM_MAX_FILES,
        max_unpacked_bytes=settings.SCORM_MAX_UNPACKED_BYTES,
        max_compression_ratio=settings.SCORM_MAX_COMPRESSION_RATIO,
    )


def _store_files(package: Package) -> str:
    """Write the served files under a new folder of the private storage; on any
    failure remove what was written. Returns the folder."""
    storage = storages["private"]
    folder = uuid.uuid4().hex
    written: list[str] = []
    try:
        for path in package.served_files:
            name = f"scorm/{folder}/{path}"
            saved = storage.save(name, ContentFile(package.files[path]))
            written.append(saved)
            if saved != name:
                raise PackageRefused(
                    gettext("%(path)r could not be stored under its name.")
                    % {"path": path}
                )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return folder


def _delete_files(version_folder: str, paths: list[str]) -> None:
    storage = storages["private"]
    for path in paths:
        storage.delete(f"scorm/{version_folder}/{path}")


@transaction.atomic
def _version_create(
    *, package_row: ScormPackage, package: Package, folder: str, user: User | None
) -> ScormPackageVersion:
    number = (package_row.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ScormPackageVersion.objects.create(
        package=package_row,
        number=number,
        standard=package.standard,
        schema_version=package.schema_version[:64],
        manifest_identifier=package.identifier[:255],
        folder=folder,
        served_files=package.served_files,
        size_bytes=sum(len(package.files[path]) for path in package.served_files),
        uploaded_by=user,
    )
    Sco.objects.bulk_create(
        Sco(
            version=version,
            position=position,
            identifier=sco.identifier[:255],
            title=sco.title[:255],
            launch=sco.launch[:2000],
            mastery_score=sco.mastery_score,
            scaled_passing_score=sco.scaled_passing_score,
            launch_data=sco.launch_data,
        )
        for position, sco in enumerate(package.scos)
    )
    return version


@dataclass(frozen=True)
class Imported:
    package: ScormPackage
    version: ScormPackageVersion
    title: str
    standard_name: str
    sco_count: int
    page: ScormPage | None


def may_add_step(user: User, course: CoursePage) -> bool:
    """Wagtail's page permissions: adding a published step to a course needs both."""
    permissions = course.permissions_for_user(user)
    return bool(permissions.can_add_subpage() and permissions.can_publish_subpage())


def package_import(
    *,
    data: bytes | IO[bytes],
    title: str = "",
    package: ScormPackage | None = None,
    course: CoursePage | None = None,
    user: User | None = None,
) -> Imported:
    """Read and store an uploaded package: as a new package (titled `title`, or
    the manifest's title), or as the next version of `package`. With `course`, also
    adds it to the end of the course as a published SCORM step, when `user` (None:
    an operator at the command line) may add and publish steps there.
    PackageRefused (nothing stored) when it is not a safe, playable package or the
    course is not the user's to change."""
    if course is not None and user is not None and not may_add_step(user, course):
        raise PackageRefused(
            gettext("you may not add steps to %(course)s") % {"course": course.title}
        )
    read = package_read(data, limits=limits())
    folder = _store_files(read)
    try:
        with transaction.atomic():
            if package is None:
                package = ScormPackage.objects.create(title=(title or read.title)[:255])
            version = _version_create(
                package_row=package, package=read, folder=folder, user=user
            )
            page = None
            if course is not None:
                page = ScormPage(title=package.title, body=[], package=package)
                course.add_child(instance=page)
                page.save_revision(user=user).publish(user=user)
    except BaseException:
        _delete_files(folder, read.served_files)
        raise
    return Imported(
        package=package,
        version=version,
        title=package.title,
        standard_name=read.standard_name,
        sco_count=len(read.scos),
        page=page,
    )


class LaunchRefused(Exception):
    """The step cannot be played; str() says why, for the person."""


@transaction.atomic
def attempt_launch(*, user: User, page: ScormPage) -> ScormAttempt:
    """The person's attempt to play: the open one, resumed on the version it was
    started on (a package updated meanwhile does not lose the person's progress),
    or, after a completed one, a new attempt on the newest version."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    version = page.package.current_version
    if version is None:
        raise LaunchRefused(gettext("This package has no version to play yet."))
    latest = ScormAttempt.objects.filter(page=page, user=user).first()
    if latest is not None and latest.completed_at is None:
        return latest
    return ScormAttempt.objects.create(
        page=page,
        page_title=page.title,
        version=version,
        user=user,
        number=(latest.number + 1) if latest else 1,
        token=secrets.token_urlsafe(32),
    )


class CommitRefused(Exception):
    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


@transaction.atomic
def sco_commit(
    *,
    user: User,
    token: str,
    sco_id: int,
    committed: dict[str, Any],
    session: str = "",
) -> ScoState:
    """Store what a SCO committed in the attempt named by `token` (which only a
    launch hands out, to the person who launched). Values are checked per field
    (cmi.py: CmiRefused). When every required SCO of the attempt is done, the
    attempt is complete and so is the step."""
    attempt = (
        # Lock the attempt row only: PostgreSQL cannot lock the nullable side of
        # the join to its page.
        ScormAttempt.objects.select_for_update(of=("self",))
        .select_related("version", "page")
        .filter(token=token, user=user)
        .first()
    )
    if attempt is None:
        raise CommitRefused(gettext("This attempt was never launched by you."))
    sco = Sco.objects.filter(pk=sco_id, version=attempt.version).first()
    if sco is None:
        raise CommitRefused(gettext("This SCO is not part of the attempt's package."))
    standard = attempt.version.standard
    kept = cmi_clean(standard, committed)
    state, _ = ScoState.objects.get_or_create(attempt=attempt, sco=sco)
    if state.done:
        # A finished SCO keeps its finishing record (a replay in review changes
        # nothing); only its place and suspend data move on.
        state.cmi = {
            **state.cmi,
            **{k: v for k, v in kept.items() if "status" not in k},
        }
    else:
        state.cmi = {**state.cmi, **kept}
    result = outcome(
        standard,
        state.cmi,
        mastery_score=sco.mastery_score,
        scaled_passing_score=sco.scaled_passing_score,
    )
    decided_before = state.success_status
    if not state.done:
        state.completion_status = result.completion_status
        state.success_status = result.success_status
        state.score_scaled = result.score_scaled
        state.done = result.done
    if session[:64] != state.session_key:
        state.earlier_seconds += state.session_seconds
        state.session_key = session[:64]
        state.session_seconds = session_seconds(standard, kept)
    elif session_seconds(standard, kept):
        state.session_seconds = session_seconds(standard, kept)
    state.commits += 1
    state.updated_at = timezone.now()
    state.save()
    if state.success_status in ("passed", "failed") and (
        state.success_status != decided_before
    ):
        transaction.on_commit(
            lambda: sco_result_decided.send(sender=ScoState, state=state)
        )
    if state.done and attempt.completed_at is None:
        _attempt_finish_if_complete(attempt)
    return state


def _attempt_finish_if_complete(attempt: ScormAttempt) -> None:
    required = set(
        Sco.objects.filter(version=attempt.version, required=True).values_list(
            "pk", flat=True
        )
    )
    done = set(attempt.sco_states.filter(done=True).values_list("sco_id", flat=True))
    if not required <= done:
        return
    attempt.completed_at = timezone.now()
    attempt.save(update_fields=["completed_at"])
    page = attempt.page
    if page is not None and page.live:
        lesson_complete(user=attempt.user, lesson=page, how=LessonCompletion.How.SCORM)
