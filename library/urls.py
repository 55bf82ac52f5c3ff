from django.urls import path

from library import views

urlpatterns = [
    path("", views.library_home, name="library_home"),
    path("<int:item_id>/", views.library_item, name="library_item"),
    path("<int:item_id>/download/", views.library_download, name="library_download"),
    path("<int:item_id>/copied/", views.library_copied, name="library_copied"),
    path("<int:item_id>/flag/", views.library_flag, name="library_flag"),
    path("flags/", views.library_flags, name="library_flags"),
    path(
        "flags/<int:flag_id>/resolve/",
        views.library_flag_resolve,
        name="library_flag_resolve",
    ),
    path("<int:item_id>/share/", views.library_share, name="library_share"),
    path("shared/", views.library_shared, name="library_shared"),
    path(
        "shared/<int:link_id>/revoke/",
        views.library_share_revoke,
        name="library_share_revoke",
    ),
    path("<int:item_id>/preview.png", views.library_preview, name="library_preview"),
    path("usage/", views.library_usage, name="library_usage"),
]
