"""Material's partials that print the same HTML on every page, rendered once per build.

Material renders the search box (partials/search.html), the colour palette toggle
(partials/palette.html), the back-to-top button (partials/top.html) and a few more into
every page, from the configuration and the theme's translations alone: 1,186 renderings of
the same HTML at 1,000 questions. A partial is kept after its first rendering only if the
names it reads are all constant for a build (jinja2.meta), it applies no filter or test
but a few pure ones and calls nothing but the theme's translations (MkDocs' `url` filter
reads the page from the context, which jinja2.meta does not see), and so do the templates
it includes: those named in it are checked with it, those whose name it makes from the
configuration (icons) when it first includes them. A theme version whose partial reads the
page, its URL or anything else is rendered as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import meta, nodes

CANDIDATES = ("partials/search.html", "partials/palette.html", "partials/top.html",
              "partials/copyright.html", "partials/javascripts/palette.html",
              "partials/javascripts/content.html")
# The same for every page of a build: MkDocs' configuration, the theme's features (from
# it) and the theme's translations (a macro module whose language is from it).
CONSTANT = frozenset({"config", "features", "lang"})

# Filters and tests whose result is a function of their arguments alone (those the kept
# partials use, and a few like them). Any other (`url` reads the page) refuses the partial.
PURE_FILTERS = frozenset({"d", "default", "replace", "e", "escape", "lower", "upper", "trim"})
PURE_TESTS = frozenset({"defined", "undefined", "none"})

Memo = dict[str, str]


def install(env: Any) -> Memo:
    """Make env's includes of the constant partials go through a memo for this build
    (returned, by template name)."""
    kept = {name for name in CANDIDATES if reads_only_constants(env, name)}
    memo: Memo = {}
    refused: set[str] = set()  # kept partials that included a template that is not pure
    owners: dict[str, set[str]] = {}  # template -> the kept partials that include it
    checked: dict[str, bool] = {}
    original = env.get_template

    def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
        template = original(name, parent, globals)
        if parent is None:
            return template
        if name in kept:
            return _Kept(template, name, memo, refused)
        roots = ({parent} if parent in kept else set()) | owners.get(parent, set())
        if roots and isinstance(name, str):
            owners.setdefault(name, set()).update(roots)
            if name not in checked:
                checked[name] = reads_only_constants(env, name)
            if not checked[name]:
                refused.update(roots)
        elif roots:
            refused.update(roots)
        return template

    env.get_template = get_template
    return memo


def reads_only_constants(env: Any, name: str, seen: set[str] | None = None) -> bool:
    """Whether the template, and the templates it names in its includes, read nothing but
    the constants, through pure filters and tests and the translations' macros."""
    seen = set() if seen is None else seen
    if name in seen:
        return True
    seen.add(name)
    try:
        source = env.loader.get_source(env, name)[0]
        tree = env.parse(source)
    except Exception:  # noqa: BLE001 (no such template in this theme version)
        return False
    if not meta.find_undeclared_variables(tree) <= CONSTANT or not _pure(tree):
        return False
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        if not isinstance(node, nodes.Include):
            return False  # a macro module or a parent template: not checked, not kept
        named = node.template
        if isinstance(named, nodes.Const) and not (
                isinstance(named.value, str) and reads_only_constants(env, named.value, seen)):
            return False
        # A name made from the constants (an icon) is checked when it is included.
    return True


def _pure(tree: nodes.Template) -> bool:
    if any(f.name not in PURE_FILTERS for f in tree.find_all(nodes.Filter)):
        return False
    if any(t.name not in PURE_TESTS for t in tree.find_all(nodes.Test)):
        return False
    for call in tree.find_all(nodes.Call):  # only lang.t(...) and the like
        callee = call.node
        if not (isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name)
                and callee.node.name == "lang"):
            return False
    return True


class _Kept:
    """The template as an include uses it (new_context, root_render_func)."""

    def __init__(self, template: Any, name: str, memo: Memo, refused: set[str]) -> None:
        self.template, self.name, self.memo, self.refused = template, name, memo, refused

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.template.new_context(*args, **kwargs)

    def root_render_func(self, context: Any) -> Iterator[str]:
        html = self.memo.get(self.name)
        if html is None:
            html = "".join(self.template.root_render_func(context))
            if self.name not in self.refused:  # what it included was pure too
                self.memo[self.name] = html
        yield html

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.template, attr)
