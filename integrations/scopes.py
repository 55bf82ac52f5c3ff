"""What an API token may do: its scopes, and who may hold which."""

from __future__ import annotations

PEOPLE_READ = "people:read"
LEARNING_READ = "learning:read"
ASSIGNMENTS_WRITE = "assignments:write"
COACHING_READ = "coaching:read"
CERTIFICATES_READ = "certificates:read"
OUTCOMES_WRITE = "outcomes:write"
WEBHOOKS_MANAGE = "webhooks:manage"
SCIM = "scim"

SCOPES: dict[str, str] = {
    PEOPLE_READ: "Read people and teams",
    LEARNING_READ: "Read courses, paths, assignments, completions and quiz attempts",
    ASSIGNMENTS_WRITE: "Assign and withdraw training",
    COACHING_READ: "Read submitted coaching reviews",
    CERTIFICATES_READ: "Read certificates",
    OUTCOMES_WRITE: "Import sales outcomes",
    WEBHOOKS_MANAGE: "Manage webhooks",
    SCIM: "Provision people and teams (SCIM, identity providers)",
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
            f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(SCOPES)}."
        )
    if not scopes:
        raise ScopeError("Give a token at least one scope.")
    refused = sorted(set(scopes) & SERVICE_ONLY) if not service else []
    if refused:
        raise ScopeError(
            f"Only service tokens (made by enablement admins) may hold: "
            f"{', '.join(refused)}."
        )
    return sorted(set(scopes))
