"""Events that accounts announces; higher layers subscribe (e.g. path assignment)."""

from django.dispatch import Signal

# Sent after commit when a user joins Onramp or moves team.
# Arguments: user, previous_team (None for a new user), team.
user_team_changed = Signal()
