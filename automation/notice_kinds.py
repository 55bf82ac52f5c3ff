"""The kinds of notice a person chooses about on the preferences page."""

from __future__ import annotations

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
        ASSIGNED: "New training assigned to you",
        DUE_SOON: "Training due soon",
        OVERDUE: "Training overdue",
        DIGEST: "Weekly digest of your training",
        MANAGER_DIGEST: "Weekly digest of your teams (managers)",
        REQUESTED_NOTICE: "Review requested (coaches)",
        REVIEWED_NOTICE: "Your work was reviewed",
        REMINDER_NOTICE: "Reviews waiting (coaches)",
        ESCALATION_NOTICE: "Reviews past their turnaround",
        ISSUED_NOTICE: "Certificate issued",
        RENEWAL_NOTICE: "Certificate renewal",
        library.FLAG_RAISED_NOTICE: "Library item flagged (owners)",
        library.FLAG_RESOLVED_NOTICE: "Your library flag resolved",
        library.REVIEW_SOON_NOTICE: "Library review date soon (owners)",
        library.REVIEW_DUE_NOTICE: "Library review date passed (owners)",
        library.OWNER_DIGEST_NOTICE: "Weekly digest of your library items",
        library.SHARE_OPENED_NOTICE: "A prospect opened your share link",
        DIGEST_KIND: "Daily digest of tips and nudges",
    }
    return [NoticeKind(kind, label) for kind, label in fixed.items()] + [
        NoticeKind(SEQUENCE_KIND, "Tips and nudges", any_channel=True)
    ]
