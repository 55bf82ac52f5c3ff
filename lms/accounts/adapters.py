"""allauth policy: Onramp is invitation-only, also through single sign-on."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


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
