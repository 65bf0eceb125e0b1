"""What `toolkit validate` says about translations: stale ones (the source text changed
since), keys that are no translatable field, languages the kb does not declare."""

from __future__ import annotations

from ..check_memo import CheckMemo
from ..loaded import Loaded, Source
from ..problems import Problem, shown
from .coverage import closest, declared_languages, iter_stale, walk_source

# Warnings for translators that never stop a (strict) build: a source text edited in a
# pull request must not wait for every translator.
ADVISORY = frozenset({"translation-stale"})


# What a file's translation problems read besides the file: the languages.
Context = tuple[object, ...]
# Per record file: (its YAML, its record, the context, the problems by kind).
Found = tuple[list[Problem], list[Problem], list[Problem], list[Problem]]
Memo = dict[str, tuple[object, object, Context, Found]]


def translation_problems(loaded: Loaded, memo: Memo | None = None,
                         disk: CheckMemo | None = None) -> list[Problem]:
    """memo (`mkdocs serve`, kept by the plugin with its ParseMemo): each file's problems
    from an earlier build, reused while the file's parsed YAML and record are the very
    objects that build had (the ParseMemo hands back the same ones for unchanged bytes; a
    question that adopts from the library is parsed anew each build, so it is never
    reused) and the languages are the same. Entries of files gone are dropped. disk: a new
    process reads them back from the cache folder (check_memo.py) by the file's bytes."""
    source, others = declared_languages(loaded)
    # Without country.yml (reported as missing) the declared languages are unknown: warning
    # about every translation in the kb would bury the one real problem.
    has_country = any(s.kind == "country" for s in loaded.sources)
    forms = _form_languages(loaded)
    context: Context = (source, tuple(others), has_country, repr(forms))
    found: list[Found] = []
    kept: Memo = {}
    for s in loaded.sources:
        entry = memo.get(s.rel) if memo is not None else None
        digest = disk.digest(s.doc, s.record) if disk is not None else None
        stored = disk.key("translations", s.kind, s.rel, context, digest) \
            if disk is not None and digest else None
        if (entry is not None and entry[0] is s.doc and entry[1] is s.record
                and entry[2] == context):
            result = entry[3]
            if stored is not None:  # its entry in the cache folder stays
                disk.keep(stored)  # type: ignore[union-attr]
        elif stored is not None and (read := disk.get(stored, 4)) is not None:  # type: ignore[union-attr]
            result = (read[0], read[1], read[2], read[3])
        else:
            result = _file_problems(s, source, others, has_country, forms)
            if stored is not None:
                disk.put(stored, result)  # type: ignore[union-attr]
        kept[s.rel] = (s.doc, s.record, context, result)
        found.append(result)
    if memo is not None:
        memo.clear()
        memo.update(kept)
    # The same order as the checks of the whole kb had: each kind of problem, file by file.
    return [p for kind in range(4) for result in found for p in result[kind]]


def _file_problems(s: Source, source: str, others: list[str], has_country: bool,
                   forms: list[object]) -> Found:
    entries, unknown = walk_source(s, others)
    stale: list[Problem] = []
    for e in iter_stale(entries):
        assert e.hash_loc is not None
        stale.append(Problem(
            e.source.rel, e.source.doc.line(e.hash_loc),
            ".".join(map(str, e.hash_loc)),
            f"the {source} text of '{e.hash_key}' changed since this {e.lang} translation "
            f"was made (fingerprint {shown(e.recorded)}, now {e.current})",
            f"review the {e.lang} '{e.hash_key}' against the {source} text (`toolkit diff` or "
            f"the pull request shows what changed), then write {e.hash_key}: {e.current} "
            f"under translations.{e.lang}.source_hash",
            "warning", code="translation-stale",
        ))
    keys: list[Problem] = []
    for u in unknown:
        hint = closest(u.key, u.allowed)
        keys.append(Problem(
            u.source.rel, u.source.doc.line(u.loc), ".".join(map(str, u.loc)),
            f"'{shown(u.key)}' is not a translatable field here",
            (f"did you mean '{hint}'? " if hint else "")
            + "use one of: " + ", ".join(u.allowed),
            code="unknown-key",
        ))
    declared = {source, *others}
    languages: list[Problem] = []
    for loc, lang in _languages_used(s.doc.data, ()) if has_country else ():
        if lang not in declared and lang not in forms:
            languages.append(Problem(
                s.rel, s.doc.line(loc), ".".join(map(str, loc)),
                f"'{shown(lang)}' is not a site language of this kb, so this translation "
                "is never shown",
                "add it to site_languages in kb/country.yml, or correct the language code "
                f"({', '.join(sorted(declared))})",
                "warning", code="translation-language",
            ))
    return stale, keys, _sentences(s), languages


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


def _form_languages(loaded: Loaded) -> list[object]:
    """Questionnaire languages (form_languages) may differ from the site's: their codes."""
    country = next((s for s in loaded.sources if s.kind == "country"), None)
    forms = country.doc.data.get("form_languages") if country and isinstance(
        country.doc.data, dict) else None
    return [f.get("code") for f in forms if isinstance(f, dict)] \
        if isinstance(forms, list) else []


def _sentences(source: Source) -> list[Problem]:
    """A translated mock-up sentence may use the same placeholders as the source sentence."""
    from ..mockup import template_problems

    problems: list[Problem] = []
    q = source.record
    if source.kind != "question" or q is None:
        return problems
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
