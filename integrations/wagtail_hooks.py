from wagtail import hooks

from integrations.xapi.viewsets import LrsViewSet


@hooks.register("register_admin_viewset")
def register_lrs_viewset() -> LrsViewSet:
    return LrsViewSet()
