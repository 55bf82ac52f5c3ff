"""{% inline_svg svg %}: an SVG drawn on the server (the pygal charts) placed in a page
under its Content-Security-Policy."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A style attribute inside a start tag. The SVG is serialized XML, so a "<" always
# opens a tag and never occurs inside an attribute value or text.
_STYLE_ATTRIBUTE = re.compile(r"""(<[^<>]*?)\s+style=("[^"]*"|'[^']*')""")


@register.simple_tag(takes_context=True)
def inline_svg(context: dict[str, Any], svg: str) -> SafeString:
    """The SVG with its <style> elements carrying the page's nonce, and without the
    style attributes the policy refuses (pygal hides its empty tooltip with one; the
    charts have no script to show it)."""
    nonce = context["request"].csp_nonce
    without_styles = _STYLE_ATTRIBUTE.sub(r"\1", svg)
    return mark_safe(  # noqa: S308 (the SVG was safe; only a nonce is added)
        without_styles.replace("<style", f'<style nonce="{nonce}"')
    )
