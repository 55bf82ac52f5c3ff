from django.urls import include, path

from integrations import views
from integrations.crm import views as crm_views

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
    path("integrations/crm/", crm_views.connections, name="crm_connections"),
    path("integrations/crm/rates/", crm_views.currency_rate, name="crm_currency_rate"),
    path(
        "integrations/crm/salesforce/connect/",
        crm_views.salesforce_connect,
        name="crm_salesforce_connect",
    ),
    path(
        "integrations/crm/salesforce/callback/",
        crm_views.salesforce_callback,
        name="crm_salesforce_callback",
    ),
    path(
        "integrations/crm/<int:pk>/token/",
        crm_views.connection_token,
        name="crm_connection_token",
    ),
    path(
        "integrations/crm/<int:pk>/reauthorise/",
        crm_views.connection_reauthorise,
        name="crm_connection_reauthorise",
    ),
    path(
        "integrations/crm/<int:pk>/",
        crm_views.connection_detail,
        name="crm_connection",
    ),
    path(
        "integrations/crm/<int:pk>/test/",
        crm_views.connection_test,
        name="crm_connection_test",
    ),
    path(
        "integrations/crm/<int:pk>/pause/",
        crm_views.connection_pause,
        name="crm_connection_pause",
    ),
    path(
        "integrations/crm/<int:pk>/remove/",
        crm_views.connection_remove,
        name="crm_connection_remove",
    ),
    path(
        "integrations/crm/<int:pk>/sync/",
        crm_views.connection_sync,
        name="crm_connection_sync",
    ),
    path(
        "integrations/crm/<int:pk>/owners/",
        crm_views.connection_owners,
        name="crm_connection_owners",
    ),
]
