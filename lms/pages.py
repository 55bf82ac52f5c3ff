"""What every Onramp page in the Wagtail tree shares."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


class SignInRequiredMixin:
    """Company-internal pages: a visitor who is not signed in is sent to sign in."""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response: HttpResponse = super().serve(  # type: ignore[misc]
            request, *args, **kwargs
        )
        return response
