"""The demo organisation's library, loaded from library/demo_data/library.toml
through library.services: items (a pricing one-pager PDF drawn with reportlab, a
case study, battlecards, e-mail templates, talk tracks, links and the product
video from the media pipeline), a flag by Luis, one item due for review and one
expired (from their review dates), Maya's and Grace's share links with prospect
opens, and Spanish translations of a battlecard and the pricing one-pager.
Idempotent: items are found by title, links by rep, item and prospect, opens are
added only up to the number in the file, and a translation is written again in
place."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from wagtail.models import Locale

from library import services
from library.models import ItemFlag, LibraryItem, ShareLink, ShareOpen
from lms.accounts.models import Team, User
from lms.demo import Log
from lms.lib import clock
from media.demo import generated_asset
from media.models import MediaAsset

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "library.toml"
VIDEO_INPUTS = [
    "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=15",
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=15",
]  # fmt: skip
# Documentation addresses (RFC 5737): opens come from "prospects" on them.
PROSPECT_ADDRESSES = ["198.51.100.7", "198.51.100.23", "203.0.113.40"]

PDF_TEXT = {
    "pricing": [
        "Northwind pricing one-pager",
        "Northwind Cloud: 49 per store per month, billed yearly.",
        "Northwind Enterprise: 79 per store per month, with the data team on call.",
        "Volume pricing: 10% off from 100 stores, 18% off from 250 stores.",
        "Every plan: nightly forecasts, promotions and weather, SSO, EU or US hosting.",
        "Prices in USD, valid until 31 December.",
    ],
    "case_study": [
        "Case study: Harbor & Pine",
        "140 home goods stores in the US Northeast.",
        "Problem: seasonal categories ran out while slow lines filled the back rooms.",
        "Northwind forecasts every store and category every night.",
        "Result: 31% fewer stockouts and 12% lower markdowns in two quarters.",
        "Payback in five months.",
    ],
}


def load_library() -> dict[str, Any]:
    with DATA_FILE.open("rb") as data:
        return tomllib.load(data)


def seed_library(log: Log) -> None:
    data = load_library()
    people = {user.full_name: user for user in User.objects.all()}
    admin = people["Priya Nair"]
    today = clock.today()
    items: dict[str, LibraryItem] = {}
    for spec in data["items"]:
        items[spec["title"]] = _seed_item(spec, people, admin, today)
    for spec in data["flags"]:
        item = items[spec["item"]]
        by = people[spec["by"]]
        if not ItemFlag.objects.filter(item=item, flagged_by=by).exists():
            services.item_flag(
                item=item, by=by, reason=spec["reason"], note=spec["note"]
            )
    opens = 0
    for spec in data["shares"]:
        opens += _seed_share(spec, people, items)
    for spec in data["translations"]:
        # The content languages' locales (an lms migration makes them too).
        Locale.objects.get_or_create(language_code=spec["language"])
        services.item_translation_write(
            item=items[spec["item"]],
            language=spec["language"],
            words=spec["words"],
            by=admin,
        )
    log(
        f"library: {len(items)} items, {len(data['flags'])} flag, "
        f"{len(data['shares'])} share links, {opens} prospect opens, "
        f"{len(data['translations'])} translations"
    )


def _seed_item(
    spec: dict[str, Any], people: dict[str, User], admin: User, today: dt.date
) -> LibraryItem:
    fields = {
        "kind": spec["kind"],
        "card_kind": spec.get("card_kind", ""),
        "summary": spec["summary"],
        "body": spec.get("body", ""),
        "url": spec.get("url", ""),
        "product": spec.get("product", ""),
        "deal_stage": spec.get("deal_stage", ""),
        "persona": spec.get("persona", ""),
        "competitor": spec.get("competitor", ""),
        "owner": people[spec["owner"]],
        "shareable": spec.get("shareable", False),
        "review_by": today + dt.timedelta(days=spec["review_in_days"]),
        "audience_everyone": not spec.get("teams"),
    }
    if spec["kind"] == LibraryItem.Kind.VIDEO:
        fields["video"] = _product_video(admin, spec["title"])
    item = LibraryItem.objects.sources().filter(title=spec["title"]).first()
    if item is None:
        item = LibraryItem(title=spec["title"], **fields)
    else:
        for name, value in fields.items():
            setattr(item, name, value)
    item.save()
    if spec.get("teams"):
        item.audience_teams.set(Team.objects.filter(name__in=spec["teams"]))
    if "pdf" in spec and not item.files.exists():
        version = services.item_file_add(
            item=item,
            file=ContentFile(_pdf(PDF_TEXT[spec["pdf"]])),
            filename=spec["title"].split(":")[0].replace(" ", "-").lower() + ".pdf",
            by=admin,
        )
        services.item_preview_make(item_id=item.pk, file_id=version.pk)
        item.refresh_from_db()
    return item


def _product_video(admin: User, title: str) -> MediaAsset:
    asset = MediaAsset.objects.filter(
        kind=MediaAsset.Kind.LESSON_VIDEO, title=title, status=MediaAsset.Status.READY
    ).first()
    if asset is None:
        asset = generated_asset(
            owner=admin,
            title=title,
            filename="northwind-product-tour.mp4",
            ffmpeg_inputs=VIDEO_INPUTS,
            kind=MediaAsset.Kind.LESSON_VIDEO,
        )
    return asset


def _seed_share(
    spec: dict[str, Any], people: dict[str, User], items: dict[str, LibraryItem]
) -> int:
    rep = people[spec["rep"]]
    item = items[spec["item"]]
    link = ShareLink.objects.filter(
        rep=rep, item=item, prospect_email=spec["prospect_email"]
    ).first()
    if link is None:
        link = services.share_link_create(
            item=item,
            rep=rep,
            prospect_name=spec["prospect_name"],
            prospect_email=spec["prospect_email"],
            prospect_company=spec["prospect_company"],
            crm_opportunity_id=spec.get("crm_opportunity_id", ""),
        )
    have = ShareOpen.objects.filter(link=link, action=ShareOpen.Action.OPEN).count()
    for number in range(have, spec["opens"]):
        services.share_open_record(
            link=link,
            address=PROSPECT_ADDRESSES[number % len(PROSPECT_ADDRESSES)],
            action=ShareOpen.Action.OPEN,
            page=1 if item.readable_pages else None,
        )
    return int(spec["opens"])


def _pdf(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(lines[0])
    page.setFont("Helvetica-Bold", 20)
    page.drawString(2 * cm, 26 * cm, lines[0])
    page.setFont("Helvetica", 12)
    for number, line in enumerate(lines[1:]):
        page.drawString(2 * cm, (24 - number) * cm, line)
    page.showPage()
    page.save()
    return buffer.getvalue()
