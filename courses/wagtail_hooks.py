from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import LearningPath, TrainingCampaign


class LearningPathViewSet(SnippetViewSet):
    model = LearningPath
    icon = "list-ol"
    menu_label = _("Learning paths")
    add_to_admin_menu = True
    menu_order = 240
    list_display = ["title"]


register_snippet(LearningPathViewSet)


class TrainingCampaignViewSet(SnippetViewSet):
    model = TrainingCampaign
    icon = "date"
    menu_label = _("Training campaigns")
    add_to_admin_menu = True
    menu_order = 241
    list_display = ["title", "frequency", "starts_on", "active"]


register_snippet(TrainingCampaignViewSet)
