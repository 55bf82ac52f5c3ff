"""Links the account page offers from the layers above (e.g. "Download my learning
record"): they register here in ready(), so accounts never names their URLs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class AccountLink:
    label: str
    url_name: str
    description: str
    order: int


_LINKS: dict[str, AccountLink] = {}


def register_account_link(link: AccountLink) -> None:
    _LINKS[link.url_name] = link


def account_links() -> list[dict[str, str]]:
    """The registered links, in order, with their addresses."""
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name),
            "description": link.description,
        }
        for link in sorted(_LINKS.values(), key=lambda link: link.order)
    ]
