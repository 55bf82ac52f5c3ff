"""allauth policy: Onramp is invitation-only, also through single sign-on."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    # Single sign-on signs in people who already have an account (matched by a
    # verified e-mail address); it never creates accounts on its own.
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False
