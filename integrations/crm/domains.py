"""Internet domains of prospects and CRM accounts, for content influence.

A share link made without a CRM opportunity id still names the prospect's e-mail
address; the CRM names the deal's account (Salesforce: the Opportunity's
Account.Website; HubSpot: the `domain` of the deal's company). When the two
domains are the same organisation's, the link counts for the deal. Public webmail
domains (gmail.com, outlook.com, yahoo.com, …) say nothing about an organisation
and never match.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Providers whose addresses anyone can have, under any of their country domains
# (yahoo.co.uk, hotmail.es, gmail.com.br): the first label of the domain when the
# rest is a top-level domain (labels of at most three letters, so live.acme.com
# stays acme's).
PUBLIC_MAIL_PROVIDERS = frozenset(
    {
        "aol",
        "gmail",
        "googlemail",
        "gmx",
        "hotmail",
        "icloud",
        "live",
        "msn",
        "outlook",
        "proton",
        "protonmail",
        "rediffmail",
        "yahoo",
        "yandex",
        "ymail",
        "zoho",
    }
)
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "126.com",
        "163.com",
        "fastmail.com",
        "free.fr",
        "hey.com",
        "laposte.net",
        "libero.it",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "orange.fr",
        "pm.me",
        "qq.com",
        "seznam.cz",
        "t-online.de",
        "tutanota.com",
        "web.de",
    }
)


def _clean(host: str) -> str:
    host = host.strip().strip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    if len(labels) < 2 or not all(labels) or len(host) > 253:
        return ""
    return host


def email_domain(address: str) -> str:
    """The domain of an e-mail address, lower case; "" without one."""
    _, at, domain = address.rpartition("@")
    return _clean(domain) if at else ""


def website_domain(website: str) -> str:
    """The domain of a website as a CRM holds it (`https://www.acme.com/`,
    `acme.com`, `www.acme.com`), lower case and without `www.`; "" if none."""
    website = website.strip()
    if not website:
        return ""
    if "://" not in website:
        website = f"//{website}"
    try:
        host = urlsplit(website).hostname or ""
    except ValueError:
        return ""
    return _clean(host)


def is_public_mail(domain: str) -> bool:
    """Anyone can have an address there: it names no organisation."""
    if domain in PUBLIC_MAIL_DOMAINS:
        return True
    provider, *rest = domain.split(".")
    return provider in PUBLIC_MAIL_PROVIDERS and all(len(label) <= 3 for label in rest)


def organisation_domains(address: str) -> list[str]:
    """The domains an e-mail address can match an account by: its own and the
    ones it is a subdomain of (jane@eu.acme.com matches acme.com), none for a
    public webmail address."""
    domain = email_domain(address)
    if not domain or is_public_mail(domain):
        return []
    labels = domain.split(".")
    return [".".join(labels[start:]) for start in range(len(labels) - 1)]
