"""Events that courses announces; higher layers (certificates) subscribe."""

from django.dispatch import Signal

# Sent after commit when a person's completion finishes a course.
# Arguments: user, course.
course_completed = Signal()

# Sent when a signed-in person opens a lesson step (any kind) with a GET.
# Arguments: user, lesson.
lesson_opened = Signal()
