"""No template or page script needs what the Content-Security-Policy refuses: inline
scripts, event handler attributes, javascript: URLs, style attributes or <style>
elements, eval. (E-mail templates are left out: mail programs know no CSP, and styles
written inline are the only ones they all honour.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "lms",
    "media",
    "library",
    "courses",
    "coaching",
    "certificates",
    "dashboards",
    "automation",
    "integrations",
)


def _is_email(template: Path) -> bool:
    return "email" in template.parent.parts or template.name.startswith("email_")


TEMPLATES = sorted(
    template
    for app in APPS
    for template in (ROOT / app).rglob("templates/**/*.html")
    if not _is_email(template)
)
SCRIPTS = sorted(
    script for app in APPS for script in (ROOT / app).rglob("static/**/*.js")
)

# A start tag, with template tags inside it allowed.
_TAG = re.compile(r"<[a-zA-Z](?:[^<>]|\{[%{].*?[%}]\})*>", re.DOTALL)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_it_checks_every_template_and_script():
    assert len(TEMPLATES) > 50
    assert ROOT / "lms/templates/base.html" in TEMPLATES
    assert ROOT / "lms/static/lms/site.js" in SCRIPTS


@pytest.mark.parametrize("template", TEMPLATES, ids=_name)
def test_it_has_no_inline_code_or_styles(template: Path):
    text = template.read_text()
    for tag in _TAG.findall(text):
        assert not _HANDLER.search(tag), f"event handler attribute in {tag}"
        assert not _STYLE_ATTRIBUTE.search(tag), f"style attribute in {tag}"
    assert "javascript:" not in text.lower()
    assert "<style" not in text.lower()
    for attributes, body in _SCRIPT.findall(text):
        if 'type="application/json"' in attributes:
            continue
        assert "src=" in attributes and not body.strip(), f"inline script in {template}"
        # Deferred scripts run in order once the page is parsed: site.js first.
        assert " defer" in attributes, f"<script{attributes}> is not deferred"


@pytest.mark.parametrize("script", SCRIPTS, ids=_name)
def test_it_has_no_script_that_the_policy_refuses(script: Path):
    text = script.read_text()
    assert not re.search(
        r"\beval\(|new Function\(|set(?:Timeout|Interval)\(\s*['\"`]", text
    )
    assert not re.search(r"setAttribute\(\s*['\"](?:on[a-z]+|style)['\"]", text)
    assert "javascript:" not in text


_TITLE_BLOCK = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.DOTALL)


@pytest.mark.parametrize("template", TEMPLATES, ids=_name)
def test_its_title_is_text(template: Path) -> None:
    # A title block that swallowed markup puts the page's sections in the tab.
    for title in _TITLE_BLOCK.findall(template.read_text()):
        assert "<" not in title and "\n" not in title.strip(), title[:200]
