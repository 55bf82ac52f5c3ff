from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook

from courses.models import Assignment, PathRule
from integrations.models import ApiToken
from integrations.webhooks.services import webhook_create
from lms.accounts.models import User
from tests.integrations.conftest import make_token

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ONRAMP = "urn:onramp:params:scim:schemas:extension:onramp:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Scim:
    def __init__(self, client, token):  # type: ignore[no-untyped-def]
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method, path, body=None, headers=None):  # type: ignore[no-untyped-def]
        return getattr(self.client, method)(
            f"/scim/v2/{path}",
            json.dumps(body) if body is not None else None,
            content_type="application/scim+json",
            headers={**self.headers, **(headers or {})},
        )


@pytest.fixture
def scim(client, org):  # type: ignore[no-untyped-def]
    return Scim(client, make_token(org.admin, ["scim"]))


def maya(**extension):  # type: ignore[no-untyped-def]
    return {
        "schemas": [CORE, ONRAMP],
        "userName": "maya@northwind.example",
        "externalId": "00u1okta",
        "name": {"givenName": "Maya", "familyName": "Chen"},
        "emails": [
            {"value": "maya@northwind.example", "primary": True, "type": "work"}
        ],
        "active": True,
        "locale": "en-US",
        ONRAMP: {
            "startDate": "2026-03-02",
            "timeZone": "America/New_York",
            "team": "East",
            **extension,
        },
    }


def test_an_identity_provider_creates_a_rep_who_gets_onboarding_and_webhooks_hear_it(
    scim, org, catalogue, receiver, django_capture_on_commit_callbacks
):
    PathRule.objects.create(path=catalogue.path, team=org.americas)
    endpoint = webhook_create(
        owner=org.admin,
        url=receiver.url,
        events=["person.created", "assignment.created"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.call("post", "Users", maya())
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Content-Type"] == "application/scim+json"
    assert response["ETag"] == body["meta"]["version"]
    rep = User.objects.get(email="maya@northwind.example")
    assert rep.team == org.east and str(rep.start_date) == "2026-03-02"
    assert rep.full_name == "Maya Chen" and not rep.has_usable_password()
    onboarding = Assignment.objects.get(user=rep)
    assert onboarding.path == catalogue.path and onboarding.reason == "onboarding"
    assert sorted(receiver.events()) == ["assignment.created", "person.created"]
    for request in receiver.requests:
        Webhook(endpoint.secret).verify(request["body"], request["headers"])
    assert body[ONRAMP] == {
        "startDate": "2026-03-02",
        "timeZone": "America/New_York",
        "team": "East",
    }


def test_it_finds_people_by_user_name(scim, org):
    scim.call("post", "Users", maya())
    found = scim.call("get", 'Users?filter=userName eq "MAYA@northwind.example"').json()
    assert (
        found["totalResults"] == 1 and found["Resources"][0]["externalId"] == "00u1okta"
    )
    assert (
        scim.call("get", 'Users?filter=userName eq "nobody@x.example"').json()[
            "totalResults"
        ]
        == 0
    )
    onramp_made = scim.call(
        "get", f'Users?filter=userName eq "{org.rep_east.email}"'
    ).json()
    assert onramp_made["Resources"][0]["id"] == str(org.rep_east.pk)


def test_patch_active_false_deactivates_and_ends_tokens(scim, org, client):
    user_id = scim.call("post", "Users", maya()).json()["id"]
    rep = User.objects.get(pk=user_id)
    client.force_login(rep)
    response = scim.call(
        "patch",
        f"Users/{user_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "value": {"active": "False"}}],
        },
    )
    assert response.status_code == 200 and response.json()["active"] is False
    rep.refresh_from_db()
    assert not rep.is_active
    assert (
        rep.team == org.east and str(rep.start_date) == "2026-03-02"
    )  # a PATCH keeps the rest


def test_deactivating_a_manager_revokes_their_tokens(scim, org):
    make_token(org.east_manager, ["people:read"])
    response = scim.call(
        "patch",
        f"Users/{org.east_manager.pk}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "active", "value": False}],
        },
    )
    assert response.status_code == 200
    assert ApiToken.objects.get(user=org.east_manager).revoked_at is not None


