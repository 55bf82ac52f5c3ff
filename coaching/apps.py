from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Review requests, reviews, time-stamped comments, rubrics, practice prompts."""

    name = "coaching"
    verbose_name = "Coaching"
