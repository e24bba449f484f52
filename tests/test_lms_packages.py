"""`parley export --scorm12 / --cmi5`: the packages' manifests, and a scripted play in
Debian's Chromium against an LMS side (scorm-again's SCORM 1.2 API; for cmi5 a launcher
with a real LRS, Ralph, behind it) that reports completion and the score `parley play
--json` implies."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from engine.library import bundled_dir
from engine.loader import load_scenario
from engine.xapi import score_bounds
from tests.browser import SCORM_AGAIN, browser, need  # noqa: F401
from tests.cli import parley
from tests.lms_server import lms_server
from tests.lrs_ralph import PASSWORD, USER, RalphServer, ralph  # noqa: F401

IMSCP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
FIXTURES = Path(__file__).parent / "fixtures"


def best_play() -> list[str]:
    from engine.explore import explore

    return list(explore(load_scenario(bundled_dir() / "budget-cut.yaml")).best_play)


def export(kind: str, scenario: str, target: Path, *extra: str) -> zipfile.ZipFile:
    out = parley("export", scenario, f"--{kind}", "-o", str(target), *extra)
    assert out.returncode == 0, out.stderr
    return zipfile.ZipFile(target)


def test_scorm12_manifest_has_every_required_element(tmp_path: Path) -> None:
    z = export("scorm12", "budget-cut", tmp_path / "p.zip")
    assert z.namelist()[0] == "imsmanifest.xml"
    m = ET.fromstring(z.read("imsmanifest.xml"))
    # SCORM 1.2 CAM: manifest(identifier) > metadata(schema, schemaversion), organizations
    # (default -> organization(identifier) > title, item(identifier, identifierref) > title),
    # resources > resource(identifier, type webcontent, adlcp:scormtype sco, href) > file(href)
    assert m.tag == f"{IMSCP}manifest" and m.get("identifier")
    assert m.findtext(f"{IMSCP}metadata/{IMSCP}schema") == "ADL SCORM"
    assert m.findtext(f"{IMSCP}metadata/{IMSCP}schemaversion") == "1.2"
    orgs = m.find(f"{IMSCP}organizations")
    assert orgs is not None
    org = orgs.find(f"{IMSCP}organization[@identifier='{orgs.get('default')}']")
    assert org is not None and org.findtext(f"{IMSCP}title")
    items = org.findall(f"{IMSCP}item")
    assert len(items) == 1 and items[0].get("identifier") and items[0].findtext(f"{IMSCP}title")
    res = m.find(f"{IMSCP}resources/{IMSCP}resource[@identifier='{items[0].get('identifierref')}']")
    assert res is not None
    assert res.get("type") == "webcontent" and res.get(f"{ADLCP}scormtype") == "sco"
    assert res.get("href") in z.namelist()
    assert [f.get("href") for f in res.findall(f"{IMSCP}file")] == ["index.html"]
    ids = [e.get("identifier") for e in m.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids))


def test_cmi5_course_structure_has_every_required_element(tmp_path: Path) -> None:
    text = (FIXTURES / "records_small.yaml").read_text(encoding="utf-8")
    path = tmp_path / "records_small.yaml"
    path.write_text(text.replace("start: ask", "pass_mark: 0.5\nstart: ask", 1), encoding="utf-8")
    z = export("cmi5", str(path), tmp_path / "p.zip")
    root = ET.fromstring(z.read("cmi5.xml"))
    # cmi5 section 13: courseStructure > course(id) > title, description (langstrings);
    # au(id; moveOn, masteryScore 0..1, launchMethod) > title, description, url
    assert root.tag == f"{CMI5}courseStructure"
    course = root.find(f"{CMI5}course")
    assert course is not None and course.get("id", "").startswith("https://")
    for parent in (course, root.find(f"{CMI5}au")):
        assert parent is not None
        for tag in ("title", "description"):
            strings = parent.findall(f"{CMI5}{tag}/{CMI5}langstring")
            assert strings and all(s.get("lang") and s.text for s in strings)
    au = root.find(f"{CMI5}au")
    assert au is not None and au.get("id", "").startswith("https://")
    assert au.get("moveOn") in (
        "Passed",
        "Completed",
        "CompletedAndPassed",
        "CompletedOrPassed",
        "NotApplicable",
    )
    assert au.get("launchMethod") in ("AnyWindow", "OwnWindow")
    assert float(au.get("masteryScore", "")) == 0.5
    assert au.findtext(f"{CMI5}url") in z.namelist()


def test_a_package_must_be_a_zip(tmp_path: Path) -> None:
    out = parley("export", "budget-cut", "--scorm12", "-o", str(tmp_path / "p"))
    assert out.returncode == 2 and "is a .zip file" in out.stderr and "Traceback" not in out.stderr


def expected_score(choices: list[str]) -> tuple[dict[str, Any], float, int]:
    result = json.loads(
        parley("play", "budget-cut", "--choices", ",".join(choices), "--json").stdout
    )
    bounds = score_bounds(load_scenario(bundled_dir() / "budget-cut.yaml"))
    assert bounds is not None
    total = sum(result["scores"].values())
    scaled = bounds.scaled(total)
    return result, scaled, max(0, int(100 * scaled + 0.5))


def play_by_keyboard(page: Any, frame: Any, choices: list[str]) -> None:
    """Press the number of each choice as the page shows it (the order is the play's)."""
    frame.focus("#options button")
    for cid in choices:
        shown = frame.eval_on_selector_all("#options button", "bs => bs.map(b => b.dataset.choice)")
        page.keyboard.press(str(shown.index(cid) + 1))


@pytest.mark.browser
@pytest.mark.slow
def test_scorm12_package_reports_completion_and_score_to_scorm_again(
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    lib = need(SCORM_AGAIN / "scorm12.min.js", "scorm-again")
    site = tmp_path / "site"
    export("scorm12", "budget-cut", tmp_path / "p.zip").extractall(site / "sco")
    (site / "scorm12.min.js").write_bytes(lib.read_bytes())
    (site / "lms.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>'
        '<script src="scorm12.min.js"></script>'
        "<script>window.API = new Scorm12API({});</script></head>"
        '<body><iframe id="sco" name="sco" title="course" src="sco/index.html" '
        'style="width:100%;height:90vh"></iframe></body></html>',
        encoding="utf-8",
    )
    choices = best_play()
    result, scaled, percent = expected_score(choices)
    with lms_server(site) as base:
        page = browser.new_page()
        page.goto(f"{base}/lms.html")
        frame = page.frame(name="sco")
        assert frame is not None
        frame.wait_for_selector("#options button")
        assert page.evaluate("API.LMSGetValue('cmi.core.lesson_status')") == "incomplete"
        play_by_keyboard(page, frame, choices)
        frame.wait_for_selector("#debrief:not([hidden])")
        status = page.evaluate("API.LMSGetValue('cmi.core.lesson_status')")
        raw = page.evaluate("API.LMSGetValue('cmi.core.score.raw')")
        page.close()
    assert result["ended"] and result["outcome"] == "success"
    assert status == "passed"  # no pass_mark: the ending's outcome decides
    assert raw == str(percent) and 0 < percent <= 100


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.slow
def test_cmi5_package_sends_cmi5_statements_to_the_lrs(
    browser: Any,  # noqa: F811
    ralph: RalphServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    export("cmi5", "budget-cut", tmp_path / "p.zip").extractall(site)
    choices = best_play()
    result, scaled, _ = expected_score(choices)
    registration = str(uuid.uuid4())
    session = str(uuid.uuid4())
    au = "https://parley.example/scenarios/budget-cut"
    launch = {
        "launchMode": "Normal",
        "moveOn": "CompletedAndPassed",
        "masteryScore": 0.5,
        "contextTemplate": {
            "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": session}
        },
    }
    actor = {"objectType": "Agent", "account": {"homePage": "https://lms.example", "name": "ann"}}
    with lms_server(site, ralph.url, (USER, PASSWORD), launch) as base:
        from urllib.parse import urlencode

        query = urlencode(
            {
                "endpoint": f"{base}/xAPI/",
                "fetch": f"{base}/fetch",
                "actor": json.dumps(actor),
                "registration": registration,
                "activityId": au,
            }
        )
        page = browser.new_page()
        page.goto(f"{base}/index.html?{query}")
        page.wait_for_selector("#options button")
        play_by_keyboard(page, page.main_frame, choices)
        page.wait_for_function(
            "n => window.parleyCmi5.sent.length >= n || window.parleyCmi5.errors.length > 0",
            arg=len(choices) + 4,
        )
        assert page.evaluate("window.parleyCmi5.errors") == []
        sent = page.evaluate("window.parleyCmi5.sent.map(s => [s.id, s.verb.display['en-US']])")
        page.close()
    expected = ["initialized"] + ["answered"] * len(choices) + ["completed", "passed", "terminated"]
    assert [verb for _, verb in sent] == expected  # sent in this order, one at a time
    stored = ralph.statements(registration)
    assert sorted(s["id"] for s in stored) == sorted(i for i, _ in sent)
    by_verb = {s["verb"]["id"].rsplit("/", 1)[1]: s for s in stored}
    assert sorted(by_verb) == sorted(set(expected))
    cmi5 = {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}
    for verb in ("initialized", "completed", "passed", "terminated"):
        st = by_verb[verb]
        assert st["object"]["id"] == au and st["actor"]["account"]["name"] == "ann"
        assert cmi5 in [{"id": c["id"]} for c in st["context"]["contextActivities"]["category"]]
        ext = st["context"]["extensions"]
        assert ext["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == session
    passed = by_verb["passed"]
    assert passed["result"]["success"] is True
    assert passed["result"]["score"]["scaled"] == pytest.approx(scaled)
    assert passed["result"]["score"]["raw"] == sum(result["scores"].values())
    assert (
        passed["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
        ]
        == 0.5
    )
    assert by_verb["completed"]["result"]["completion"] is True
