"""The library for signed-in people: search, the item page, downloads.

Every item is found through library.selectors, which keeps to the viewer's
audience: an item outside it answers 404, on every address."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from library import extensions, metrics, selectors, services, translations
from library.forms import FlagForm, ResolveForm, ShareForm
from library.models import ItemUse, LibraryItem, ShareLink
from lms.accounts.models import User
from lms.lib import clock, spreadsheets
from lms.lib.requests import signed_in_user


def _item_or_404(request: HttpRequest, item_id: int) -> LibraryItem:
    item = selectors.visible_item(viewer=signed_in_user(request), item_id=item_id)
    if item is None:
        raise Http404("No such item in your library.")
    return item


@login_required
@require_safe
def library_home(request: HttpRequest) -> HttpResponse:
    """Search the library (`?q=`), narrow by facets; without a search, what is
    new since the last visit and what was updated recently."""
    user = signed_in_user(request)
    query = request.GET.get("q", "")[:200]
    filters = {
        name: request.GET.get(name, "")[:100]
        for name in ("kind", "stage", "product", "competitor")
    }
    include_expired = request.GET.get("expired") == "1"
    previous_visit = services.library_visit(user=user)
    show_flag_queue = user.is_enablement_admin or selectors.owns_items(user)
    search = selectors.library_search(
        viewer=user, query=query, include_expired=include_expired, **filters
    )
    searching = bool(query.strip() or any(filters.values()))
    return render(
        request,
        "library/home.html",
        {
            "query": query,
            "filters": filters,
            "include_expired": include_expired,
            "search": search,
            "elsewhere": extensions.search_elsewhere(viewer=user, terms=query.strip())
            if query.strip()
            else [],
            "searching": searching,
            # Shown only on the library's front page, not under a search.
            "new_items": []
            if searching
            else selectors.new_since(viewer=user, since=previous_visit),
            "recent_items": []
            if searching
            else selectors.recently_updated(viewer=user),
            "show_flag_queue": show_flag_queue,
            "open_flags": selectors.flag_queue(viewer=user).count()
            if show_flag_queue
            else 0,
        },
    )


@login_required
@require_safe
def library_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """One item: its content (card text, video, link or document), freshness,
    tags and owner, and what the person can do with it."""
    user = signed_in_user(request)
    item = _item_or_404(request, item_id)
    services.item_use_record(item=item, user=user, action=ItemUse.Action.VIEW)
    return render(request, "library/item.html", _item_context(user, item))


def _item_context(user: User, item: LibraryItem, **more: object) -> dict[str, object]:
    return {
        "item": translations.shown_one(user, item),
        "freshness": item.freshness(),
        "current_file": item.current_file(),
        "flag_form": FlagForm(),
        "share_form": ShareForm() if item.is_shareable_now() else None,
        "related_lessons": extensions.related_elsewhere(viewer=user, item=item),
        **more,
    }


@login_required
@require_safe
def library_download(request: HttpRequest, item_id: int) -> FileResponse:
    """The item's current file, as an attachment."""
    user = signed_in_user(request)
    item = _item_or_404(request, item_id)
    current = item.current_file()
    if current is None:
        raise Http404("This item has no file.")
    services.item_use_record(item=item, user=user, action=ItemUse.Action.DOWNLOAD)
    response = FileResponse(
        services.private_storage().open(current.name, "rb"),
        as_attachment=True,
        filename=current.original_filename,
        content_type=current.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def library_copied(request: HttpRequest, item_id: int) -> JsonResponse:
    """The copy button copied a card's text (counted as a use)."""
    item = _item_or_404(request, item_id)
    services.item_use_record(
        item=item, user=signed_in_user(request), action=ItemUse.Action.COPY
    )
    return JsonResponse({"ok": True})


@login_required
@require_POST
def library_flag(request: HttpRequest, item_id: int) -> HttpResponse:
    """Flag the item as outdated, with a reason (required) and a note."""
    user = signed_in_user(request)
    item = _item_or_404(request, item_id)
    form = FlagForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "library/item.html",
            _item_context(user, item, flag_form=form),
            status=400,
        )
    services.item_flag(
        item=item,
        by=user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        _("Thank you: %(owner)s will look at “%(title)s”.")
        % {"owner": item.owner.full_name, "title": item.title},
    )
    return redirect("library_item", item.pk)


@login_required
@require_safe
def library_flags(request: HttpRequest) -> HttpResponse:
    """The flag queue: open flags on the viewer's items (all items for admins)."""
    user = signed_in_user(request)
    if not (user.is_enablement_admin or selectors.owns_items(user)):
        raise PermissionDenied(_("Only item owners and admins have a flag queue."))
    return render(
        request,
        "library/flags.html",
        {
            "flags": [
                (flag, ResolveForm(prefix=f"flag{flag.pk}"))
                for flag in selectors.flag_queue(viewer=user)
            ],
            "resolved": selectors.flags_resolved(viewer=user),
        },
    )


