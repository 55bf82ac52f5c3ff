from django.urls import include, path

from integrations import views

urlpatterns = [
    path("api/v1/", include("integrations.api.urls")),
    path("scim/v2/", include("integrations.scim.urls")),
    path("integrations/tokens/", views.tokens, name="integration_tokens"),
    path("me/learning-record/", views.my_learning_record, name="my_learning_record"),
    path(
        "me/learning-record/xapi/",
        views.my_learning_record_xapi,
        name="my_learning_record_xapi",
    ),
    path(
        "integrations/tokens/<int:pk>/revoke/",
        views.token_revoke,
        name="integration_token_revoke",
    ),
    path("integrations/webhooks/", views.webhooks, name="integration_webhooks"),
    path(
        "integrations/webhooks/<int:pk>/",
        views.webhook_detail,
        name="integration_webhook",
    ),
    path(
        "integrations/webhooks/<int:pk>/toggle/",
        views.webhook_toggle,
        name="integration_webhook_toggle",
    ),
    path(
        "integrations/webhooks/<int:pk>/delete/",
        views.webhook_remove,
        name="integration_webhook_delete",
    ),
    path(
        "integrations/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.webhook_redeliver_view,
        name="integration_webhook_redeliver",
    ),
]
