"""The inline prefilter (generator/inline_prefilter.py) must give Python-Markdown's HTML."""

from __future__ import annotations

import random

import markdown
import yaml
from hostile import PAYLOAD_LINES
from markdown.treeprocessors import InlineProcessor
from mkdocs.config import load_config
from support import ROOT

from generator.inline_prefilter import ALWAYS, InlinePrefilter, condition


def site_extensions() -> tuple[list[object], dict[str, object]]:
    """mkdocs.yml's markdown_extensions, as MkDocs hands them to Python-Markdown."""
    config = yaml.safe_load(
        "\n".join(line for line in (ROOT / "mkdocs.yml").read_text().splitlines()
                  if "!ENV" not in line))
    names: list[object] = []
    configs: dict[str, object] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, options), = item.items()
            configs[name] = options
            names.append(name)
        else:
            names.append(item)
    return names, configs


# Every inline form, at the start, middle and end of texts, in table cells, lists, headings,
# admonitions and HTML blocks with markdown, and the hostile payloads of the safety tests.
DOCUMENT = "\n".join([
    "# Title with `code`, *em*, **strong**, _u_ and __uu__ {: #custom }",
    "",
    "Plain text without any markup at all.",
    "",
    "[link](https://example.org) [ref][r] [r] ![img](a.png) ![imgref][r] ![r]",
    "<https://example.org/auto> <mail@example.org> https://bare.example.org/path?q=1 "
    "www.example.org and ftp://files.example.org. Write to dtm@example.org.",
    "Escapes \\*not em\\* \\[not link\\] \\`not code\\` &amp; &#91; &#x5d; &copy; a & b; c",
    "Line with break  ",
    "next line <span class=\"x\">inline html</span> <!-- comment --> a < b > c",
    "*em with [link](x.md)* and **`code` in strong** and ***both***; snake_case_name",
    "Mail-like: a@b, @handle, x@y.z, first.last@sub.example.co.uk.",
    "WWW.EXAMPLE.ORG HTTP://EXAMPLE.ORG wwwexample.org http:/half",
    "",
    "| Code | Label |",
    "|---|---|",
    "| `a` | *A* |",
    "| b | https://example.org/b |",
    "| c | Plain |",
    "",
    "- item *one*",
    "- item [two](two.md)",
    "",
    "!!! note \"Note with *em*\"",
    "    Body with `code` and www.example.org",
    "",
    "<div markdown>",
    "",
    "Inside **html** with <mail@example.org>",
    "",
    "</div>",
    "",
    "[r]: https://example.org/ref",
    "",
    *[f"{line}\n" for line in PAYLOAD_LINES],
])


CONVERTERS: dict[bool, markdown.Markdown] = {}


def convert(text: str, *, prefilter: bool) -> str:
    md = CONVERTERS.get(prefilter)
    if md is None:
        names, configs = site_extensions()
        extensions = [*names, InlinePrefilter()] if prefilter else names
        md = CONVERTERS[prefilter] = markdown.Markdown(extensions=extensions,
                                                       extension_configs=configs)
    return md.reset().convert(text)


def test_the_html_is_python_markdowns() -> None:
    html = convert(DOCUMENT, prefilter=True)
    assert html == convert(DOCUMENT, prefilter=False)
    # The document does exercise the patterns (a prefilter skipping all would fail above).
    for piece in ("<code>code</code>", "<em>em</em>", 'href="https://bare.example.org/path?q=1"',
                  "<br />", 'href="&#109;&#97;', '<img alt="img"', "&amp; b; c"):
        assert piece in html, piece


def test_random_texts_give_the_same_html() -> None:
    alphabet = list("ab .:/@<>&;#*_`\\[]()!\n w") + ["http://", "www.", "x@y.org", "  \n"]
    rng = random.Random(13)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
             for _ in range(400)]
    for text in texts:
        assert convert(text, prefilter=True) == convert(text, prefilter=False), repr(text)


def test_a_condition_holds_wherever_its_pattern_matches() -> None:
    """A skipped pattern is one that could not have matched: every regular-expression match
    in random texts is in a text that meets the pattern's condition."""
    names, configs = site_extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    rng = random.Random(5)
    alphabet = list("aW w.:/@<>&;#*_`\\[]!\n0x") + ["http://", "WWW.", "x@y.org", "&amp;"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
             for _ in range(3000)]
    matched = 0
    for pattern in md.inlinePatterns:
        needs, test = condition(pattern)
        for text in texts:
            if pattern.compiled_re.search(text):
                matched += 1
                assert all(not group.isdisjoint(text) for group in needs), (pattern, text)
                assert test is None or test(text), (pattern, text)
    assert matched > 1000


def test_every_pattern_of_the_site_has_a_condition() -> None:
    """Otherwise it is tried on every text (correct, but the build is slower again): a new
    Python-Markdown or pymdown-extensions version that changed one lands here."""
    names, configs = site_extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    assert [name for name in md.inlinePatterns._data  # noqa: SLF001
            if condition(md.inlinePatterns[name]) is ALWAYS] == []


def test_the_plugin_adds_it_once() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins.on_config(config)
    config.plugins.on_config(config)  # mkdocs serve runs on_config again on each rebuild
    assert sum(isinstance(e, InlinePrefilter) for e in config.markdown_extensions) == 1


def test_a_python_markdown_whose_loop_changed_keeps_its_own(monkeypatch) -> None:
    from generator import inline_prefilter

    assert inline_prefilter.upstream_loop_known()  # the installed version: prefiltered
    monkeypatch.setattr(inline_prefilter, "UPSTREAM_LOOP", "0" * 16)
    inline_prefilter.upstream_loop_known.cache_clear()
    try:
        md = markdown.Markdown(extensions=[inline_prefilter.InlinePrefilter()])
        assert type(md.treeprocessors["inline"]) is InlineProcessor
    finally:
        inline_prefilter.upstream_loop_known.cache_clear()
