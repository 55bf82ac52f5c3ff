"""What an API token may do: its scopes, and who may hold which."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PEOPLE_READ = "people:read"
LEARNING_READ = "learning:read"
ASSIGNMENTS_WRITE = "assignments:write"
COACHING_READ = "coaching:read"
CERTIFICATES_READ = "certificates:read"
OUTCOMES_WRITE = "outcomes:write"
WEBHOOKS_MANAGE = "webhooks:manage"
SCIM = "scim"

# Labels for the token form, in the reader's language.
SCOPES: dict[str, str | Promise] = {
    PEOPLE_READ: _("Read people and teams"),
    LEARNING_READ: _("Read courses, paths, assignments, completions and quiz attempts"),
    ASSIGNMENTS_WRITE: _("Assign and withdraw training"),
    COACHING_READ: _("Read submitted coaching reviews"),
    CERTIFICATES_READ: _("Read certificates"),
    OUTCOMES_WRITE: _("Import sales outcomes"),
    WEBHOOKS_MANAGE: _("Manage webhooks"),
    SCIM: _("Provision people and teams (SCIM, identity providers)"),
}

# Scopes that act on the whole organisation: only service tokens (made by enablement
# admins) may hold them.
SERVICE_ONLY = frozenset({SCIM})


class ScopeError(ValueError):
    """Scopes that do not exist or that this kind of token may not hold."""


def clean_scopes(scopes: list[str] | set[str], *, service: bool) -> list[str]:
    """The scopes, checked and sorted; ScopeError says what is wrong."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ScopeError(
            gettext("Unknown scope(s): %(unknown)s. Known: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(SCOPES)}
        )
    if not scopes:
        raise ScopeError(gettext("Give a token at least one scope."))
    refused = sorted(set(scopes) & SERVICE_ONLY) if not service else []
    if refused:
        raise ScopeError(
            gettext(
                "Only service tokens (made by enablement admins) may hold: %(scopes)s."
            )
            % {"scopes": ", ".join(refused)}
        )
    return sorted(set(scopes))
