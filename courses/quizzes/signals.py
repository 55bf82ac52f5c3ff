"""Events that quizzes announce; higher layers (certificates) subscribe."""

from django.dispatch import Signal

# Sent after commit when an attempt has been graded (submitted by the person, or
# closed by the server at its time limit). Arguments: attempt (a QuizAttempt; its
# `passed` says whether it passed).
quiz_attempt_graded = Signal()
