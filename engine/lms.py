"""LMS packages of the web player: SCORM 1.2 and cmi5, each one .zip file.

- SCORM 1.2: `imsmanifest.xml` (one organization, one item, one SCO resource) and
  `index.html`, the web player with an adapter (engine/web/scorm12.js) that finds the LMS's
  `API` object and reports `cmi.core.lesson_status` and `cmi.core.score.raw` (0..100).
- cmi5: `cmi5.xml` (a course with one assignable unit) and `index.html`, the web player with
  an adapter (engine/web/cmi5.js) that reads the launch parameters and sends the
  cmi5-defined statements to the LRS the LMS names.

The score is the play's framework total against the scenario's worst and best possible
totals (the `scaled` score of docs/xapi.md; SCORM's 0..100 is its percentage, 0 below
zero); passed or failed follows the scenario's `pass_mark` (cmi5: the LMS's masteryScore
when it gives one), else the ending's outcome.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from engine.errors import ParleyError
from engine.model import Scenario
from engine.statetable import StateTable
from engine.webplayer import _asset, render_page
from engine.xapi import DEFAULT_BASE

KINDS = ("scorm12", "cmi5")
IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
_EPOCH = (2020, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same scenario gives the same zip


def _title(sc: Scenario, lang: str) -> str:
    return " ".join(sc.title.get(lang).split())


def _summary(sc: Scenario, lang: str) -> str:
    return " ".join(sc.summary.get(lang).split())


def scorm12_manifest(sc: Scenario, lang: str) -> str:
    """imsmanifest.xml for one SCO (SCORM 1.2 Content Aggregation Model)."""
    ET.register_namespace("", IMSCP)
    ET.register_namespace("adlcp", ADLCP)
    m = ET.Element(
        f"{{{IMSCP}}}manifest", {"identifier": f"parley-{sc.id}", "version": sc.content_hash[:12]}
    )
    meta = ET.SubElement(m, f"{{{IMSCP}}}metadata")
    ET.SubElement(meta, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    ET.SubElement(meta, f"{{{IMSCP}}}schemaversion").text = "1.2"
    orgs = ET.SubElement(m, f"{{{IMSCP}}}organizations", {"default": "parley-org"})
    org = ET.SubElement(orgs, f"{{{IMSCP}}}organization", {"identifier": "parley-org"})
    ET.SubElement(org, f"{{{IMSCP}}}title").text = _title(sc, lang)
    item = ET.SubElement(
        org,
        f"{{{IMSCP}}}item",
        {"identifier": "parley-item", "identifierref": "parley-sco", "isvisible": "true"},
    )
    ET.SubElement(item, f"{{{IMSCP}}}title").text = _title(sc, lang)
    if sc.pass_mark is not None:
        ET.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(round(sc.pass_mark * 100))
    res = ET.SubElement(m, f"{{{IMSCP}}}resources")
    r = ET.SubElement(
        res,
        f"{{{IMSCP}}}resource",
        {
            "identifier": "parley-sco",
            "type": "webcontent",
            f"{{{ADLCP}}}scormtype": "sco",
            "href": "index.html",
        },
    )
    ET.SubElement(r, f"{{{IMSCP}}}file", {"href": "index.html"})
    ET.indent(m)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(m, encoding="unicode") + "\n"


def cmi5_course(sc: Scenario, langs: tuple[str, ...], base: str = DEFAULT_BASE) -> str:
    """cmi5.xml: a course with one assignable unit (the web player)."""
    ET.register_namespace("", CMI5)
    iri = f"{base.rstrip('/')}/scenarios/{sc.id}"
    root = ET.Element(f"{{{CMI5}}}courseStructure")
    course = ET.SubElement(root, f"{{{CMI5}}}course", {"id": f"{iri}/course"})

    def texts(parent: ET.Element, tag: str, value: dict[str, str]) -> None:
        el = ET.SubElement(parent, f"{{{CMI5}}}{tag}")
        for lang, text in value.items():
            ET.SubElement(el, f"{{{CMI5}}}langstring", {"lang": lang}).text = text

    titles = {lang: _title(sc, lang) for lang in langs}
    summaries = {lang: _summary(sc, lang) for lang in langs}
    texts(course, "title", titles)
    texts(course, "description", summaries)
    attrs = {"id": iri, "moveOn": "CompletedAndPassed", "launchMethod": "AnyWindow"}
    if sc.pass_mark is not None:
        attrs["masteryScore"] = str(sc.pass_mark)
    au = ET.SubElement(root, f"{{{CMI5}}}au", attrs)
    texts(au, "title", titles)
    texts(au, "description", summaries)
    ET.SubElement(au, f"{{{CMI5}}}url").text = "index.html"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def package_files(kind: str, sc: Scenario, table: StateTable) -> dict[str, str]:
    """File name -> text of a package."""
    if kind == "scorm12":
        page = render_page(table, extra_scripts=[_asset("scorm12.js")])
        return {"imsmanifest.xml": scorm12_manifest(sc, table.langs[0]), "index.html": page}
    if kind == "cmi5":
        page = render_page(table, extra_scripts=[_asset("cmi5.js")], network=True)
        return {"cmi5.xml": cmi5_course(sc, table.langs), "index.html": page}
    raise ParleyError(f"unknown package kind '{kind}'", hint=f"use one of: {', '.join(KINDS)}")


def write_package(kind: str, sc: Scenario, table: StateTable, out: Path) -> None:
    """Write the package as one .zip file (manifest first)."""
    if out.suffix.lower() != ".zip":
        raise ParleyError(
            f"{out}: a {kind} package is a .zip file", hint=f"name it e.g. {out.stem or sc.id}.zip"
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in package_files(kind, sc, table).items():
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buf.getvalue())
