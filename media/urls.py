from django.urls import path

from media.views import playback, recordings, tus

urlpatterns = [
    path("uploads/", tus.uploads, name="tus_uploads"),
    path("uploads/<uuid:public_id>/", tus.upload, name="tus_upload"),
    path("media/<uuid:public_id>/play", playback.playback, name="media_playback"),
    path("media/<uuid:public_id>/poster.jpg", playback.poster, name="media_poster"),
    path("media/<uuid:public_id>/status", playback.status, name="media_status"),
    path("recordings/", recordings.recording_list, name="recording_list"),
    path("recordings/record/", recordings.recording_record, name="recording_record"),
    path(
        "recordings/<uuid:public_id>/",
        recordings.recording_detail,
        name="recording_detail",
    ),
    path(
        "recordings/<uuid:public_id>/delete/",
        recordings.recording_delete,
        name="recording_delete",
    ),
]
