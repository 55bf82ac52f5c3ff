"""Events that coaching announces; higher layers (certificates) subscribe."""

from django.dispatch import Signal

# Sent after commit when a coach submits a review. Arguments: review (a Review; its
# `outcome` says approved or resubmit, its `score` the weighted rubric score).
review_submitted = Signal()
