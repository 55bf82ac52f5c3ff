"""The content library: items reps sell with, their file versions, flags from reps
and the views that measure use."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Subquery
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from lms.accounts.models import Team, User
from lms.lib import clock
from lms.pages import source_language
from media.models import MediaAsset


class Freshness(models.TextChoices):
    CURRENT = "current", _("Current")
    REVIEW_DUE = "review_due", _("Review due")
    EXPIRED = "expired", _("Expired")


class DealStage(models.TextChoices):
    PROSPECTING = "prospecting", _("Prospecting")
    DISCOVERY = "discovery", _("Discovery")
    DEMO = "demo", _("Demo")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    CLOSED = "closed", _("Closed")


@dataclass(frozen=True)
class Reading:
    """How a reader gets an item (library.translations): in their language
    through `translation`, or in the source language when it has none."""

    language: str
    translation: LibraryItem | None = None
    out_of_date: bool = False

    @property
    def untranslated(self) -> bool:
        return self.translation is None and self.language != source_language()


class LibraryItemQuerySet(SearchableQuerySetMixin, models.QuerySet["LibraryItem"]):
    def sources(self) -> LibraryItemQuerySet:
        """Items in the default language: the ones reps find, open, use and share.
        Their translations (rows in other locales, made with wagtail-localize)
        only lend them their words (library.translations)."""
        return self.filter(locale__language_code=source_language())

    def live(self) -> LibraryItemQuerySet:
        """The items in the library: sources (not their translations), not archived
        (archived items stay for their history and links)."""
        return self.sources().filter(archived_at__isnull=True)

    def for_audience(self, person: User) -> LibraryItemQuerySet:
        """Items whose audience includes this person: everyone, or a team whose
        subtree holds the person's team. Admins see every item, owners their own."""
        if not person.is_authenticated:
            return self.none()
        if person.is_enablement_admin:
            return self.all()
        visible = Q(audience_everyone=True) | Q(owner=person)
        if person.team_id is not None:
            # The person's team and those above it: the teams whose path begins
            # the person's team's path, found inside the query (no query of its
            # own for the path).
            own_path = Team.objects.filter(pk=person.team_id).order_by().values("path")
            teams_up = Team.objects.filter(
                StartsWith(Subquery(own_path), F("path"))
            ).values("pk")
            visible |= Q(
                pk__in=LibraryItem.audience_teams.through.objects.filter(
                    team_id__in=teams_up
                ).values("libraryitem_id")
            )
        return self.filter(visible)

    def not_expired(self, today: dt.date | None = None) -> LibraryItemQuerySet:
        """Items still current or in their grace period today."""
        today = today or clock.today()
        grace = dt.timedelta(days=settings.LIBRARY_REVIEW_GRACE_DAYS)
        return self.filter(review_by__gte=today - grace)