@login_required
@require_POST
def library_flag_resolve(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Resolve one flag as updated, archived or dismissed, with a note."""
    user = signed_in_user(request)
    flag = selectors.flag_for_manager(viewer=user, flag_id=flag_id)
    if flag is None:
        raise Http404("No such flag on your items.")
    form = ResolveForm(request.POST, prefix=f"flag{flag.pk}")
    if not form.is_valid():
        messages.error(
            request, _("Choose an outcome and write a note for the flagger.")
        )
        return redirect("library_flags")
    try:
        services.flag_resolve(
            flag=flag,
            by=user,
            resolution=form.cleaned_data["resolution"],
            note=form.cleaned_data["note"],
        )
    except services.LibraryRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Resolved; %(name)s is told by e-mail.")
            % {"name": flag.flagged_by.full_name},
        )
    return redirect("library_flags")


@login_required
@require_POST
def library_share(request: HttpRequest, item_id: int) -> HttpResponse:
    """Make a share link of the item for one prospect."""
    user = signed_in_user(request)
    item = _item_or_404(request, item_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "library/item.html",
            _item_context(user, item, share_form=form),
            status=400,
        )
    try:
        link = services.share_link_create(item=item, rep=user, **form.cleaned_data)
    except services.LibraryRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("library_item", item.pk)
    messages.success(
        request,
        _("Link for %(name)s made: copy it from the list below and send it.")
        % {"name": link.prospect_name},
    )
    return redirect(f"{reverse('library_shared')}#link-{link.pk}")


@login_required
@require_safe
def library_shared(request: HttpRequest) -> HttpResponse:
    """The rep's share links: who, what, opens and last open; revoke."""
    user = signed_in_user(request)
    return render(
        request,
        "library/shared.html",
        {"rows": selectors.shared_by(rep=user), "site_url": settings.SITE_URL},
    )


@login_required
@require_POST
def library_share_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    user = signed_in_user(request)
    link = ShareLink.objects.filter(pk=link_id, rep=user).first()
    if link is None:
        raise Http404("No such link of yours.")
    services.share_link_revoke(link=link, by=user)
    messages.success(
        request,
        _("The link for %(name)s no longer works.") % {"name": link.prospect_name},
    )
    return redirect("library_shared")


@login_required
@require_safe
def library_preview(request: HttpRequest, item_id: int) -> FileResponse:
    """The first-page picture of the item's current document."""
    item = _item_or_404(request, item_id)
    if not item.preview:
        raise Http404("No preview.")
    response = FileResponse(
        services.private_storage().open(item.preview, "rb"), content_type="image/png"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_safe
def library_usage(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """For enablement admins: content never used and most used in the last
    `days` (90 by default; 0 for ever), with a CSV export of every item."""
    user = signed_in_user(request)
    if not user.is_enablement_admin:
        raise PermissionDenied(_("The usage report is for enablement admins."))
    try:
        days = max(0, min(int(request.GET.get("days", "90")), 3650))
    except ValueError:
        days = 90
    since = clock.now() - dt.timedelta(days=days) if days else None
    usage = metrics.item_usage(since=since)
    if request.GET.get("format") == "csv":
        return _usage_csv(usage, days)
    used = sorted(
        (row for row in usage if row.total),
        key=lambda row: (-row.total, row.item.title),
    )
    return render(
        request,
        "library/usage.html",
        {
            "days": days,
            "never_used": [row for row in usage if not row.total],
            "most_used": used[:20],
        },
    )


def _usage_csv(usage: list[metrics.ItemUsage], days: int) -> StreamingHttpResponse:
    # A report people open in a spreadsheet: headers in the viewer's language
    # (the API's exports keep stable machine headers).
    header = [
        _("Item"),
        _("Kind"),
        _("Owner"),
        _("Review by"),
        _("Views"),
        _("Unique viewers"),
        _("Downloads"),
        _("Shares"),
        _("Prospect opens"),
        _("Pages prospects viewed"),
    ]

    def lines() -> Iterator[str]:
        writer = csv.writer(spreadsheets.Echo())
        yield writer.writerow(header)
        for row in usage:
            yield writer.writerow(
                [
                    spreadsheets.cell(row.item.title),
                    row.item.kind_label,
                    spreadsheets.cell(row.item.owner.full_name),
                    row.item.review_by.isoformat() if row.item.review_by else "",
                    row.views,
                    row.unique_viewers,
                    row.downloads,
                    row.shares,
                    row.prospect_opens,
                    str(row.prospect_pages),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    period = f"{days}-days" if days else "ever"
    response["Content-Disposition"] = (
        f'attachment; filename="library-usage-{period}.csv"'
    )
    return response
