"""Record text is inert: whatever a pull request writes, the page shows it as text.

Each payload goes through `escape_md` (what every template value passes through) and the
project's own Markdown extensions (read from mkdocs.yml), then the resulting HTML is parsed:
only paragraph and emphasis tags may come out, none with attributes.
"""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hostile import PAYLOAD, PAYLOAD_LINES, SHORT, VISIBLE, add_hostile_records
from mkdocs.utils.meta import get_data
from support import ROOT, SMALL_KB

from generator.loader import load, load_or_raise
from generator.pages import environment, render_site
from generator.safe_text import cell, escape_html, escape_md

# Tags that plain text with emphasis may legitimately turn into.
TEXT_TAGS = {"p", "strong", "em", "br"}


def _project_markdown() -> markdown.Markdown:
    from mkdocs.utils.yaml import yaml_load  # mkdocs.yml uses MkDocs' tags (!ENV)

    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, dict[str, object]] = {}
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, dict):
            (name, options), = entry.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(entry)
    return markdown.Markdown(extensions=names, extension_configs=configs)


MD = _project_markdown()


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def render(markdown_text: str) -> Tags:
    MD.reset()
    parsed = Tags()
    parsed.feed(MD.convert(markdown_text))
    return parsed


def assert_inert(parsed: Tags, source: str, allowed: set[str] = TEXT_TAGS) -> None:
    unexpected = [(t, a) for t, a in parsed.tags if t not in allowed or a]
    assert not unexpected, f"{source!r} produced {unexpected}"
    assert not parsed.comments, source


INJECTED_TAGS = {"script", "iframe", "svg", "img", "style", "link", "object", "embed"}


