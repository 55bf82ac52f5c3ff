"""Events that SCORM announces; higher layers (integrations) subscribe."""

from django.dispatch import Signal

# Sent after commit when every required SCO of an attempt is done (the step is
# complete). Arguments: attempt (a ScormAttempt).
scorm_attempt_finished = Signal()