def test_delete_deactivates_keeps_history_and_hides_the_person(scim, org, catalogue):
    from courses.services import assignment_create

    assignment_create(user=org.rep_east, course=catalogue.course, reason="manual")
    assert scim.call("delete", f"Users/{org.rep_east.pk}").status_code == 204
    org.rep_east.refresh_from_db()
    assert not org.rep_east.is_active
    assert Assignment.objects.filter(user=org.rep_east).count() == 1
    assert scim.call("get", f"Users/{org.rep_east.pk}").status_code == 404


def test_etags_guard_against_lost_updates(scim, org):
    created = scim.call("post", "Users", maya())
    user_id, etag = created.json()["id"], created["ETag"]
    assert (
        scim.call(
            "get", f"Users/{user_id}", headers={"If-None-Match": etag}
        ).status_code
        == 304
    )
    ok = scim.call(
        "patch",
        f"Users/{user_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "name.givenName", "value": "May"}],
        },
        headers={"If-Match": etag},
    )
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = scim.call("put", f"Users/{user_id}", maya(), headers={"If-Match": etag})
    assert stale.status_code == 412
    assert User.objects.get(pk=user_id).full_name == "May Chen"


@pytest.mark.parametrize(
    ("change", "scim_type"),
    [
        ({"nickname2": "x"}, "invalidSyntax"),
        ({"userName": "not-an-email", "emails": []}, "invalidValue"),
        ({ONRAMP: {"team": "Nowhere"}}, "invalidValue"),
        ({ONRAMP: {"timeZone": "Mars/Olympus"}}, "invalidValue"),
        ({ONRAMP: {"startDate": "soon"}}, "invalidValue"),
    ],
)
def test_bad_users_are_refused_and_nothing_is_written(scim, org, change, scim_type):
    before = User.objects.count()
    response = scim.call("post", "Users", {**maya(), **change})
    assert response.status_code == 400
    assert response.json()["scimType"] == scim_type
    assert User.objects.count() == before


def test_a_taken_address_is_a_conflict(scim, org):
    body = {
        **maya(),
        "userName": org.rep_east.email,
        "emails": [{"value": org.rep_east.email}],
    }
    assert scim.call("post", "Users", body).json()["scimType"] == "uniqueness"


def test_group_members_set_the_team(scim, org):
    groups = scim.call("get", 'Groups?filter=displayName eq "West"').json()
    west = groups["Resources"][0]
    assert {m["value"] for m in west["members"]} == {str(org.rep_west.pk)}
    patch = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "add", "path": "members", "value": [{"value": str(org.rep_east.pk)}]}
        ],
    }
    assert scim.call("patch", f"Groups/{west['id']}", patch).status_code == 200
    org.rep_east.refresh_from_db()
    assert org.rep_east.team == org.west
    remove = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "remove", "path": f'members[value eq "{org.rep_west.pk}"]'}
        ],
    }
    assert scim.call("patch", f"Groups/{west['id']}", remove).status_code == 200
    org.rep_west.refresh_from_db()
    assert org.rep_west.team is None


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("east_manager", 403)])
def test_scim_needs_a_service_token_with_the_scim_scope(client, org, who, status):
    token = make_token(org[who], ["people:read"]) if who else None
    response = Scim(client, token).call("get", "Users")
    assert response.status_code == status
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    admin_without_scope = Scim(client, make_token(org.admin, ["people:read"]))
    assert admin_without_scope.call("get", "Users").status_code == 403


def test_operators_are_out_of_reach(scim, org):
    operator = User.objects.create_superuser("ops@example.com", "x", full_name="Ops")
    assert scim.call("get", f"Users/{operator.pk}").status_code == 404
    assert scim.call("delete", f"Users/{operator.pk}").status_code == 404


def test_users_search_takes_a_search_request(scim, org):
    scim.call("post", "Users", maya())
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName eq "maya@northwind.example"',
        "attributes": ["userName"],
    }
    found = scim.call("post", "Users/.search", body).json()
    assert found["totalResults"] == 1
    assert set(found["Resources"][0]) == {"schemas", "id", "meta", "userName"}


@pytest.mark.parametrize("path", ["Users/²", "Groups/²", 'Users?filter=id eq "²"'])
def test_ids_that_are_not_numbers_are_not_found(scim, path):
    assert scim.call("get", path).status_code in (200, 404)
