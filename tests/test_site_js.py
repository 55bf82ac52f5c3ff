"""site.js, run by Node: the durations it writes follow the server's rule
(lms.lib.durations.format_duration), value for value, and on a Bengali page in the
digits the server's pages are written in (lms.lib.digits)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lms.lib.digits import language_digits, localize_digits
from lms.lib.durations import format_duration

SITE_JS = Path(__file__).resolve().parent.parent / "lms/static/lms/site.js"
NODE = shutil.which("node")
# m:ss under an hour, h:mm:ss from one hour on, whole seconds rounded down.
# A tenth of a second apart around every edge, then every few seconds up to a day.
MANY = sorted(
    {
        round(base + step / 10, 1)
        for base in (0, 59, 60, 599, 3599, 3600, 35999)
        for step in range(-10, 11)
    }
    | set(range(0, 86_400, 7))
    | {0.25, 1.999, 59.999, 3599.5, 3723, 3723.9, 86_399, 360_000, -1, -0.5}
)
DURATIONS = {
    0: "0:00",
    0.4: "0:00",
    5: "0:05",
    59.9: "0:59",
    60: "1:00",
    61.5: "1:01",
    599: "9:59",
    3599: "59:59",
    3599.99: "59:59",
    3600: "1:00:00",
    3723: "1:02:03",
    36000: "10:00:00",
    -3: "0:00",
}


def _run_in_node(function: str, values: list, *, lang: str = "") -> list[str]:
    """`Onramp.<function>` of each value, in Node; on a page of language `lang`."""
    page = (
        f"globalThis.document = {{ documentElement: {{ lang: {json.dumps(lang)} }},"
        " addEventListener() {} };"
        if lang
        else ""
    )
    program = (
        "const vm = require('vm'); const fs = require('fs');"
        f"{page}"
        f"vm.runInThisContext(fs.readFileSync({json.dumps(str(SITE_JS))}, 'utf8'));"
        "const values = JSON.parse(process.argv[1]);"
        f"console.log(JSON.stringify(values.map(globalThis.Onramp.{function})));"
    )
    assert NODE is not None
    completed = subprocess.run(
        [NODE, "-e", program, json.dumps(values)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    formatted: list[str] = json.loads(completed.stdout)
    return formatted


def _format_in_node(values: list[float]) -> list[str]:
    return _run_in_node("formatDuration", values)


@pytest.mark.skipif(NODE is None, reason="needs Node.js (node) on the PATH")
def test_it_formats_durations_in_the_browser_as_on_the_server():
    values = list(DURATIONS)
    assert _format_in_node(values) == [DURATIONS[value] for value in values]


def test_it_formats_durations_on_the_server_by_the_rule():
    for value, expected in DURATIONS.items():
        assert format_duration(value) == expected, value
    assert format_duration(None) == ""


@pytest.mark.skipif(NODE is None, reason="needs Node.js (node) on the PATH")
def test_it_formats_many_durations_in_the_browser_as_the_server_does():
    values = list(MANY)
    assert _format_in_node(values) == [format_duration(value) for value in values]


@pytest.mark.skipif(NODE is None, reason="needs Node.js (node) on the PATH")
def test_it_writes_durations_in_the_digits_of_a_bengali_page_as_the_server_does():
    digits = language_digits("bn")
    assert digits is not None
    values = list(MANY)

    in_browser = _run_in_node("formatDuration", values, lang="bn")

    assert in_browser[:3] == ["০:০০", "০:০০", "০:০০"]
    assert in_browser == [localize_digits(format_duration(v), digits) for v in values]


@pytest.mark.skipif(NODE is None, reason="needs Node.js (node) on the PATH")
def test_it_writes_counts_in_the_pages_digits_and_leaves_english_alone():
    texts = ["3 of 4", "87%", "12.5 MB", "no digits"]

    assert _run_in_node("localDigits", texts, lang="bn") == [
        "৩ of ৪",
        "৮৭%",
        "১২.৫ MB",
        "no digits",
    ]
    assert _run_in_node("localDigits", texts, lang="es") == texts
    assert _run_in_node("localDigits", texts, lang="en") == texts
