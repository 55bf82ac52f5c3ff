"""URLs of the load test: Onramp's, and the reference page once more at
`/bare-wagtail/reference/`, served by Wagtail's own page view (`wagtail.views.serve`:
Wagtail's site look-up, locale and routing, one query a level), as the bare Wagtail site
issue 20 measured Onramp against serves it. At `/reference/` Onramp's router serves it
(`lms.pages.serve`, which caches routes), like every Onramp page."""

from django.urls import path
from wagtail import views

from lms.urls import urlpatterns as onramp_urlpatterns

urlpatterns = [
    path("bare-wagtail/reference/", views.serve, {"path": "reference/"}),
    *onramp_urlpatterns,
]
