"""allauth policy: Onramp is invitation-only, also through single sign-on."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth has no Bengali: the errors a signed-out person meets, in ours.
        "email_password_mismatch": _("That e-mail address and password do not match."),
        "too_many_login_attempts": _(
            "Too many attempts to sign in. Wait a few minutes and try again."
        ),
        "account_inactive": _("This account can no longer sign in."),
        "invalid_password_reset": _("This link no longer works."),
    }

    def send_mail(
        self, template_prefix: str, email: str, context: dict[str, Any]
    ) -> None:
        """allauth's e-mails (a new password, confirming an address) in the
        recipient's language when they chose one; otherwise in the language of
        the page that asked, most likely their own (an address no account uses
        has no one else's)."""
        with translation.override(_language_of(context.get("user"))):
            super().send_mail(template_prefix, email, context)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        """ "Signed in as …" in the person's own language: the page that signed
        them in was still in the visitor's."""
        user = (message_context or {}).get("user")
        with translation.override(_language_of(user)):
            super().add_message(
                request, level, message_template, message_context, extra_tags, message
            )


def _language_of(user: Any) -> str:
    """The person's chosen language, else the one the page speaks."""
    return getattr(user, "language", "") or translation.get_language()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on signs in people who already have an account, matched by an
    address verified both by the identity provider and by Onramp; it never creates
    accounts, and never signs in operators (staff), who keep their own password."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def authenticate_by_email(self, sociallogin: Any) -> tuple[Any, str] | None:
        found = super().authenticate_by_email(sociallogin)
        if found is None:
            return None
        user, email = found
        if user.is_staff or user.is_superuser:
            return None
        if not EmailAddress.objects.filter(
            user=user, email__iexact=email, verified=True
        ).exists():
            return None
        return user, email
