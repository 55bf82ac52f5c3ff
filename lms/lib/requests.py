"""The request of a signed-in person, for the type checker.

Views behind `login_required`, and pages that send visitors to sign in first, serve
only signed-in people: their `request.user` is a User, never AnonymousUser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from lms.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request `login_required` let through."""

    user: User


def signed_in_user(request: HttpRequest) -> User:
    """The person behind a request that only signed-in people reach."""
    if not request.user.is_authenticated:
        raise PermissionError("This needs a signed-in person.")
    return request.user
