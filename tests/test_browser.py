"""The demo reports and the index in a real browser: axe-core, no network, accessible structure.

Issue 7 (accessibility, WCAG 2.1 AA): ``lang="sv"``, one ``h1``, headings in order, a caption and
``th scope`` on every table, alt text stating the figures on every chart, contrast that passes,
no serious or critical axe violation and no network request.

The browser is Debian's ``chromium`` driven by Playwright's Python package (browser downloads are
not possible); axe-core is the copy bundled in the PyPI package ``axe-playwright-python``. Without
Chromium the tests are skipped with a notice saying how to install it. Slow: renders the demo.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from evaluation.run.render import find_params
from evaluation.tools.cli import DEMO_PARAMS

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
DEMO = [f"{p.parent.name}/{p.stem}" for p in find_params(DEMO_PARAMS)]
PAGES = [*DEMO, "index"]

# What the browser measures on a page (headings, tables, images); strings describe offenders.
STRUCTURE = """() => {
  const describe = t => (t.closest('[id]') ? '#' + t.closest('[id]').id + ' ' : '')
      + (t.caption ? 'caption «' + t.caption.textContent.trim().slice(0, 50) + '»'
                   : 'table.' + (t.className || '?') + ' first th «' + ((t.querySelector('th') || {}).textContent || '').trim().slice(0, 30) + '»');
  const heads = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  return {
    lang: document.documentElement.getAttribute('lang'),
    headings: heads.map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)]),
    uncaptioned: [...document.querySelectorAll('table')].filter(t => !(t.caption && t.caption.textContent.trim())).map(describe),
    unscoped: [...document.querySelectorAll('th')]
        .filter(th => !['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope')))
        .map(th => describe(th.closest('table')) + ': th «' + th.textContent.trim().slice(0, 30) + '»'),
    headless: [...document.querySelectorAll('table')].filter(t => !t.querySelector('th')).map(describe),
    no_alt: [...document.querySelectorAll('img')].filter(i => !(i.getAttribute('alt') || '').trim())
        .map(i => (i.closest('[id]') ? '#' + i.closest('[id]').id : '') + ' ' + (i.getAttribute('src') || '').slice(0, 40)),
    charts: [...document.querySelectorAll('img')].map(i => i.getAttribute('alt') || ''),
    repeated_ids: [...document.querySelectorAll('[id]')].map(e => e.id)
        .filter((id, i, ids) => ids.indexOf(id) !== i),
    misaligned: [...document.querySelectorAll('table')].filter(t => {
        const head = t.querySelector('thead th'), label = t.querySelector('tbody th');
        return head && label && getComputedStyle(head).textAlign !== getComputedStyle(label).textAlign;
    }).map(describe),
  };
}"""


@dataclass
class Audit:
    requests: list[str]
    violations: list[dict]
    structure: dict


@pytest.fixture(scope="session")
def demo_out(demo_run) -> Path:
    """The whole demo, rendered once per session by `evaluation demo` (conftest.py)."""
    result, out = demo_run
    assert result.returncode == 0, result.stderr[-3000:]
    return out / "demo"  # the demo keeps apart from the user's own reports


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"Browser tests skipped: no Chromium at {CHROMIUM}. Install it with "
                    "`apt-get update && apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this), "
                    "or point the CHROMIUM environment variable at a Chromium binary.")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright missing: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=ARGS, offline=True,
        )
        yield context
        context.close()


@pytest.fixture(scope="session")
def inspect(browser_context):
    """inspect(path) opens a page and returns what axe and the DOM say about it."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(path: Path, width: int | None = None) -> Audit:
        """``width``: the window's width in pixels (a narrow screen), else Playwright's default."""
        assert path.is_file(), path
        page = browser_context.new_page()
        if width:
            page.set_viewport_size({"width": width, "height": 900})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri(), wait_until="load")
        structure = page.evaluate(STRUCTURE)
        violations = axe.run(page).response["violations"]
        page.close()
        return Audit(requests, violations, structure)

    return run


