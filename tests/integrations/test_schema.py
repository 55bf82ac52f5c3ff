from __future__ import annotations

import yaml
from openapi_spec_validator import validate


def test_the_schema_is_valid_openapi_3_and_describes_only_the_api(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "/api/v1/people/" in schema["paths"]


def test_the_docs_are_served_from_this_site_not_a_cdn(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()
    script = client.get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/schema/" in script


def test_the_docs_page_needs_no_inline_code(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<style" not in page and "<script>" not in page


def test_any_unknown_api_address_is_a_problem_detail(client, db):
    for url in ("/api/v1/nothing/", "/api/v1/webhooks/%0A%24/", "/api/v1/people/x/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
