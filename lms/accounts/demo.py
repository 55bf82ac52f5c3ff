"""Northwind Analytics: the people and teams of the demo organisation (DEMO.md)."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from lms.accounts.models import Team, User
from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP, roles_of
from lms.accounts.services import user_move_to_team
from lms.demo import Log

DEMO_PASSWORD = "onramp-demo"
DEMO_DOMAIN = "northwind.example"

REGIONS = {
    "Americas": ["Americas East", "Americas West"],
    "EMEA": ["EMEA North", "EMEA South"],
}
TEAM_TIME_ZONES = {
    "Americas East": "America/New_York",
    "Americas West": "America/Los_Angeles",
    "EMEA North": "Europe/Berlin",
    "EMEA South": "Europe/Madrid",
}

# (full name, team the person is a member of, days since start, time zone)
STAFF = [
    ("Priya Nair", None, 900, "Europe/London"),
    ("Daniel Okafor", None, 1400, "America/New_York"),
    ("Hannah Becker", None, 1200, "Europe/Berlin"),
    ("Sofia Marquez", "Americas East", 730, "America/New_York"),
    ("Tom Reilly", None, 600, "America/Los_Angeles"),
    ("Aiko Tanaka", None, 500, "Europe/Amsterdam"),
]
REPS = [
    ("Maya Chen", "Americas East", 10),
    ("Luis Ortega", "Americas East", 45),
    ("Ethan Brooks", "Americas East", 3),
    ("Olivia Park", "Americas East", 24),
    ("Marcus Johnson", "Americas East", 160),
    ("Ana Souza", "Americas East", 310),
    ("Grace Adeyemi", "Americas West", 90),
    ("Ryan Mitchell", "Americas West", 6),
    ("Fatima Hassan", "Americas West", 33),
    ("Kevin Nguyen", "Americas West", 75),
    ("Isabella Rossi", "Americas West", 210),
    ("Noah Williams", "Americas West", 420),
    ("Jonas Weber", "EMEA North", 400),
    ("Lena Fischer", "EMEA North", 14),
    ("Erik Lindqvist", "EMEA North", 52),
    ("Sanne de Vries", "EMEA North", 120),
    ("Mikael Virtanen", "EMEA North", 260),
    ("Freya Hansen", "EMEA North", 28),
    ("Lucía García", "EMEA South", 8),
    ("Marco Bianchi", "EMEA South", 40),
    ("Inès Moreau", "EMEA South", 66),
    ("Tiago Ferreira", "EMEA South", 150),
    ("Elena Popescu", "EMEA South", 480),
    ("Yusuf Demir", "EMEA South", 19),
]
MANAGERS = {"Daniel Okafor": "Americas", "Hannah Becker": "EMEA"}
COACHES = {
    "Sofia Marquez": ["Americas East"],
    "Tom Reilly": ["Americas West"],
    "Aiko Tanaka": ["EMEA North", "EMEA South"],
}
ADMINS = ["Priya Nair"]
# Who reads Onramp in another language (README "Languages"): Lucía in Madrid in
# Spanish, Jonas in Bengali, the language the material this project grew from was
# written in. Everyone else gets their browser's.
LANGUAGES = {"Lucía García": "es", "Jonas Weber": "bn"}


def demo_email(full_name: str) -> str:
    first = full_name.split(" ")[0].lower()
    ascii_first = (
        unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    )
    return f"{ascii_first}@{DEMO_DOMAIN}"


def seed_people(log: Log) -> None:
    teams = _seed_teams()
    people = [(name, team, days, tz) for name, team, days, tz in STAFF]
    people += [(name, team, days, TEAM_TIME_ZONES[team]) for name, team, days in REPS]
    users = {}
    # Every demo account has the same, published password: hash it once, not thirty
    # times (about 0.7 s each).
    password = make_password(DEMO_PASSWORD)
    for full_name, team_name, days, time_zone in people:
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(time_zone))
        users[full_name] = _seed_user(
            full_name,
            team=teams[team_name] if team_name else None,
            start_date=today - dt.timedelta(days=days),
            time_zone=time_zone,
            password=password,
        )
    for name, team_name in MANAGERS.items():
        teams[team_name].managers.add(users[name])
    for name, team_names in COACHES.items():
        for team_name in team_names:
            teams[team_name].coaches.add(users[name])
    admins, _ = Group.objects.get_or_create(name=ENABLEMENT_ADMINS_GROUP)
    for name in ADMINS:
        users[name].groups.add(admins)
    log(f"  {len(teams)} teams, {len(users)} people")


def demo_logins() -> list[tuple[str, str, str, str]]:
    """The table seed_demo prints: who to sign in as, and what they will see."""
    rows = [("Name", "E-mail", "Roles", "Teams")]
    named = [name for name, *_ in STAFF] + [name for name, *_ in REPS]
    users = User.objects.select_related("team").prefetch_related(
        "managed_teams", "coached_teams"
    )
    by_email = {user.email: user for user in users}
    for name in named:
        user = by_email.get(demo_email(name))
        if user is None:
            continue
        teams = {
            team.name for team in [*user.managed_teams.all(), *user.coached_teams.all()]
        }
        if user.team:
            teams.add(user.team.name)
        rows.append(
            (
                user.full_name,
                user.email,
                ", ".join(sorted(roles_of(user))),
                ", ".join(sorted(teams)) or "—",
            )
        )
    return rows


def _seed_teams() -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for region_name, team_names in REGIONS.items():
        region = Team.objects.filter(name=region_name).first()
        if region is None:
            region = Team.add_root(name=region_name)
        teams[region_name] = region
        for team_name in team_names:
            team = Team.objects.filter(name=team_name).first()
            if team is None:
                team = Team.objects.get(pk=region.pk).add_child(name=team_name)
            teams[team_name] = team
    return teams


def _seed_user(
    full_name: str,
    *,
    team: Team | None,
    start_date: dt.date,
    time_zone: str,
    password: str,
) -> User:
    email = demo_email(full_name)
    user = User.objects.filter(email=email).first()
    if user is None:
        # Created in their team: the courses step gives them the team's paths now,
        # so their onboarding history can be written in this same transaction (a
        # team change would assign the paths again after it commits).
        user = User.objects.create_user(
            email,
            None,
            full_name=full_name,
            start_date=start_date,
            time_zone=time_zone,
            team=team,
        )
        user.password = password
        user.save(update_fields=["password"])
    # Keep the story true on later runs (Maya is always ten days in); people joined
    # Onramp on their start date.
    user.full_name, user.start_date, user.time_zone = full_name, start_date, time_zone
    user.language = LANGUAGES.get(full_name, "")
    user.date_joined = dt.datetime.combine(
        start_date, dt.time(9), tzinfo=zoneinfo.ZoneInfo(time_zone)
    )
    user.save(
        update_fields=[
            "full_name",
            "start_date",
            "time_zone",
            "language",
            "date_joined",
        ]
    )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    user_move_to_team(user=user, team=team)
    return user