@pytest.fixture(scope="session")
def audit(demo_out, inspect):
    """audit(name) inspects a demo report ("insats/period") or the index, once per session."""
    done: dict[str, Audit] = {}

    def run(name: str) -> Audit:
        if name not in done:
            done[name] = inspect(demo_out / ("index.html" if name == "index" else f"{name}/rapport.html"))
        return done[name]

    return run


def test_the_checks_catch_a_bad_page(inspect, tmp_path):
    """Every check below fails on a page made to break it (so none of them passes vacuously)."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dålig</title></head><body><main>'
        '<h2>Först h2</h2><h1>Ett</h1><h1>Två</h1><h4>Hopp</h4>'
        '<p style="color:#aaaaaa">Svag kontrast</p>'
        '<table id="t"><tr><th>Rad</th><td>1</td></tr></table><p id="t">Samma id</p>'
        '<img src="http://192.0.2.1/diagram.png"><img src="data:image/png;base64,iVBORw0KGgo=" alt="Diagram">'
        '</main></body></html>', encoding="utf-8")
    found = inspect(page)
    assert {v["id"] for v in found.violations if v["impact"] in ("serious", "critical")} >= {
        "color-contrast", "html-has-lang", "image-alt"}
    assert [u for u in found.requests if not u.startswith(("file:", "data:"))] == ["http://192.0.2.1/diagram.png"]
    s = found.structure
    assert s["lang"] is None
    assert heading_problems(s["headings"]) == ["2 h1, first heading h2", "h1 → h4 «Hopp»"]
    assert heading_problems([[1, "a"], [2, "b"], [3, "c"], [2, "d"], [3, "e"]]) == []
    assert len(s["uncaptioned"]) == 1 and len(s["unscoped"]) == 1 and "Rad" in s["unscoped"][0]
    assert len(s["no_alt"]) == 1 and s["charts"] == ["", "Diagram"]
    assert s["repeated_ids"] == ["t"]


def test_a_wide_table_in_a_text_scrolls_in_its_own_box(browser_context, inspect, tmp_path):
    """A 16-column Markdown table made the whole page scroll sideways; now its own box scrolls
    (keyboard-focusable and named, as the report's tables), and its headers have a scope."""
    from test_pdf import _document

    from evaluation.core.model import Markdown, Section
    from evaluation.renderers import html

    table = "| " + " | ".join(f"Rubrik {i}" for i in range(16)) + " |\n|" + "---|" * 16 + "\n"
    table += ("| " + " | ".join(f"värde {i} med text" for i in range(16)) + " |\n") * 2
    doc = _document([Section("s", "Bakgrund", (Markdown("Före.\n\n" + table + "\nEfter."),))])
    path = tmp_path / "rapport.html"
    path.write_text(html.page(doc), encoding="utf-8")
    page = browser_context.new_page()
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(path.as_uri(), wait_until="load")
    page_width, window, box_content, box = page.evaluate(
        "() => { const b = document.querySelector('.prose .table-scroll');"
        " return [document.documentElement.scrollWidth, window.innerWidth, b.scrollWidth, b.clientWidth]; }")
    page.close()
    assert page_width <= window and box_content > box
    found = inspect(path)
    assert [v["id"] for v in found.violations if v["impact"] in ("serious", "critical")] == []
    assert found.structure["unscoped"] == []


def test_the_overview_on_a_narrow_screen_has_tables_a_keyboard_can_scroll(inspect, tmp_path):
    """The overview's tables scrolled in boxes a keyboard could not reach (axe: serious,
    scrollable-region-focusable); now in the named, focusable boxes of the reports."""
    from evaluation.analysis import overview

    page, _ = overview.write(overview.build(DEMO_PARAMS), tmp_path)
    found = inspect(page, width=600)
    assert [v["id"] for v in found.violations if v["impact"] in ("serious", "critical")] == []
    assert found.structure["uncaptioned"] == [] and found.structure["unscoped"] == []


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_axe_violation(audit, name):
    bad = [v for v in audit(name).violations if v["impact"] in ("serious", "critical")]
    assert bad == [], "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})" for v in bad)


