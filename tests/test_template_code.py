"""The theme's compiled templates kept across serve rebuilds (plugin/template_code.py) are
reused only for the same source compiled by an environment that compiles it the same way.
That an edited override shows under `mkdocs serve` is tests/test_edit_loop.py's part."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment

from generator.plugin.template_code import TemplateCode


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
