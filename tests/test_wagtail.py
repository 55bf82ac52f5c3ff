"""The Wagtail admin for enablement admins and the site's home page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP
from lms.models import HomePage
from tests.factories import UserFactory, make_admin

pytestmark = pytest.mark.django_db


def test_it_lets_enablement_admins_into_the_wagtail_admin(client):
    client.force_login(make_admin())
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


def test_it_keeps_everyone_else_out_of_the_wagtail_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_gives_enablement_admins_no_user_management(client):
    group = Group.objects.get(name=ENABLEMENT_ADMINS_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "access_admin" in codenames
    assert not codenames & {"add_user", "change_user", "delete_user", "add_group"}
    client.force_login(make_admin())
    assert client.get("/admin/users/").status_code == 302


def test_it_lets_enablement_admins_open_the_home_page_editor(client):
    client.force_login(make_admin())
    home = HomePage.objects.get()
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200


def test_it_keeps_the_operators_django_admin_for_staff(client):
    client.force_login(make_admin())
    assert client.get("/django-admin/").status_code == 302
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/accounts/user/").status_code == 200
    assert client.get("/django-admin/accounts/team/").status_code == 200
    assert client.get("/admin/users/").status_code == 200


def test_it_serves_the_home_page_as_the_site_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


class TestHomePageTree(WagtailPageTestCase):
    def test_it_allows_one_home_page_under_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        # max_count: the one created by the migration is the only one there may be.
        assert not HomePage.can_create_at(Page.get_first_root_node())
