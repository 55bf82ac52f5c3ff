"""What can go wrong talking to a CRM, the same for HubSpot and Salesforce."""

from __future__ import annotations


class CrmError(Exception):
    """The CRM refused or could not be reached; the message is shown as is."""


class GarbageAnswer(CrmError):
    """The CRM answered 2xx with something that is not the documented shape."""


class ReauthorisationNeeded(CrmError):
    """The CRM no longer accepts the stored credentials (an expired or revoked
    refresh token, `invalid_grant`, or a 401 that a refresh does not cure): an
    admin must connect again."""


class AccessRefused(CrmError):
    """The CRM refused this call to the credentials (HTTP 403): e.g. a HubSpot
    private app without the scope the call needs."""


class ObjectUnavailable(CrmError):
    """The org has no such object (Salesforce INVALID_TYPE): e.g. ForecastingQuota
    where Collaborative Forecasts is off."""
