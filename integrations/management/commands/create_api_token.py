"""`manage.py create_api_token --user EMAIL --scopes SCOPE[,SCOPE…]`: the token alone
on the last line of the output, for automation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integrations.scopes import SCOPES
from integrations.tokens import TokenRefused, api_token_create
from lms.accounts.models import User


class Command(BaseCommand):
    help = (
        "Make an API token for a manager or an enablement admin (a service token for "
        "an admin) and print it on the last line. Scopes: " + ", ".join(SCOPES)
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The person's e-mail.")
        parser.add_argument(
            "--scopes", required=True, help="Comma-separated, e.g. people:read,scim"
        )
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument("--expires-days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["user"].strip()).first()
        if user is None:
            raise CommandError(f"No one has the e-mail {options['user']}.")
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        try:
            made = api_token_create(
                user=user,
                name=options["name"]
                or f"Made by an operator on {timezone.localdate()}",
                scopes=scopes,
                service=user.is_enablement_admin,
                expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
            )
        except TokenRefused as error:
            raise CommandError(str(error)) from None
        kind = made.token.get_kind_display().lower()
        self.stdout.write(
            f"A {kind} token for {user.email} with {', '.join(made.token.scopes)}"
            + (f", expiring {made.token.expires_at:%Y-%m-%d %H:%M} UTC" if days else "")
            + ". It is shown only now:"
        )
        self.stdout.write(made.secret)