class LibraryItem(TranslatableMixin, index.Indexed, models.Model):
    """A piece of sales content (document, video, link or card) that reps find,
    use and share. Enablement admins author it in the Wagtail admin; its owner keeps
    it current and answers flags.

    Items are written in the default language and translated with
    wagtail-localize: a translation is a row in another locale with the same
    translation_key, carrying its own words (title, summary, card text);
    everything else, the file too, is the source's (below)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link")
        CARD = "card", _("Card")

    class CardKind(models.TextChoices):
        BATTLECARD = "battlecard", _("Battlecard")
        TALK_TRACK = "talk_track", _("Talk track")
        EMAIL_TEMPLATE = "email_template", _("E-mail template")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    card_kind = models.CharField(
        _("card kind"),
        max_length=16,
        choices=CardKind.choices,
        blank=True,
        help_text=_(
            "For cards: what sort of card (e-mail templates get a copy button)."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"), blank=True, help_text=_("The card's text."))
    url = models.URLField(
        _("address"), blank=True, help_text=_("For links: where it points.")
    )
    video = models.ForeignKey(
        MediaAsset,
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": MediaAsset.Kind.LESSON_VIDEO},
        help_text=_("For videos: a lesson video from the media library."),
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    deal_stage = models.CharField(
        _("deal stage"), max_length=16, choices=DealStage.choices, blank=True
    )
    persona = models.CharField(_("persona"), max_length=100, blank=True)
    competitor = models.CharField(_("competitor"), max_length=100, blank=True)
    audience_everyone = models.BooleanField(
        _("everyone"),
        default=True,
        help_text=_("Everyone sees it; untick to choose teams."),
    )
    audience_teams = models.ManyToManyField(
        Team,
        verbose_name=_("teams"),
        blank=True,
        related_name="+",
        help_text=_("These teams and their sub-teams see it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the kind's usual review interval from today."),
    )
    shareable = models.BooleanField(
        _("may be shared outside the company"), default=False
    )
    downloadable = models.BooleanField(_("prospects may download it"), default=True)
    extracted_text = models.TextField(blank=True, editable=False)
    preview = models.CharField(max_length=255, blank=True, editable=False)
    # A PDF's pages, and how many of the first ones have a picture for the
    # page-by-page reader of share links (page 1's is `preview`, the others
    # beside it: page_picture_name).
    page_count = models.PositiveIntegerField(default=0, editable=False)
    page_pictures = models.PositiveSmallIntegerField(default=0, editable=False)
    preview_status = models.CharField(max_length=16, blank=True, editable=False)
    preview_failure = models.CharField(max_length=300, blank=True, editable=False)
    # When the preview job was last asked for, and how often: the sweeper asks
    # again for previews stuck "processing" (a worker that died), up to a limit.
    preview_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    preview_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[LibraryItemQuerySet] = LibraryItemQuerySet.as_manager()  # type: ignore[assignment]

    # Set on a source item shown to a reader (read_as): which words they get.
    reading: Reading | None = None

    # Reps' search reads the item's own full-text columns (library/search.py);
    # Wagtail's index serves only the admin's chooser, which autocompletes titles,
    # so the document text is not copied into it on every save.
    search_fields = [
        index.AutocompleteField("title"),
        index.FilterField("id"),
        index.FilterField("kind"),
        index.FilterField("deal_stage"),
        index.FilterField("review_by"),
        index.FilterField("archived_at"),
        index.FilterField("audience_everyone"),
        index.FilterField("owner"),
    ]

    # What a translation carries: its words. The rest is copied from the source
    # when it changes (services.item_translations_sync), and reps are ruled by the
    # source's anyway (audience, owner, review date, tags, sharing). A document's
    # translation has no file of its own: readers get the source's (README,
    # "Translating library items").
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("summary"),
        TranslatableField("body"),
        *(
            SynchronizedField(name)
            for name in (
                "kind",
                "card_kind",
                "url",
                "video",
                "product",
                "deal_stage",
                "persona",
                "competitor",
                "audience_everyone",
                "owner",
                "review_by",
                "shareable",
                "downloadable",
            )
        ),
    ]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("card_kind"),
                FieldPanel("title"),
                FieldPanel("summary"),
            ],
            heading=_("What it is"),
        ),
        FieldPanel("body"),
        FieldPanel("url"),
        FieldPanel("video"),
        MultiFieldPanel(
            [
                FieldPanel("product"),
                FieldPanel("deal_stage"),
                FieldPanel("persona"),
                FieldPanel("competitor"),
            ],
            heading=_("Tags"),
        ),
        MultiFieldPanel(
            [FieldPanel("audience_everyone"), FieldPanel("audience_teams")],
            heading=_("Audience"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("owner"),
                FieldPanel("review_by"),
                FieldPanel("shareable"),
                FieldPanel("downloadable"),
            ],
            heading=_("Ownership and sharing"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        indexes = [models.Index(fields=["review_by"])]
        verbose_name = _("library item")
        verbose_name_plural = _("library items")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if self.reading is not None:
            raise ValueError("An item shown to a reader is not saved (read_as).")
        if self.review_by is None:
            self.review_by = default_review_by(self.kind, self.card_kind)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def read_as(self, language: str, translation: LibraryItem | None) -> LibraryItem:
        """A copy of this source item as a reader of `language` gets it: with the
        words of `translation` (annotated with out_of_date) when there is one.
        Keyed and ruled by the source (pk, audience, freshness, file); never
        saved."""
        shown = copy.copy(self)
        if translation is not None:
            shown.title = translation.title
            shown.summary = translation.summary
            shown.body = translation.body
        shown.reading = Reading(
            language=language,
            translation=translation,
            out_of_date=bool(getattr(translation, "out_of_date", False)),
        )
        return shown

    def copy_for_translation(
        self, locale: Locale, exclude_fields: list[str] | None = None
    ) -> LibraryItem:
        """A new translation (wagtail-localize makes it) starts as a copy of the
        source's words only: the preview and text drawn from the source's file,
        and its preview job's state, stay the source's."""
        translation: LibraryItem = super().copy_for_translation(locale, exclude_fields)
        for name, empty in _NOT_COPIED_TO_TRANSLATIONS.items():
            setattr(translation, name, empty)
        translation.created_at = translation.updated_at = clock.now()
        return translation

    @property
    def translation_state(self) -> str:
        """For the admin's list: whether a translation is up to date (its rows
        are annotated with out_of_date, library.viewsets); empty for a source."""
        state = getattr(self, "out_of_date", None)
        if state is None:
            return ""
        return str(_("Out of date") if state else _("Up to date"))

    def freshness(self, today: dt.date | None = None) -> Freshness:
        today = today or clock.today()
        if self.review_by is None or today <= self.review_by:
            return Freshness.CURRENT
        grace = dt.timedelta(days=settings.LIBRARY_REVIEW_GRACE_DAYS)
        if today <= self.review_by + grace:
            return Freshness.REVIEW_DUE
        return Freshness.EXPIRED

    @property
    def is_email_template(self) -> bool:
        return self.card_kind == self.CardKind.EMAIL_TEMPLATE

    @property
    def preview_failure_label(self) -> str:
        """Why there is no preview, in the reader's language: the reasons are
        stored in English (library.pdf, library.office) and translated when shown."""
        return gettext(self.preview_failure) if self.preview_failure else ""

    @property
    def kind_label(self) -> str:
        if self.kind == self.Kind.CARD and self.card_kind:
            return str(self.get_card_kind_display())
        return str(self.get_kind_display())

    def tags(self) -> list[str]:
        return [
            tag
            for tag in (
                self.product,
                self.get_deal_stage_display() if self.deal_stage else "",
                self.persona,
                self.competitor,
            )
            if tag
        ]

    def current_file(self) -> LibraryFile | None:
        return self.files.order_by("-version").first()

    @property
    def readable_pages(self) -> int:
        """How many of the first pages have a picture, read on share links (a
        preview made before pages were drawn is page 1 only)."""
        return max(1, self.page_pictures) if self.preview else 0

    def page_picture_name(self, number: int) -> str | None:
        """The stored picture of page `number` (from 1), if the item has one."""
        if not 1 <= number <= self.readable_pages:
            return None
        if number == 1:
            return self.preview
        folder, slash, name = self.preview.rpartition("/")
        stem, dot, rest = name.partition(".")
        return f"{folder}{slash}{stem}-{number}{dot}{rest}"

    def page_picture_names(self) -> list[str]:
        """Every stored page picture, page 1 (the preview) first."""
        return [
            name
            for number in range(1, self.readable_pages + 1)
            if (name := self.page_picture_name(number))
        ]

    def is_shareable_now(self, today: dt.date | None = None) -> bool:
        return (
            self.shareable
            and self.archived_at is None
            and self.freshness(today) != Freshness.EXPIRED
        )


# What a new translation does not take from its source: what the preview job drew
# from the source's file, the job's state, and whether it is archived.
_NOT_COPIED_TO_TRANSLATIONS: dict[str, object] = {
    "extracted_text": "",
    "preview": "",
    "page_count": 0,
    "page_pictures": 0,
    "preview_status": "",
    "preview_failure": "",
    "preview_requested_at": None,
    "preview_attempts": 0,
    "archived_at": None,
}


def default_review_by(kind: str, card_kind: str = "") -> dt.date:
    """Today plus the review interval of this kind of item (the card kind's when
    it has one), from LIBRARY_REVIEW_INTERVAL_DAYS."""
    intervals: dict[str, int] = settings.LIBRARY_REVIEW_INTERVAL_DAYS
    days = intervals.get(card_kind) or intervals.get(kind) or intervals["default"]
    return clock.today() + dt.timedelta(days=days)


class LibraryFile(models.Model):
    """One version of an item's file. Replacing the file adds a version; reps
    always get the newest, the older ones stay as history."""

    item = models.ForeignKey(
        LibraryItem, on_delete=models.CASCADE, related_name="files"
    )
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=255, help_text="Name in private storage.")
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["item", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "version"], name="one_library_file_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.version}"


class LibraryVisit(models.Model):
    """When a person last opened the library, and the visit before it: what is
    new since their last visit is what changed after `previous_at`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    previous_at = models.DateTimeField(null=True)
    last_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} last opened the library at {self.last_at}"


