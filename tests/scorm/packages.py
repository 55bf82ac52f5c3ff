"""Minimal SCORM packages built in the tests, following the specifications: a SCORM
1.2 package (ADL CAM 1.2 manifest, adlcp_rootv1p2) and a SCORM 2004 4th edition one
(adlcp_v1p3, imsss sequencing with a scaled passing score), each a page of HTML and
JS that finds the API the way the ADL examples do and reports to it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      {items}
    </organization>
  </organizations>
  <resources>
    {resources}
  </resources>
</manifest>
"""
ITEM_12 = """<item identifier="item-{n}" identifierref="res-{n}">
        <title>{title}</title>{mastery}
      </item>"""
RESOURCE_12 = """<resource identifier="res-{n}" type="webcontent"
      adlcp:scormtype="sco" href="{href}"><file href="{href}"/></resource>"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata><schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      {items}
    </organization>
  </organizations>
  <resources>
    {resources}
  </resources>
</manifest>
"""
ITEM_2004 = """<item identifier="item-{n}" identifierref="res-{n}">
        <title>{title}</title>
        <imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective objectiveID="pass-{n}" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>{passing}</imsss:minNormalizedMeasure>
          </imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
      </item>"""
RESOURCE_2004 = """<resource identifier="res-{n}" type="webcontent"
      adlcp:scormType="sco" href="{href}"><file href="{href}"/></resource>"""

# A SCO that finds the API as the ADL examples do (this window, then its parents),
# resumes from its suspend data, and reports a score when its button is pressed.
SCO_12 = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<script>
function findAPI(win) {{
  var tries = 0;
  while (win.API == null && win.parent != null && win.parent != win && tries < 7) {{
    tries++; win = win.parent;
  }}
  return win.API;
}}
var api = findAPI(window);
api.LMSInitialize("");
</script></head>
<body><h1>{title}</h1>
<p id="entry"></p>
<button id="next" type="button">Next page</button>
<button id="finish" type="button">Finish with {score}</button>
<script>
setTimeout(function () {{
  document.getElementById("entry").textContent =
    "entry=" + api.LMSGetValue("cmi.core.entry") +
    " location=" + api.LMSGetValue("cmi.core.lesson_location");
}}, 300);
document.getElementById("next").onclick = function () {{
  api.LMSSetValue("cmi.core.lesson_location", "page-2");
  api.LMSSetValue("cmi.suspend_data", "seen=1");
  api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  api.LMSSetValue("cmi.core.exit", "suspend");
  api.LMSSetValue("cmi.core.session_time", "00:01:30");
  api.LMSCommit("");
  api.LMSFinish("");
  document.body.setAttribute("data-saved", "yes");
}};
document.getElementById("finish").onclick = function () {{
  api.LMSSetValue("cmi.core.score.raw", "{score}");
  api.LMSSetValue("cmi.core.lesson_status", "completed");
  api.LMSSetValue("cmi.core.session_time", "00:00:45");
  api.LMSCommit("");
  api.LMSFinish("");
  document.body.setAttribute("data-finished", "yes");
}};
</script></body></html>
"""

SCO_2004 = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<script>
function findAPI(win) {{
  var tries = 0;
  while (win.API_1484_11 == null && win.parent != null && win.parent != win
         && tries < 7) {{
    tries++; win = win.parent;
  }}
  return win.API_1484_11;
}}
var api = findAPI(window);
api.Initialize("");
</script></head>
<body><h1>{title}</h1>
<p id="entry"></p>
<button id="next" type="button">Next page</button>
<button id="finish" type="button">Finish with {score}</button>
<script>
setTimeout(function () {{
  document.getElementById("entry").textContent =
    "entry=" + api.GetValue("cmi.entry") +
    " location=" + api.GetValue("cmi.location");
}}, 300);
document.getElementById("next").onclick = function () {{
  api.SetValue("cmi.location", "page-2");
  api.SetValue("cmi.suspend_data", "seen=1");
  api.SetValue("cmi.completion_status", "incomplete");
  api.SetValue("cmi.exit", "suspend");
  api.SetValue("cmi.session_time", "PT1M30S");
  api.Commit("");
  api.Terminate("");
  document.body.setAttribute("data-saved", "yes");
}};
document.getElementById("finish").onclick = function () {{
  api.SetValue("cmi.score.scaled", "{scaled}");
  api.SetValue("cmi.completion_status", "completed");
  api.SetValue("cmi.exit", "normal");
  api.SetValue("cmi.session_time", "PT45S");
  api.Commit("");
  api.Terminate("");
  document.body.setAttribute("data-finished", "yes");
}};
</script></body></html>
"""


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(
                name, content.encode() if isinstance(content, str) else content
            )
    return buffer.getvalue()


def scorm12_files(
    *,
    title: str = "Objection handling",
    scos: Iterable[str] = ("Lesson",),
    mastery: int | None = 80,
) -> dict[str, bytes | str]:
    titles = list(scos)
    mastery_tag = (
        f"\n        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>"
        if mastery is not None
        else ""
    )
    files: dict[str, bytes | str] = {
        "imsmanifest.xml": MANIFEST_12.format(
            identifier="objections-12",
            title=title,
            items="\n      ".join(
                ITEM_12.format(n=n, title=t, mastery=mastery_tag)
                for n, t in enumerate(titles)
            ),
            resources="\n    ".join(
                RESOURCE_12.format(n=n, href=f"sco{n}/index.html")
                for n in range(len(titles))
            ),
        )
    }
    for n, t in enumerate(titles):
        files[f"sco{n}/index.html"] = SCO_12.format(title=t, score=90)
    return files


def scorm12_zip(**kwargs: object) -> bytes:
    return zip_of(scorm12_files(**kwargs))  # type: ignore[arg-type]


def scorm2004_files(
    *,
    title: str = "Pricing talk",
    scos: Iterable[str] = ("Lesson",),
    passing: str = "0.7",
) -> dict[str, bytes | str]:
    titles = list(scos)
    files: dict[str, bytes | str] = {
        "imsmanifest.xml": MANIFEST_2004.format(
            identifier="pricing-2004",
            title=title,
            items="\n      ".join(
                ITEM_2004.format(n=n, title=t, passing=passing)
                for n, t in enumerate(titles)
            ),
            resources="\n    ".join(
                RESOURCE_2004.format(n=n, href=f"content/sco{n}.html")
                for n in range(len(titles))
            ),
        ),
        "adlcp_v1p3.xsd": "<schema/>",
    }
    for n, t in enumerate(titles):
        files[f"content/sco{n}.html"] = SCO_2004.format(title=t, score=90, scaled="0.9")
    return files


def scorm2004_zip(**kwargs: object) -> bytes:
    return zip_of(scorm2004_files(**kwargs))  # type: ignore[arg-type]
