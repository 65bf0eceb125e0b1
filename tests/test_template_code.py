"""The theme's compiled templates kept across serve rebuilds (plugin/template_code.py) are
reused only for the same source compiled by an environment that compiles it the same way.
That an edited override shows under `mkdocs serve` is tests/test_edit_loop.py's part."""

from __future__ import annotations

import functools
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment

from generator.plugin import template_code
from generator.plugin.template_code import TemplateCode, code_folder


def env(kept: TemplateCode, templates: dict[str, str], **options: Any) -> Environment:
    """A new environment per build, as MkDocs makes one, using the kept code."""
    made = Environment(loader=DictLoader(templates), **options)
    kept.install(made)
    return made


def test_a_template_is_compiled_once_for_the_same_source_and_environment() -> None:
    kept = TemplateCode()
    templates = {"page.html": "<p>{{ title }}</p>"}
    assert env(kept, templates).get_template("page.html").render(title="a") == "<p>a</p>"
    assert env(kept, templates).get_template("page.html").render(title="b") == "<p>b</p>"
    assert (kept.compiled, kept.hits) == (1, 1)


def test_an_edited_template_is_compiled_again() -> None:
    kept = TemplateCode()
    env(kept, {"page.html": "<p>{{ title }}</p>"}).get_template("page.html")
    edited = env(kept, {"page.html": "<h1>{{ title }}</h1>"}).get_template("page.html")
    assert edited.render(title="a") == "<h1>a</h1>"
    assert (kept.compiled, kept.hits) == (2, 0)


def test_options_that_change_the_code_are_in_the_key() -> None:
    kept = TemplateCode()
    templates = {"page.html": "{% if x %}\n  yes\n{% endif %}\n<{{ '<b>' }}>"}
    plain = env(kept, templates).get_template("page.html").render(x=True)
    trimmed = env(kept, templates, trim_blocks=True, lstrip_blocks=True,
                  autoescape=True).get_template("page.html").render(x=True)
    assert plain == "\n  yes\n\n<<b>>"
    assert trimmed == "  yes\n<&lt;b&gt;>"
    assert kept.hits == 0


def test_filters_are_in_the_key() -> None:
    """Jinja folds a filter of a constant into the code at compile time: a filter of the
    same name doing something else (a hook edited under serve) must not reuse that code."""
    kept = TemplateCode()
    templates = {"page.html": "{{ 'Word'|shout }}"}
    loud = env(kept, templates)
    loud.filters["shout"] = lambda s: s.upper()
    assert loud.get_template("page.html").render() == "WORD"
    def lower(text: str) -> str:
        return text.lower()

    quiet = env(kept, templates)
    quiet.filters["shout"] = lower
    assert quiet.get_template("page.html").render() == "word"
    assert kept.hits == 0
    again = env(kept, templates)  # the same filters (MkDocs' are, build after build)
    again.filters["shout"] = lower
    assert again.get_template("page.html").render() == "word"
    assert kept.hits == 1


# -- on disk (template_code.code_folder(): beside the package's own compiled code) ----------
def test_code_on_disk_is_used_by_a_new_process(tmp_path: Path) -> None:
    """A new TemplateCode on the same folder is what a new process has: nothing compiles."""
    templates = {"page.html": "<p>{{ title|upper }}</p>"}
    first = TemplateCode(tmp_path)
    assert env(first, templates).get_template("page.html").render(title="a") == "<p>A</p>"
    assert first.compiled == 1 and len(list(tmp_path.glob("*.code"))) == 1
    second = TemplateCode(tmp_path)
    assert env(second, templates).get_template("page.html").render(title="b") == "<p>B</p>"
    assert (second.compiled, second.hits, second.read) == (0, 1, 1)


def test_code_on_disk_is_keyed_by_the_source_and_the_environment(tmp_path: Path) -> None:
    templates = {"page.html": "{{ 'one two three'|cut }}"}

    def cut(width: int) -> Environment:
        made = env(TemplateCode(tmp_path), templates)
        made.filters["cut"] = functools.partial(textwrap.shorten, width=width,
                                                placeholder="…")
        return made

    # Jinja folds the filter of a constant at compile time: its arguments are in the key.
    assert cut(9).get_template("page.html").render() == "one two…"
    assert cut(40).get_template("page.html").render() == "one two three"
    kept = TemplateCode(tmp_path)
    made = env(kept, {"page.html": "{{ 'one two three'|cut }}!"})  # an edited source
    made.filters["cut"] = functools.partial(textwrap.shorten, width=9, placeholder="…")
    assert made.get_template("page.html").render() == "one two…!"
    assert kept.read == 0
    again = TemplateCode(tmp_path)
    escaping = env(again, {"page.html": "{{ '<b>'|cut }}"}, autoescape=True)
    escaping.filters["cut"] = functools.partial(textwrap.shorten, width=9, placeholder="…")
    assert escaping.get_template("page.html").render() == "&lt;b&gt;"
    assert again.read == 0
    same = TemplateCode(tmp_path)  # each of the above, as it was: read back
    made = env(same, templates)
    made.filters["cut"] = functools.partial(textwrap.shorten, width=40, placeholder="…")
    assert made.get_template("page.html").render() == "one two three"
    assert (same.read, same.compiled) == (1, 0)


def test_an_environment_that_cannot_be_named_keeps_its_code_in_memory(tmp_path: Path) -> None:
    class Shout:
        def upper(self, text: str) -> str:
            return text.upper()

    kept = TemplateCode(tmp_path)
    made = env(kept, {"page.html": "{{ 'word'|shout }}"})
    made.filters["shout"] = Shout().upper  # a bound method: its object is not named
    assert made.get_template("page.html").render() == "WORD"
    assert kept.compiled == 1 and list(tmp_path.iterdir()) == []


def test_damaged_code_on_disk_is_compiled_again(tmp_path: Path) -> None:
    templates = {"page.html": "<p>{{ title }}</p>"}
    env(TemplateCode(tmp_path), templates).get_template("page.html")
    (path,) = tmp_path.glob("*.code")
    path.write_bytes(path.read_bytes()[:-20])  # cut short
    kept = TemplateCode(tmp_path)
    assert env(kept, templates).get_template("page.html").render(title="x") == "<p>x</p>"
    assert (kept.compiled, kept.read) == (1, 0)
    rewritten = TemplateCode(tmp_path)  # the damaged file was replaced by sound code
    assert env(rewritten, templates).get_template("page.html").render(title="y") == "<p>y</p>"
    assert (rewritten.compiled, rewritten.read) == (0, 1)


def test_no_code_on_disk_where_python_writes_no_bytecode(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    folder = code_folder()
    assert folder is not None and folder.parent.name == "__pycache__"
    assert folder.parent.parent == Path(template_code.__file__).parent
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert code_folder() is None