class ItemUse(models.Model):
    """A signed-in person viewed, downloaded or copied an item (content usage)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")
        COPY = "copy", _("Copied")

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="uses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["item", "action"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display().lower()} {self.item}"


class ItemFlag(models.Model):
    """A rep's report that an item is outdated, and how its owner (or an admin)
    resolved it. The rows are the log: who flagged and when, who resolved, how
    and when."""

    class Reason(models.TextChoices):
        WRONG_PRICING = "wrong_pricing", _("Wrong pricing")
        WRONG_PRODUCT = "wrong_product", _("Wrong product information")
        BROKEN_LINK = "broken_link", _("Broken link")
        OTHER = "other", _("Other")

    class Resolution(models.TextChoices):
        UPDATED = "updated", _("Updated")
        ARCHIVED = "archived", _("Archived")
        DISMISSED = "dismissed", _("Dismissed")

    item = models.ForeignKey(
        LibraryItem, on_delete=models.CASCADE, related_name="flags"
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(blank=True)
    flagged_at = models.DateTimeField(default=clock.now)
    resolution = models.CharField(max_length=16, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-flagged_at"]
        indexes = [models.Index(fields=["item", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def usable(self, now: dt.datetime | None = None) -> ShareLinkQuerySet:
        """Neither revoked nor past their expiry."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or clock.now())


