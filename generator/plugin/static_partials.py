"""Material's partials that print the same HTML on every page, rendered once per build.

Material renders the search box (partials/search.html), the colour palette toggle
(partials/palette.html), the back-to-top button (partials/top.html) and a few more into
every page, from the configuration and the theme's translations alone: 1,186 renderings of
the same HTML at 1,000 questions. A partial is kept after its first rendering only if the
names it reads are all constant for a build (jinja2.meta, when installed): a theme
version whose partial reads the page, its URL or anything else is rendered as before.
Templates it includes are named from those names (icons), so they are the same too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import meta

CANDIDATES = ("partials/search.html", "partials/palette.html", "partials/top.html",
              "partials/copyright.html", "partials/javascripts/palette.html",
              "partials/javascripts/content.html")
# The same for every page of a build: MkDocs' configuration, the theme's features (from
# it) and the theme's translations (a macro module whose language is from it).
CONSTANT = frozenset({"config", "features", "lang"})

Memo = dict[str, str]


def install(env: Any) -> Memo:
    """Make env's includes of the constant partials go through a memo for this build
    (returned, by template name)."""
    kept = {name for name in CANDIDATES if reads_only_constants(env, name)}
    memo: Memo = {}
    original = env.get_template

    def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
        template = original(name, parent, globals)
        if parent is not None and name in kept:
            return _Kept(template, name, memo)
        return template

    env.get_template = get_template
    return memo


def reads_only_constants(env: Any, name: str) -> bool:
    try:
        source = env.loader.get_source(env, name)[0]
    except Exception:  # noqa: BLE001 (no such template in this theme version)
        return False
    return meta.find_undeclared_variables(env.parse(source)) <= CONSTANT


class _Kept:
    """The template as an include uses it (new_context, root_render_func)."""

    def __init__(self, template: Any, name: str, memo: Memo) -> None:
        self.template, self.name, self.memo = template, name, memo

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.template.new_context(*args, **kwargs)

    def root_render_func(self, context: Any) -> Iterator[str]:
        html = self.memo.get(self.name)
        if html is None:
            html = self.memo[self.name] = "".join(self.template.root_render_func(context))
        yield html

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.template, attr)
