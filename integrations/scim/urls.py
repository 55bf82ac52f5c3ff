from django.urls import path, re_path

from integrations.scim import views

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config),
    path("ResourceTypes", views.resource_types),
    path("ResourceTypes/<str:name>", views.resource_types),
    path("Schemas", views.schema_list),
    re_path(r"^Schemas/(?P<urn>[^/]+)$", views.schema_list),
    path(".search", views.search_all),
    path("Users", views.users, name="scim_users"),
    path("Users/.search", views.users_search),
    path("Users/<str:pk>", views.user_detail, name="scim_user"),
    path("Groups", views.groups, name="scim_groups"),
    path("Groups/<str:pk>", views.group_detail, name="scim_group"),
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found),
]
