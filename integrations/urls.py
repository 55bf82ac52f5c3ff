from django.urls import include, path

from integrations import views

urlpatterns = [
    path("api/v1/", include("integrations.api.urls")),
    path("integrations/tokens/", views.tokens, name="integration_tokens"),
    path(
        "integrations/tokens/<int:pk>/revoke/",
        views.token_revoke,
        name="integration_token_revoke",
    ),
]
