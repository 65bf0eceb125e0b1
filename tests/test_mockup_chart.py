"""Chart HTML: one safe Markdown block, labelled, accessible, small and deterministic."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from factories import make_country, make_question
from support import ROOT

from generator.mockup import (
    MOCKUP_LABEL,
    build_mockup,
    chart_marker,
    embed_charts,
    label_html,
)

COUNTRY = make_country()
TYPES = ("select_one", "select_multiple", "yes_no", "integer", "decimal", "text", "date")
CHARTS = ("bar", "stacked-bar", "table")
BUDGET = 15 * 1024


def expected_kind(qtype: str, chart: str, grouped: bool) -> str:
    if qtype == "text":
        return "table"  # free text has no chart: its analysis is a table of coded themes
    if qtype == "yes_no" and grouped and chart != "table":
        return "stacked-bar"  # % yes (and no) in each group
    if qtype in ("integer", "decimal") and (grouped or chart == "table"):
        return "table"  # numbers: the summary (by group) first, the histogram under it
    if chart == "table":
        if qtype in ("select_one", "select_multiple", "yes_no", "date"):
            return "table" if grouped else "bar"
        return "table"
    if chart == "stacked-bar" and not (grouped and qtype in ("select_one", "yes_no")):
        return "bar"  # select_multiple shares overlap: never stacked
    return chart


def check_block(html: str) -> None:
    """What Python-Markdown needs to pass the chart through as one raw HTML block."""
    assert html.startswith("<figure class=\"ctk-mockup")
    assert html.endswith("</figure>")
    assert html.count("<figure") == 1 and html.count("</figure>") == 1
    assert "\n\n" not in html and not re.search(r"\n[ \t]*\n", html)
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert "http://" not in html and "https://" not in html  # nothing to fetch


@pytest.mark.parametrize("grouped", [False, True], ids=["total", "by-admin1"])
@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("qtype", TYPES)
def test_every_type_and_chart_kind(qtype: str, chart: str, grouped: bool) -> None:
    q = make_question(f"q-{qtype.replace('_', '-')}-{chart}", qtype, chart=chart,
                      disaggregation=["admin1"] if grouped else [])
    html = build_mockup(q, COUNTRY).chart_html
    check_block(html)
    kind = expected_kind(qtype, chart, grouped)
    assert html.startswith(f'<figure class="ctk-mockup ctk-mockup--{kind}"')
    # The label is visible text inside the figure, not an attribute or a tooltip.
    assert f'<figcaption class="ctk-mockup__caption">{label_html()}' in html
    assert html.count(MOCKUP_LABEL) == 1
    # False numbers must not turn up as search results.
    assert " data-search-exclude>" in html.split("\n")[0]
    # The chart is a data table: screen readers get a caption, row headers and the values.
    caption = re.search(r'<caption class="ctk-sr">([^<]+)</caption>', html)
    assert caption and "illustrative false data" in caption.group(1)
    assert re.search(r'<th scope="row"[^>]*>', html)
    assert len(re.findall(r"<td[ >]", html)) >= 2
    first = html.index("<table")
    if kind == "table":
        assert html.startswith('<table class="ctk-table">', first)
    else:
        assert html.startswith(f'<table class="ctk-chart ctk-chart--{kind}', first)
        # Each value cell carries the length of its bar (or segment).
        assert len(re.findall(r'<td[^>]* style="--w:\d+\.\d%">[^<]+</td>', html)) >= 2
    assert len(html.encode()) <= BUDGET


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("qtype", ["select_one", "select_multiple", "integer", "date"])
def test_worst_case_stays_within_15_kb(qtype: str, chart: str) -> None:
    """Many options and groups, every label at the models' 300-character maximum."""
    country = make_country(admin1=[f"Province {i:02d} " + "p" * 288 for i in range(40)])
    options = [f"Reply option {i:02d} " + "o" * 284 for i in range(30)] \
        if qtype.startswith("select") else None
    q = make_question(qtype=qtype, chart=chart, options=options, disaggregation=["admin1"],
                      title="T" * 300)
    html = build_mockup(q, country).chart_html
    check_block(html)
    assert len(html.encode()) <= BUDGET, len(html.encode())


def test_labels_of_maximum_length_are_shortened() -> None:
    q = make_question(options=["A" * 300, "B" * 300], chart="stacked-bar",
                      disaggregation=["admin1"])
    html = build_mockup(q, make_country(admin1=["C" * 300, "D" * 300])).chart_html
    assert "A" * 60 not in html and "A" * 59 + "…" in html
    assert len(html.encode()) <= BUDGET


