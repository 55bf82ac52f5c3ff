from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.account import AccountView

from lms import navigation
from lms.accounts import services, visibility
from lms.accounts.forms import InvitationAcceptForm, InvitationForm, ProfileForm
from lms.accounts.models import Invitation, User
from lms.lib.redirects import next_url, redirect_back
from lms.lib.requests import SignedInRequest


def _require_team_lead(user: User) -> None:
    if not (user.is_manager or user.is_enablement_admin):
        raise PermissionDenied(_("Only managers and enablement admins manage teams."))


@login_required
def invitation_new(request: SignedInRequest) -> HttpResponse:
    _require_team_lead(request.user)
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                invited_by=request.user, request=form.to_request()
            )
        except services.InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect_back(request)
    return render(
        request,
        "accounts/invitation_new.html",
        {
            "form": form,
            "valid_days": settings.INVITATION_VALID_DAYS,
            "next": next_url(request),
        },
    )


def _invitation_in_scope(request: SignedInRequest, pk: int) -> Invitation:
    _require_team_lead(request.user)
    return get_object_or_404(visibility.invitations_visible_to(request.user), pk=pk)


@login_required
@require_POST
def invitation_resend(request: SignedInRequest, pk: int) -> HttpResponse:
    invitation = _invitation_in_scope(request, pk)
    try:
        services.invitation_resend(invitation=invitation)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("A new invitation link was sent to %(email)s.")
            % {"email": invitation.email},
        )
    return redirect_back(request)


@login_required
@require_POST
def invitation_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    invitation = _invitation_in_scope(request, pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invitation for %(email)s was withdrawn.")
            % {"email": invitation.email},
        )
    return redirect_back(request)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public page behind the e-mailed link: the invited person sets a password."""
    if request.user.is_authenticated:
        return render(
            request, "accounts/invitation_accept.html", {"signed_in_as": request.user}
        )
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return render(
            request,
            "accounts/invitation_accept.html",
            {"error": str(error)},
            status=410,
        )
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except services.InvitationError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to Onramp, %(name)s.") % {"name": user.get_short_name()},
            )
            return redirect("/")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile_links": navigation.profile_links(download=False),
            "data_links": navigation.profile_links(download=True),
        },
    )


class WagtailAccountView(AccountView):
    """Wagtail's account page without its name and e-mail panel: Onramp keeps one full
    name (profile page) and changes addresses only after confirmation (allauth)."""

    def get_panels(self) -> list[Any]:
        return [panel for panel in super().get_panels() if panel.name != "name_email"]


wagtail_account = require_admin_access(WagtailAccountView.as_view())
