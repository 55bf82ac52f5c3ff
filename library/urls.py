from django.urls import path

from library import views

urlpatterns = [
    path("", views.library_home, name="library_home"),
    path("<int:item_id>/", views.library_item, name="library_item"),
    path("<int:item_id>/download/", views.library_download, name="library_download"),
    path("<int:item_id>/copied/", views.library_copied, name="library_copied"),
]