@pytest.mark.parametrize("name", PAGES)
def test_no_network_request(audit, name):
    requests = audit(name).requests
    assert requests, "the page itself is a request; none recorded means the listener is broken"
    assert [u for u in requests if urlsplit(u).scheme not in ("file", "data")] == []


def heading_problems(headings: list[list]) -> list[str]:
    """What is wrong with the heading outline: not exactly one h1 first, or a skipped level."""
    levels = [level for level, _ in headings]
    first = f"h{levels[0]}" if levels else "none"
    problems = [] if first == "h1" and levels.count(1) == 1 else [f"{levels.count(1)} h1, first heading {first}"]
    problems += [f"h{a} → h{b} «{text}»" for (a, _), (b, text) in zip(headings, headings[1:]) if b > a + 1]
    return problems


@pytest.mark.parametrize("name", PAGES)
def test_swedish_one_h1_and_headings_in_order(audit, name):
    structure = audit(name).structure
    assert structure["lang"] == "sv"
    assert heading_problems(structure["headings"]) == []


@pytest.mark.parametrize("name", PAGES)
def test_every_table_has_a_caption(audit, name):
    assert audit(name).structure["uncaptioned"] == []


@pytest.mark.parametrize("name", PAGES)
def test_every_table_has_headers_with_scope(audit, name):
    structure = audit(name).structure
    assert structure["headless"] == []
    assert structure["unscoped"] == []


@pytest.mark.parametrize("name", PAGES)
def test_the_heading_of_the_row_labels_is_aligned_with_them(audit, name):
    """"Månader efter avslut" stood right-aligned above its left-aligned labels 6, 6, 18."""
    assert audit(name).structure["misaligned"] == []


def test_the_alignment_check_can_fail(inspect, tmp_path):
    page = tmp_path / "fel.html"
    page.write_text('<!DOCTYPE html><html lang="sv"><head><title>t</title></head><body><main><h1>t</h1><table>'
                    '<caption>T</caption><thead><tr><th scope="col" style="text-align:right">Månader</th></tr></thead>'
                    '<tbody><tr><th scope="row" style="text-align:left">6</th></tr></tbody></table></main></body></html>',
                    encoding="utf-8")
    assert inspect(page).structure["misaligned"] == ["caption «T»"]


@pytest.mark.parametrize("name", PAGES)
def test_every_id_is_used_once(audit, name):
    """A table shown in two sections gave its id twice (UngKraft's participants per sub-insats)."""
    assert audit(name).structure["repeated_ids"] == []


@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_alt_text(audit, name):
    assert audit(name).structure["no_alt"] == []


def test_chart_alt_texts_state_the_figures(audit):
    charts = {name: audit(name).structure["charts"] for name in DEMO}
    assert sum(map(len, charts.values())) >= 10, "the demo reports have charts"
    assert {name: [alt for alt in alts if not any(ch.isdigit() for ch in alt)]
            for name, alts in charts.items()} == {name: [] for name in DEMO}


def test_tables_in_texts_are_named_by_their_captions(inspect, tmp_path):
    """Two tables in texts were both named "Tabell i texten" (axe: landmark-unique) and had no
    caption; a "Tabell: ..." line above each names it. Without captions the check still fails."""
    from test_pdf import _document

    from evaluation.core.model import Markdown, Section
    from evaluation.renderers import html

    def page(first: str, second: str) -> Path:
        table = "| Kommun | Antal |\n|---|--:|\n| A | 3 |\n"
        doc = _document([Section("s", "Bakgrund", (Markdown(f"{first}{table}\nText.\n\n{second}{table}"),))])
        path = tmp_path / f"{bool(first)}.html"
        path.write_text(html.page(doc), encoding="utf-8")
        return path

    named = inspect(page("Tabell: Deltagare i A\n\n", "Tabell: Deltagare i B\n\n"))
    assert [v["id"] for v in named.violations] == [] and named.structure["uncaptioned"] == []
    unnamed = inspect(page("", ""))
    assert "landmark-unique" in [v["id"] for v in unnamed.violations] and len(unnamed.structure["uncaptioned"]) == 2
