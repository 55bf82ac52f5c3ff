"""How long something lasts, or where a moment is in a recording, as people read it.

One rule for the whole site, on the server and in the browser (site.js's
`Onramp.formatDuration` follows it, and a test compares the two): m:ss under an hour,
h:mm:ss from one hour on ("0:59", "1:00", "1:02:03", never "62:03"), whole seconds
rounded down, and "0:00" for anything below zero.
"""

from __future__ import annotations

import math
from decimal import Decimal


def format_duration(seconds: float | Decimal | None) -> str:
    """The duration as m:ss or h:mm:ss; "" when there is none."""
    if seconds is None:
        return ""
    value = float(seconds)
    whole = math.floor(value) if math.isfinite(value) and value > 0 else 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
