"""The site's charts: pygal drawing SVG on the server, one look for all of them.

No script and no CDN: pygal's tooltip script is left out, so a chart stands alone
under the Content-Security-Policy (`{% inline_svg %}` places it in a page). Each chart
sits beside a table of the same figures, its text alternative.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)

STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2533",
    foreground_strong="#1d2533",
    foreground_subtle="#5b6575",
    colors=("#1f4fbf", "#c2410c", "#15803d", "#7c3aed", "#0e7490", "#a16207"),
    # The page's Bengali face first (site.css, Bengali letters only): the SVG sits
    # in the page, and many systems have no font that draws a Bengali label.
    font_family='"Onramp Bengali", system-ui, sans-serif',
)


def chart_options(**extra: Any) -> dict[str, Any]:
    """The options every chart shares, with the chart's own (`title`, `height`, …)."""
    return {
        "js": [],  # no scripts from a CDN: the SVG stands alone
        "disable_xml_declaration": True,
        "style": STYLE,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        **extra,
    }


def chart_svg(chart: Any) -> SafeString:
    """The chart as SVG, without the inline script pygal still writes (its tooltip
    settings)."""
    # pygal escapes every label and value it writes into the SVG.
    svg: str = chart.render(is_unicode=True)
    return mark_safe(_SCRIPT.sub("", svg))  # noqa: S308