def assert_no_injection(parsed: Tags, where: str) -> None:
    """No element or attribute that only a payload could have created."""
    for tag, attrs in parsed.tags:
        assert tag not in INJECTED_TAGS, (where, tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on"), (where, tag, attrs)
            assert not (value or "").strip().lower().startswith("javascript:"), (where, tag)
            if name == "id":
                assert not (value or "").startswith("pwned"), (where, tag, attrs)


@pytest.mark.parametrize("payload", PAYLOAD_LINES + [PAYLOAD, SHORT])
@pytest.mark.parametrize("context", [
    "{}",                          # a paragraph of its own
    "**Purpose.** {}",             # after a label, first line mid-line
    "Intro line\n{}\nOutro line",  # inside a paragraph
    "- item\n\n{}",                # after a list
])
def test_payload_renders_as_text(payload: str, context: str) -> None:
    source = context.replace("{}", escape_md(payload))
    own = {t for t, _ in render(context.replace("{}", "word")).tags}  # what the context makes
    assert_inert(render(source), payload, TEXT_TAGS | own)


@pytest.mark.parametrize("payload", PAYLOAD_LINES)
def test_payload_text_survives(payload: str) -> None:
    """Not just harmless: the reader sees what was written (minus Markdown emphasis)."""
    text = "".join(render(escape_md(payload)).text)
    plain = re.sub(r"\*\*|__", "", payload)
    assert " ".join(text.split()) == " ".join(plain.split())


@pytest.mark.parametrize("payload", PAYLOAD_LINES + [PAYLOAD])
def test_payload_in_table_cell_stays_in_its_cell(payload: str) -> None:
    source = f"| A | B |\n|---|---|\n| {cell(payload)} | after |\n"
    parsed = render(source)
    allowed = TEXT_TAGS | {"table", "thead", "tbody", "tr", "th", "td"}
    assert all(t in allowed and not a for t, a in parsed.tags), parsed.tags
    assert [t for t, _ in parsed.tags].count("td") == 2
    assert "after" in parsed.text


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\u2028", "\x0b", "\x85"])
def test_every_kind_of_newline_is_a_line_start(newline: str) -> None:
    payload = f"first{newline}~~~{newline}# heading{newline}??? note \"x\""
    parsed = render(escape_md(payload) + "\n\nafter the value")
    assert_inert(parsed, payload)
    assert "after the value" in "".join(parsed.text)


def test_control_characters_are_dropped() -> None:
    # \x02 and \x03 delimit Python-Markdown's own placeholders for stashed HTML.
    assert escape_md("a\x00b\x02wzxhzdk:0\x03c\x1b[31m\x7f") == "abwzxhzdk:0c&#91;31m"
    assert escape_html("t\x00i\x08tle") == "title"


def test_escaping_kept_per_text_is_the_same_escaping() -> None:
    """A plain text is escaped once and kept (safe_text._escaped): the kept escape is the
    one a new text gets, per typography, and never stands for a text carrying a mark."""
    from generator.i18n.localize import Untranslated
    from generator.safe_text import french_spaces

    payload = "Agreed : [x](javascript:alert(1))\n# not a heading <b>"
    first = escape_md(payload)
    assert escape_md(payload) == first == escape_md(str(payload + " ")[:-1])
    assert first == "Agreed : &#91;x&#93;(javascript:alert(1))\n&#35; not a heading &lt;b&gt;"
    assert escape_md(payload, french_spaces) == first.replace(" :", "\u00a0:")
    marked = escape_md(Untranslated(payload, "en", "ltr", "not translated"), french_spaces)
    assert f">{first}</span>" in marked and "not translated" in marked  # no typography
    assert escape_md(payload) == first  # the marked one left the plain text's alone


def test_jinja_never_evaluates_record_text() -> None:
    template = environment().from_string("{{ value }}")
    out = template.render(value="{{ 7*7 }} {% for x in range(3) %}{{ x }}{% endfor %}")
    assert "49" not in out and "012" not in out
    assert html.unescape(out) == "{{ 7*7 }} {% for x in range(3) %}{{ x }}{% endfor %}"


def test_front_matter_cannot_be_injected_through_a_title(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    q = kb / "questions" / "wash" / "wash-water-source.yml"
    record = yaml.safe_load(q.read_text(encoding="utf-8"))
    record["text"] = "Title\n---\ntitle: injected\nhide: [navigation]\n---\n# x"
    q.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    pages = {p.path: p for p in render_site(load_or_raise(kb))}
    content = pages["questions/wash/wash-water-source.md"].content
    assert isinstance(content, str)
    body, meta = get_data(content)
    assert "hide" not in meta and "title" in meta
    # question text is kept to one line: the "---" lines cannot start a new block
    assert meta["title"] == escape_html(" ".join(record["text"].split()))
    # the whole text stays inside the heading line, as text
    assert body.split("\n", 1)[0].startswith("# Title --- title: injected hide: &#91;")


def test_hostile_question_page_markdown_is_inert(tmp_path: Path) -> None:
    """The generated page (front matter stripped) converts to HTML with no record markup."""
    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    add_hostile_records(kb, sector="wash")
    loaded = load_or_raise(kb)
    pages = {p.path: p for p in render_site(loaded)}
    for path in ("questions/wash/hostile-question.md", "partners/hostile-partner.md",
                 "dap/index.md", "questions/by-partner.md"):
        content = pages[path].content
        assert isinstance(content, str)
        body, _ = get_data(content)
        MD.reset()
        parsed = Tags()
        parsed.feed(MD.convert(body))
        assert_no_injection(parsed, path)
    question = pages["questions/wash/hostile-question.md"].content
    assert isinstance(question, str)
    MD.reset()
    text = html.unescape(re.sub(r"<[^>]+>", "", MD.convert(get_data(question)[0])))
    for visible in VISIBLE:
        assert visible in text, visible


def test_mockup_sentence_placeholders_cannot_reach_python(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    q = kb / "questions" / "wash" / "wash-water-source.yml"
    text = q.read_text(encoding="utf-8")
    sentence = "{top_option.__class__.__mro__} {0.__class__} {{ 7*7 }} {top_pct!r:>99}"
    q.write_text(re.sub(r"(?m)^  sentence: .*$", "  sentence: " + yaml.safe_dump(sentence)
                        .strip().replace("\n...", ""), text), encoding="utf-8")
    result, report = load(kb)
    assert result is None
    messages = [p.format() for p in report.errors]
    assert all("mockup.sentence" in m for m in messages), messages
    assert any("__class__" in m for m in messages), messages
