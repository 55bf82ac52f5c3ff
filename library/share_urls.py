from django.urls import path

from library import share_views

urlpatterns = [
    path("s/<str:token>/", share_views.share_open, name="share_open"),
    path("s/<str:token>/download/", share_views.share_download, name="share_download"),
    path("s/<str:token>/preview.png", share_views.share_preview, name="share_preview"),
    path("s/<str:token>/page/<int:page>/", share_views.share_page, name="share_page"),
    path(
        "s/<str:token>/page/<int:page>.png",
        share_views.share_page_picture,
        name="share_page_picture",
    ),
]