class ShareLink(models.Model):
    """A link a rep made to show one item to one prospect, at /s/<token>/. The
    token is random (256 bits); the link expires and can be revoked."""

    token = models.CharField(max_length=64, unique=True, editable=False)
    item = models.ForeignKey(
        LibraryItem, on_delete=models.CASCADE, related_name="share_links"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    prospect_name = models.CharField(max_length=150)
    prospect_email = models.EmailField()
    prospect_company = models.CharField(max_length=150)
    crm_opportunity_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ShareLinkQuerySet] = ShareLinkQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["rep", "created_at"])]

    def __str__(self) -> str:
        return f"{self.item} for {self.prospect_name} ({self.prospect_company})"


class ShareOpen(models.Model):
    """A prospect opened a share link, read a page of its PDF or downloaded its
    file. `page` is the page shown (page 1 on opening a PDF with pictures). No
    address is kept: `visitor` is a keyed hash of it, enough to tell visitors
    apart."""

    class Action(models.TextChoices):
        OPEN = "open", _("Opened")
        PAGE = "page", _("Viewed a page")
        DOWNLOAD = "download", _("Downloaded")

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="opens")
    action = models.CharField(max_length=16, choices=Action.choices, default="open")
    page = models.PositiveSmallIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=clock.now)
    visitor = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["link", "at"])]

    def __str__(self) -> str:
        return f"{self.link} {self.get_action_display().lower()} at {self.at}"