def test_record_text_is_escaped() -> None:
    evil = '<script>alert("x")</script>'
    country = make_country(admin1=['"><img src=x onerror=alert(1)>', "Plain"])
    q = make_question(options=[evil, "B & C"], chart="stacked-bar", disaggregation=["admin1"],
                      title=f"Title {evil}")
    result = build_mockup(q, country)
    html = result.chart_html
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "B &amp; C" in html
    # Attribute values cannot be closed early by record text.
    for value in re.findall(r'aria-label="([^"]*)"', html):
        assert "<" not in value and ">" not in value


def test_newlines_in_labels_cannot_end_the_html_block() -> None:
    q = make_question(options=["Piped\n\n# water", "Well"])
    html = build_mockup(q, COUNTRY).chart_html
    check_block(html)
    assert "Piped # water" in html


def markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    """The project's own Markdown set-up (mkdocs.yml), so the test follows it."""
    from mkdocs.utils.yaml import yaml_load  # mkdocs.yml uses MkDocs' tags (!ENV)

    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, dict] = {}
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, str):
            names.append(entry)
        else:
            name, options = next(iter(entry.items()))
            names.append(name)
            configs[name] = options or {}
    return names, configs


@pytest.mark.parametrize("chart", CHARTS)
def test_markdown_passes_the_chart_through_untouched(chart: str) -> None:
    names, configs = markdown_extensions()
    q = make_question(options=["*Piped* water", "[link](javascript:x)", "Well {: #id}"],
                      chart=chart, disaggregation=["admin1"])
    html = build_mockup(q, COUNTRY).chart_html
    page = f"# Question\n\nSome *text* before.\n\n{html}\n\nAnd after.\n"
    out = markdown.markdown(page, extensions=names, extension_configs=configs)
    assert html in out


def test_marker_survives_markdown_and_is_swapped_for_the_chart() -> None:
    names, configs = markdown_extensions()
    q = make_question("wash-water-source", chart="stacked-bar", disaggregation=["admin1"])
    html = build_mockup(q, COUNTRY).chart_html
    page = f"# Question\n\nBefore.\n\n{chart_marker(q.id)}\n\nAfter.\n"
    out = markdown.markdown(page, extensions=names, extension_configs=configs)
    direct = markdown.markdown(page.replace(chart_marker(q.id), html), extensions=names,
                               extension_configs=configs)
    assert embed_charts(out, {q.id: html}) == direct
    # A marker without a chart (e.g. a confidential question) stays an inert comment.
    assert embed_charts(out, {}) == out
    assert embed_charts("<p>no markers</p>", {q.id: html}) == "<p>no markers</p>"


def test_same_question_gives_byte_identical_output() -> None:
    q = make_question(disaggregation=["admin1"], chart="stacked-bar")
    first, second = build_mockup(q, COUNTRY), build_mockup(q, COUNTRY)
    assert first.chart_html == second.chart_html
    assert first.sentence == second.sentence
    assert first.table.equals(second.table)
    # The seed is the question id: a different question draws different false data.
    other = build_mockup(make_question("another-question", disaggregation=["admin1"],
                                       chart="stacked-bar"), COUNTRY)
    assert other.chart_html != first.chart_html


SUBPROCESS = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from factories import make_country, make_question
from generator.mockup import build_mockup
country = make_country()
for qtype in {types!r}:
    for chart in {charts!r}:
        q = make_question("q-" + qtype.replace("_", "-") + "-" + chart, qtype, chart=chart,
                          disaggregation=["admin1"])
        r = build_mockup(q, country)
        print(hashlib.sha256((r.chart_html + r.sentence).encode()).hexdigest())
"""


def digests() -> list[str]:
    out = []
    for qtype in TYPES:
        for chart in CHARTS:
            q = make_question(f"q-{qtype.replace('_', '-')}-{chart}", qtype, chart=chart,
                              disaggregation=["admin1"])
            r = build_mockup(q, COUNTRY)
            out.append(hashlib.sha256((r.chart_html + r.sentence).encode()).hexdigest())
    return out


def test_output_is_identical_in_another_process() -> None:
    """A fresh interpreter with another hash seed draws the same false data."""
    script = SUBPROCESS.format(tests=str(Path(__file__).parent), types=TYPES, charts=CHARTS)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True, timeout=120)
    assert run.stdout.split() == digests()
