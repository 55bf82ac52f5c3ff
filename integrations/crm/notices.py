"""The e-mail a CRM connection sends: "needs re-authorisation", once per set of
credentials to the admin who connected it (or, if they cannot act, every
enablement admin)."""

from __future__ import annotations

import hashlib

from django.utils import translation
from django.utils.translation import gettext

from integrations.models import CrmConnection
from lms.accounts.models import User
from lms.lib.urls import absolute_url
from lms.notifications.services import notify_once

REAUTHORISATION_NOTICE = "crm_reauthorisation"


def _recipients(connection: CrmConnection) -> list[User]:
    creator = connection.created_by
    if creator is not None and creator.is_active and creator.is_enablement_admin:
        return [creator]
    return [
        user
        for user in User.objects.filter(is_active=True).order_by("pk")
        if user.is_enablement_admin
    ]


def crm_reauthorisation_notify(*, connection: CrmConnection, reason: str) -> int:
    """E-mail that the CRM refused the stored credentials. The key is the sealed
    credentials' digest: a repeat failure says nothing new, while a failure after
    the admin connected again is news again. Returns how many were sent."""
    digest = hashlib.sha256(connection.credentials_sealed.encode()).hexdigest()[:16]
    sent = 0
    for user in _recipients(connection):
        with translation.override(user.preferred_language):
            subject = gettext("Reconnect %(name)s: the CRM refused Onramp's access") % {
                "name": connection.name
            }
        sent += notify_once(
            user=user,
            kind=REAUTHORISATION_NOTICE,
            key=f"crm:{connection.pk}:{digest}",
            subject=subject,
            template="integrations/email/crm_reauthorisation",
            # Syncing has stopped: an operational alert, not a preference.
            required=True,
            context={
                "first_name": user.get_short_name(),
                "connection": connection,
                "reason": reason,
                "connection_url": absolute_url("crm_connection", connection.pk),
            },
        )
    return sent
