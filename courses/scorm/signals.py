"""Events that SCORM announces; higher layers (integrations) subscribe."""

from django.dispatch import Signal

# Sent after commit when a SCO's success status is decided anew in an attempt
# (passed or failed, by the SCO or by the mastery score). Arguments: state (a
# ScoState; its `success_status` says which).
sco_result_decided = Signal()
