"""The library journey in a browser: Maya finds the pricing one-pager by typing
"pricing" and flags it; Priya, its owner, resolves the flag from her queue and Maya
is told. Maya shares the case study with a prospect, the prospect opens the link
(signed out, in another browser), Maya is e-mailed and her engaged-prospects count on
the start page goes from 0 to 1. Celery runs eagerly, so previews and e-mails happen
as the requests end."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.files.base import ContentFile
from playwright.sync_api import BrowserContext, Page, expect

from library import services
from library.demo import PDF_TEXT, _pdf
from library.models import ItemFlag, LibraryItem, ShareLink
from lms.accounts.demo import DEMO_PASSWORD
from lms.accounts.models import User


def _signed_in(new_context: Callable[..., BrowserContext], email: str) -> Page:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def _library() -> None:
    priya = User.objects.get(email="priya@northwind.example")
    for title, text, summary in (
        ("Northwind pricing one-pager", "pricing", "List prices and discounts."),
        ("Case study: Harbor & Pine", "case_study", "31% fewer stockouts."),
    ):
        item = LibraryItem.objects.create(
            kind="document", title=title, summary=summary, owner=priya, shareable=True
        )
        version = services.item_file_add(
            item=item,
            file=ContentFile(_pdf(PDF_TEXT[text])),
            filename=f"{text}.pdf",
            by=priya,
        )
        services.item_preview_make(item_id=item.pk, file_id=version.pk)


def test_find_flag_resolve_share_and_see_the_prospect_open(
    new_context, demo_people, mailoutbox
):
    _library()
    maya = _signed_in(new_context, "maya@northwind.example")
    maya.goto("/")
    expect(maya.locator("[data-engaged-prospects]")).to_have_text("0")

    # Maya finds the one-pager by a word in its PDF and flags it.
    maya.get_by_role("link", name="Library", exact=True).click()
    maya.get_by_label("Search the library").fill("pricing")
    maya.get_by_role("button", name="Search").click()
    # PostgreSQL matches by stem ("pricing" finds "prices" too); SQLite by the word.
    expect(maya.locator(".snippet mark").first).to_have_text(re.compile("pric", re.I))
    maya.get_by_role("link", name="Northwind pricing one-pager").click()
    expect(
        maya.get_by_alt_text("First page of Northwind pricing one-pager")
    ).to_be_visible()
    maya.locator("summary", has_text="Flag as outdated").click()
    maya.get_by_label("Reason").select_option("wrong_pricing")
    maya.get_by_label("Note").fill("Enterprise went up at kick-off.")
    maya.get_by_role("button", name="Flag as outdated").click()
    expect(maya.get_by_text("Thank you: Priya Nair will look at")).to_be_visible()

    # Priya resolves it from her queue.
    priya = _signed_in(new_context, "priya@northwind.example")
    priya.goto("/library/")
    priya.get_by_role("link", name=re.compile("Flag queue")).click()
    expect(priya.get_by_text("Enterprise went up at kick-off.")).to_be_visible()
    priya.get_by_label("Updated").check()
    priya.get_by_label("Note").fill("New prices are in version 2.")
    priya.get_by_role("button", name="Resolve").click()
    expect(priya.get_by_text("No open flags.")).to_be_visible()
    flag = ItemFlag.objects.get()
    assert flag.resolution == "updated" and flag.resolved_by.full_name == "Priya Nair"
    assert any(
        m.to == ["maya@northwind.example"] and "updated" in m.subject
        for m in mailoutbox
    )

    # Maya shares the case study with a prospect.
    maya.goto("/library/?q=stockouts")
    maya.get_by_role("link", name="Case study: Harbor & Pine").click()
    maya.locator("summary", has_text="Share with a prospect").click()
    maya.get_by_label("Prospect's name").fill("Erin Walsh")
    maya.get_by_label("Prospect's e-mail").fill("erin@harborpine.example")
    maya.get_by_label("Company").fill("Harbor & Pine")
    maya.get_by_role("button", name="Make the link").click()
    expect(maya.get_by_role("heading", name="Shared", exact=True)).to_be_visible()
    link = ShareLink.objects.get()
    address = maya.get_by_label("Link for Erin Walsh").input_value()
    assert address.endswith(f"/s/{link.token}/")

    # The prospect opens it, signed out, in another browser.
    prospect = new_context().new_page()
    prospect.goto(f"/s/{link.token}/")
    expect(
        prospect.get_by_role("heading", name="Case study: Harbor & Pine")
    ).to_be_visible()
    expect(prospect.get_by_role("link", name=re.compile("Download"))).to_be_visible()
    expect(prospect.get_by_text("Priya Nair")).to_have_count(0)

    # Maya is told, and her engaged prospects move.
    assert any(
        m.to == ["maya@northwind.example"] and "Erin Walsh" in m.subject
        for m in mailoutbox
    )
    maya.goto("/library/shared/")
    expect(maya.locator(f"#link-{link.pk} td").nth(3)).to_have_text("1")
    maya.goto("/")
    expect(maya.locator("[data-engaged-prospects]")).to_have_text("1")
