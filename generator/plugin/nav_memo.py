"""Material's navigation sidebar rendered once for all the pages outside the nav.

Material renders `partials/nav.html` into every page: a tenth of the theme's time. The
nav lists the hand-written pages only; the ~1,000 question, sector, partner and tag pages
are outside it, and for them the sidebar differs only by its links, which are relative to
the page. So its HTML is kept per set of relative links (and state of the nav items): a
question page reuses the sidebar of any page whose links to every nav entry read the same.
Pages in the nav (their entry is highlighted, their table of contents shown) are rendered
as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

NAV_TEMPLATE = "partials/nav.html"


Memo = dict[tuple[object, ...], str]


def install(env: Any, config: MkDocsConfig, nav: Navigation | None) -> Memo | None:
    """Make env's includes of the nav partial go through a memo for this build (returned)."""
    if nav is None:
        return None
    items = list(_walk(nav.items))
    # Every URL the sidebar can print, relative to the page: its entries, the home page
    # and the logo.
    urls = sorted({str(u) for u in (
        *(getattr(item, "url", None) for item in items),
        nav.homepage.url if nav.homepage is not None else None,
        config.extra.get("homepage"), config.theme.get("logo"),
    ) if u is not None})
    memo: Memo = {}
    original = env.get_template

    def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
        template = original(name, parent, globals)
        if name == NAV_TEMPLATE and parent is not None:
            return _Memoized(template, nav, items, urls, memo)
        return template

    env.get_template = get_template
    return memo


def _walk(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


class _Memoized:
    """The nav template, as an include uses it (new_context, root_render_func)."""

    def __init__(self, template: Any, nav: Navigation, items: list[Any], urls: list[str],
                 memo: Memo) -> None:
        self.template, self.nav, self.items, self.urls, self.memo = (
            template, nav, items, urls, memo)

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.template.new_context(*args, **kwargs)

    def root_render_func(self, context: Any) -> Iterator[str]:
        page = context.get("page")
        if not isinstance(page, Page) or page in self.nav.pages:
            yield from self.template.root_render_func(context)
            return
        base = context.get("base_url", "")
        key = (base, tuple(normalize_url(u, page=page, base=base) for u in self.urls),
               tuple(bool(getattr(item, "active", False)) for item in self.items))
        html = self.memo.get(key)
        if html is None:
            html = self.memo[key] = "".join(self.template.root_render_func(context))
        yield html

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.template, attr)
