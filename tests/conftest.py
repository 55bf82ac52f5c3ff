from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings
from pytest_django import DjangoDbBlocker
from pytest_django.plugin import blocking_manager_key

from lms.lib import catalogues
from tests import parallel
from tests.clock import NOW_VARIABLE, instant_from_env
from tests.factories import RepFactory, TeamFactory, UserFactory

pytest_plugins = [
    "tests.worker",
    "tests.media_fixtures",
    "tests.courses.fixtures",
]


def pytest_configure(config: pytest.Config) -> None:
    """The translations are made from the catalogues as bin/_setup makes them, so
    that tests run straight through pytest see the same."""
    catalogues.compile_all()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    parallel.database_order(items)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    return parallel.make_scheduler(config, log)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    django_db_keepdb: bool,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    """Test processes copy one migrated database instead of each migrating its own
    (tests/parallel.py, migrate_once), unless the database is kept (--reuse-db)."""
    if not django_db_keepdb:
        parallel.migrate_once(django_db_blocker)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # pytest's first process
        with session.config.stash[blocking_manager_key].unblock():
            parallel.drop_template_database()


def pytest_report_header() -> str | None:
    instant = instant_from_env()
    if instant is None:
        return None
    return f"clock: the run starts at {instant.isoformat()} ({NOW_VARIABLE}), ticking"


@pytest.fixture(autouse=True)
def _files_in_tmp_dir(settings: LazySettings, tmp_path: Path) -> None:
    """Every test writes user files to its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits live in the cache: no test inherits another's counters."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a request by a person who prefers
    another leaves it active in the thread (the middleware activates it), and code
    called outside a request would otherwise speak it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def team_factory() -> type[TeamFactory]:
    return TeamFactory


@pytest.fixture
def user_factory() -> type[UserFactory]:
    return UserFactory


@pytest.fixture
def rep_factory() -> type[RepFactory]:
    return RepFactory


class Org:
    """A small organisation with one person in every position the rules know.

    Americas (region) > East, West;  EMEA (region) > North.
    """

    def __init__(self) -> None:
        from tests.factories import make_admin, make_coach, make_manager

        self.americas = TeamFactory(name="Americas")
        self.east = TeamFactory(name="East", parent=self.americas)
        self.west = TeamFactory(name="West", parent=self.americas)
        self.emea = TeamFactory(name="EMEA")
        self.north = TeamFactory(name="North", parent=self.emea)

        self.admin = make_admin(full_name="Ada Admin")
        self.region_manager = make_manager(self.americas, full_name="Rita Region")
        self.east_manager = make_manager(self.east, full_name="Ed East")
        self.emea_manager = make_manager(self.emea, full_name="Emma Emea")
        self.east_coach = make_coach(self.east, full_name="Cora Coach", team=self.east)
        self.multi_coach = make_coach(self.west, self.north, full_name="Milo Multi")
        self.rep_east = RepFactory(team=self.east, full_name="Rae East")
        self.rep_east2 = RepFactory(team=self.east, full_name="Reid East")
        self.rep_west = RepFactory(team=self.west, full_name="Wes West")
        self.rep_north = RepFactory(team=self.north, full_name="Nora North")
        self.loner = UserFactory(full_name="Lou Loner")

    def __getitem__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self, name)


@pytest.fixture
def org(db: None) -> Org:
    return Org()
