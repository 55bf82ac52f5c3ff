from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Collection, Iterator
from functools import cached_property
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from lms.lib import clock
from lms.lib.urls import absolute_url

INVITATION_SALT = "onramp.accounts.invitation"
# Django's own salt for the session hash: sessions made before session_generation
# existed (generation 0) stay valid.
SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


def new_invitation_nonce() -> str:
    return secrets.token_urlsafe(16)


def validate_plain_text(value: str) -> None:
    """Names end up in e-mail headers and PDFs: no line breaks or control characters."""
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ValidationError(_("Use letters, spaces and punctuation only."))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a known time zone."), params={"zone": repr(value)}
        )


class Team(MP_Node):
    """A team or region in the organisation tree (region > team).

    Managers of a team see everyone in its subtree; coaches coach the reps in it.
    """

    name = models.CharField(max_length=100, unique=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coached_teams", blank=True
    )

    node_order_by = ["name"]
    # treebeard's MP_NodeManager; declared for type checkers (treebeard has no types).
    objects: ClassVar[models.Manager[Team]]

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def paths_up_from(path: str) -> list[str]:
        """The materialised paths of the team at `path` and of every team above it
        (its prefixes, one tree level each): filter `team__path__in` with them to
        find what the team or an ancestor holds, in one query."""
        step = Team.steplen
        return [path[:end] for end in range(step, len(path) + 1, step)]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **fields: object
    ) -> User:
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **fields: object
    ) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in: reps, coaches, managers and enablement admins.

    A rep is a member of one team; coaching and managing are relations on Team, so one
    person can hold several roles.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, validators=[validate_plain_text])
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text=_("Hire date: onboarding is due relative to it."),
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_(
            "The interface and e-mails in this language; empty: the browser's."
        ),
    )
    weekly_digest = models.BooleanField(
        default=True,
        help_text=_(
            "A Monday e-mail listing open training with due dates and progress. "
            "Notices of new, nearly due and overdue training are always sent."
        ),
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text=_("May use the operators' Django admin.")
    )
    date_joined = models.DateTimeField(default=timezone.now)
    session_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Raised to end every session of this person: on deactivation and on "
            "every password change."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        if self._ends_sessions():
            self.session_generation += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "session_generation",
                }
        super().save(*args, **kwargs)
        self._stored_access = self._access()

    @classmethod
    def from_db(
        cls,
        db: str | None,
        field_names: Collection[str],
        values: Collection[Any],
        **kwargs: Any,
    ) -> User:
        user = super().from_db(db, field_names, values, **kwargs)
        user._stored_access = user._access()
        return user

    def _access(self) -> tuple[str | None, bool | None]:
        # Read from __dict__: a deferred field is unknown, never a change.
        return self.__dict__.get("password"), self.__dict__.get("is_active")

    def _ends_sessions(self) -> bool:
        """Whatever the door (Django admin, Wagtail admin, a password change or
        reset, a service): deactivating a person or changing their password ends all
        their sessions, so that reactivating them or restoring a password never
        brings an old session back. The person's own password change keeps the
        session they made it in (Django's update_session_auth_hash). A bulk
        QuerySet.update() bypasses this: deactivate people one save() at a time."""
        stored = getattr(self, "_stored_access", None)
        if stored is None:  # a new person, or one not loaded from the database
            return False
        stored_password, stored_active = stored
        password, active = self._access()
        deactivated = stored_active is True and active is False
        password_changed = None not in (stored_password, password) and (
            stored_password != password
        )
        return deactivated or password_changed

    def get_session_auth_hash(self) -> str:
        return self._session_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str | bytes) -> str:
        """Django's session hash (an HMAC of the password hash) with the session
        generation mixed in: raising the generation ends every session."""
        value = self.password
        if self.session_generation:
            value = f"{value}:{self.session_generation}"
        return salted_hmac(
            SESSION_HASH_SALT, value, secret=secret, algorithm="sha256"
        ).hexdigest()

    @property
    def day_number(self) -> int | None:
        """Which day of their time here it is for the person, in their own time zone
        (day 1 is the start date)."""
        if self.start_date is None:
            return None
        today = clock.today(self.time_zone)
        return (today - self.start_date).days + 1

    def get_full_name(self) -> str:
        return self.full_name

    @property
    def preferred_language(self) -> str:
        """The language to write to this person in (pages follow LocaleMiddleware
        and the profile; e-mails, PDFs and stored messages follow this): their
        choice, else the site's."""
        return self.language or settings.LANGUAGE_CODE

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        from lms.accounts.roles import roles_of

        return roles_of(self)

    @property
    def is_rep(self) -> bool:
        return "rep" in self.roles

    @property
    def is_coach(self) -> bool:
        return "coach" in self.roles

    @property
    def is_manager(self) -> bool:
        return "manager" in self.roles

    @property
    def is_enablement_admin(self) -> bool:
        return "admin" in self.roles


class Invitation(models.Model):
    """An e-mailed invitation to join Onramp, sent by an enablement admin or a manager.

    The link carries a signed token (never the primary key alone); resending changes the
    nonce, so older links stop working.
    """

    class Role(models.TextChoices):
        REP = "rep", _("Rep (team member)")
        COACH = "coach", _("Coach of the team")
        MANAGER = "manager", _("Manager of the team")

    email = models.EmailField()
    full_name = models.CharField(max_length=150, validators=[validate_plain_text])
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REP)
    start_date = models.DateField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nonce = models.CharField(max_length=32, default=new_invitation_nonce)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the current link was asked for (creation or resend): it expires from here.
    send_requested_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "email",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return str(_("Invitation for %(email)s") % {"email": self.email})

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def expires_at(self) -> dt.datetime:
        return self.send_requested_at + dt.timedelta(
            days=settings.INVITATION_VALID_DAYS
        )

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def token(self) -> str:
        signer = signing.Signer(salt=INVITATION_SALT)
        return signer.sign_object({"id": self.pk, "nonce": self.nonce})

    @property
    def accept_url(self) -> str:
        return absolute_url("invitation_accept", self.token)
