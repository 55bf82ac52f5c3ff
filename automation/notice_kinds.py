"""The kinds of notice a person chooses about on the preferences page."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.notifications.preferences import NoticeKind

# Messages of the sequences: any channel, at once or in the daily digest.
SEQUENCE_KIND = "sequence"


def notice_kinds() -> list[NoticeKind]:
    """The notices a person may choose about: the fixed e-mails of the apps below
    (on or off) and the sequences' messages (any channel, digest)."""
    from automation.delivery import DIGEST_KIND
    from certificates.notices import ISSUED_NOTICE, RENEWAL_NOTICE
    from coaching.notices import (
        ESCALATION_NOTICE,
        REMINDER_NOTICE,
        REQUESTED_NOTICE,
        REVIEWED_NOTICE,
    )
    from courses.reminders import ASSIGNED, DIGEST, DUE_SOON, OVERDUE
    from dashboards.digests import KIND as MANAGER_DIGEST
    from library import notices as library

    fixed = {
        ASSIGNED: _("New training assigned to you"),
        DUE_SOON: _("Training due soon"),
        OVERDUE: _("Training overdue"),
        DIGEST: _("Weekly digest of your training"),
        MANAGER_DIGEST: _("Weekly digest of your teams (managers)"),
        REQUESTED_NOTICE: _("Review requested (coaches)"),
        REVIEWED_NOTICE: _("Your work was reviewed"),
        REMINDER_NOTICE: _("Reviews waiting (coaches)"),
        ESCALATION_NOTICE: _("Reviews past their turnaround"),
        ISSUED_NOTICE: _("Certificate issued"),
        RENEWAL_NOTICE: _("Certificate renewal"),
        library.FLAG_RAISED_NOTICE: _("Library item flagged (owners)"),
        library.FLAG_RESOLVED_NOTICE: _("Your library flag resolved"),
        library.REVIEW_SOON_NOTICE: _("Library review date soon (owners)"),
        library.REVIEW_DUE_NOTICE: _("Library review date passed (owners)"),
        library.OWNER_DIGEST_NOTICE: _("Weekly digest of your library items"),
        library.SHARE_OPENED_NOTICE: _("A prospect opened your share link"),
        DIGEST_KIND: _("Daily digest of tips and nudges"),
    }
    return [NoticeKind(kind, label) for kind, label in fixed.items()] + [
        NoticeKind(SEQUENCE_KIND, _("Tips and nudges"), any_channel=True)
    ]


def digest_subject(*, user: User, day: dt.date) -> str:
    """The daily digest's subject, in the person's language ("Your notices of
    06 December"; the date's format is the translators' choice)."""
    with translation.override(user.preferred_language):
        # Translators: a date format (Django's date filter) for "06 December";
        # escape literal letters with a backslash.
        day_format = pgettext("digest subject: day and month", "d F")
        return gettext("Your notices of %(day)s") % {
            "day": date_format(day, day_format)
        }
