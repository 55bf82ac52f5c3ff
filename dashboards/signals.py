"""Events that dashboards announces; higher layers (integrations) subscribe."""

from django.dispatch import Signal

# Sent after commit when sales outcomes were imported (CSV upload or API).
# Arguments: importer (a User), people (the ids of the people whose months were
# written), summary ({"imported", "created", "updated", "months"}).
outcomes_imported = Signal()
