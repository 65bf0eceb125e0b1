"""What `toolkit validate` says about translations: stale ones (the source text changed
since), keys that are no translatable field, languages the kb does not declare."""

from __future__ import annotations

from ..loaded import Loaded
from ..problems import Problem, shown
from .coverage import closest, declared_languages, iter_stale, walk

# Warnings for translators that never stop a (strict) build: a source text edited in a
# pull request must not wait for every translator.
ADVISORY = frozenset({"translation-stale"})


def translation_problems(loaded: Loaded) -> list[Problem]:
    source, others = declared_languages(loaded)
    entries, unknown = walk(loaded, others)
    problems: list[Problem] = []
    for e in iter_stale(entries):
        assert e.hash_loc is not None
        problems.append(Problem(
            e.source.rel, e.source.doc.line(e.hash_loc),
            ".".join(map(str, e.hash_loc)),
            f"the {source} text of '{e.hash_key}' changed since this {e.lang} translation "
            f"was made (fingerprint {shown(e.recorded)}, now {e.current})",
            f"review the {e.lang} '{e.hash_key}' against the {source} text (`toolkit diff` or "
            f"the pull request shows what changed), then write {e.hash_key}: {e.current} "
            f"under translations.{e.lang}.source_hash",
            "warning", code="translation-stale",
        ))
    for u in unknown:
        hint = closest(u.key, u.allowed)
        problems.append(Problem(
            u.source.rel, u.source.doc.line(u.loc), ".".join(map(str, u.loc)),
            f"'{shown(u.key)}' is not a translatable field here",
            (f"did you mean '{hint}'? " if hint else "")
            + "use one of: " + ", ".join(u.allowed),
            code="unknown-key",
        ))
    problems.extend(_sentences(loaded))
    declared = {source, *others}
    # Without country.yml (reported as missing) the declared languages are unknown: warning
    # about every translation in the kb would bury the one real problem.
    has_country = any(s.kind == "country" for s in loaded.sources)
    for s in loaded.sources if has_country else ():
        for loc, lang in _languages_used(s.doc.data, ()):
            if lang not in declared and not _form_language(loaded, lang):
                problems.append(Problem(
                    s.rel, s.doc.line(loc), ".".join(map(str, loc)),
                    f"'{shown(lang)}' is not a site language of this kb, so this translation "
                    "is never shown",
                    "add it to site_languages in kb/country.yml, or correct the language code "
                    f"({', '.join(sorted(declared))})",
                    "warning", code="translation-language",
                ))
    return problems


def _languages_used(data: object, loc: tuple[str | int, ...]):  # type: ignore[no-untyped-def]
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "translations" and isinstance(v, dict):
                for lang in v:
                    yield (*loc, k, lang), str(lang)
            else:
                yield from _languages_used(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _languages_used(v, (*loc, i))


def _form_language(loaded: Loaded, lang: str) -> bool:
    """Questionnaire languages (form_languages) may differ from the site's."""
    country = next((s for s in loaded.sources if s.kind == "country"), None)
    forms = country.doc.data.get("form_languages") if country and isinstance(
        country.doc.data, dict) else None
    return isinstance(forms, list) and any(
        isinstance(f, dict) and f.get("code") == lang for f in forms)


def _sentences(loaded: Loaded) -> list[Problem]:
    """A translated mock-up sentence may use the same placeholders as the source sentence."""
    from ..mockup import template_problems

    problems: list[Problem] = []
    for source in loaded.sources:
        q = source.record
        if source.kind != "question" or q is None:
            continue
        for lang, tr in q.translations.items():
            sentence = (getattr(tr, "mockup", None) or {}).get("sentence")
            if not sentence:
                continue
            other = q.model_copy(update={"mockup": q.mockup.model_copy(
                update={"sentence": sentence})})
            loc = ("translations", lang, "mockup", "sentence")
            for _, message in template_problems(other):
                problems.append(Problem(source.rel, source.doc.line(loc), ".".join(loc),
                                        message, code="placeholder-unknown"))
    return problems
