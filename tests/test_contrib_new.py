"""`toolkit new question|partner`: a template with every field explained and TODOs to fill.

As written, the only validation errors are the TODOs (one per value, each on its own line);
once they are filled in, the record is valid.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from support import SAMPLE_KB

from generator.cli import main
from generator.loader import load
from generator.models import Partner, Question
from generator.scaffold import QUESTION_TYPES
from generator.yamlio import read_yaml


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    shutil.copytree(SAMPLE_KB, dest)
    shutil.copytree(SAMPLE_KB.parent / "library", tmp_path / "library")  # what it adopts from
    return dest


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def fill(text: str) -> str:
    """What a partner does: replace every TODO with real content."""
    text = re.sub(r'"TODO:[^"]*"', '"Filled in by the partner."', text)
    text = text.replace("todo_1", "first_reply").replace("todo_2", "second_reply")
    text = text.replace("needs: [todo]", "needs: [wash-water-source]")  # kb has needs
    return text.replace("[todo]", "[wash-cluster]")


def error_lines(kb: Path) -> list[tuple[str, int, str]]:
    result, report = load(kb)
    assert result is None
    return [(p.path, p.line, p.format()) for p in report.errors]


def field_names(model: type, prefix: str = "") -> set[str]:
    """Dotted names of every field of a model and of the models nested in it."""
    from generator.errors_text import _unwrap

    names = set()
    for name, info in model.model_fields.items():
        names.add(prefix + name)
        inner = _unwrap(info.annotation)
        if isinstance(inner, type) and hasattr(inner, "model_fields"):
            names |= field_names(inner, prefix + name + ".")
    return names


def mentioned(text: str, dotted: str) -> bool:
    """The field appears as a key, commented out or not, at its nesting level."""
    leaf = dotted.split(".")[-1]
    return re.search(rf"(?m)^[ #-]*{re.escape(leaf)}:", text) is not None


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_new_question_lists_only_todos_until_filled(kb: Path, qtype: str) -> None:
    result = run("new", "question", "--sector", "wash", "--id", "wash-latrine-distance",
                 "--type", qtype, "--kb", str(kb))
    assert result.exit_code == 0, result.output
    path = kb / "questions" / "wash" / "wash-latrine-distance.yml"
    assert f"Wrote {path}" in result.output and "toolkit validate" in result.output
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()

    errors = error_lines(kb)
    assert errors, "an unfilled template must not pass validation"
    for rel, line, message in errors:
        assert rel == "kb/questions/wash/wash-latrine-distance.yml", message
        assert re.search(r"(?i)todo", lines[line - 1]), (message, lines[line - 1])
    todo_lines = [i for i, line in enumerate(lines, 1)
                  if not line.lstrip().startswith("#") and re.search(r"(?i)todo", line)]
    assert sorted({line for _, line, _ in errors}) == todo_lines

    path.write_text(fill(text), encoding="utf-8")
    loaded, report = load(kb)
    assert loaded is not None, report.format()
    q = loaded.questions["wash-latrine-distance"]
    assert q.type == qtype and q.status == "proposed"


def test_new_question_explains_every_field(kb: Path) -> None:
    assert run("new", "question", "--sector", "wash", "--kb", str(kb)).exit_code == 0
    text = (kb / "questions" / "wash" / "wash-new-question.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/question.schema.json\n")
    for name in sorted(field_names(Question)):
        assert mentioned(text, name), name
    for line_no, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not stripped.startswith("- "):
            before = text.splitlines()[line_no - 2].strip()
            # Every field line has an explanation right above it (or is inside a list).
            assert before.startswith("#") or before.endswith(":") or before.startswith("- "), \
                (line_no, line)


def test_new_partner_lists_only_todos_until_filled(kb: Path) -> None:
    result = run("new", "partner", "--id", "veloria-red-crescent", "--type", "ngo",
                 "--kb", str(kb))
    assert result.exit_code == 0, result.output
    path = kb / "partners" / "veloria-red-crescent.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/partner.schema.json\n")
    for name in sorted(field_names(Partner)):
        assert mentioned(text, name), name
    errors = error_lines(kb)
    lines = text.splitlines()
    assert errors and all("TODO" in lines[line - 1] for _, line, _ in errors), errors
    path.write_text(fill(text), encoding="utf-8")
    loaded, report = load(kb)
    assert loaded is not None, report.format()
    assert loaded.partners["veloria-red-crescent"].type == "ngo"


@pytest.mark.parametrize(("kind", "args", "rel"), [
    ("question", ["question", "--sector", "wash", "--id", "wash-x"], "questions/wash/wash-x.yml"),
    ("partner", ["partner", "--id", "new-ngo"], "partners/new-ngo.yml"),
])
def test_template_matches_the_editor_schema(kb: Path, kind: str, args: list[str],
                                            rel: str) -> None:
    """The modeline resolves to the JSON Schema, and the template raises no editor error."""
    assert run("new", *args, "--kb", str(kb)).exit_code == 0
    path = kb / rel
    modeline = path.read_text(encoding="utf-8").splitlines()[0]
    schema_path = (path.parent / modeline.split("$schema=", 1)[1]).resolve()
    assert schema_path == (kb / "schemas" / f"{kind}.schema.json").resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(read_yaml(path).data, schema)


def test_refuses_to_overwrite(kb: Path) -> None:
    existing = kb / "questions" / "wash" / "wash-water-source.yml"
    before = existing.read_bytes()
    result = run("new", "question", "--sector", "wash", "--id", "wash-water-source",
                 "--kb", str(kb))
    assert result.exit_code == 1 and "already" in result.output
    assert existing.read_bytes() == before
    partner = kb / "partners" / "dtm.yml"
    before = partner.read_bytes()
    result = run("new", "partner", "--id", "dtm", "--kb", str(kb))
    assert result.exit_code == 1 and "already exists" in result.output
    assert partner.read_bytes() == before


def test_refuses_an_id_used_in_another_sector(kb: Path) -> None:
    result = run("new", "question", "--sector", "health", "--id", "wash-water-source",
                 "--kb", str(kb))
    assert result.exit_code == 1 and "already uses the id" in result.output
    assert not (kb / "questions" / "health" / "wash-water-source.yml").exists()


def test_unknown_sector_is_refused_with_a_suggestion(kb: Path) -> None:
    result = run("new", "question", "--sector", "wsh", "--kb", str(kb))
    assert result.exit_code == 2
    assert "unknown sector 'wsh'" in result.output and "did you mean 'wash'" in result.output
    assert not (kb / "questions" / "wsh").exists()


@pytest.mark.parametrize("bad", ["../evil", "Wash Water", "wash/x", "x" * 70])
def test_invalid_ids_are_refused(kb: Path, bad: str) -> None:
    for args in (["question", "--sector", "wash", "--id", bad], ["partner", "--id", bad]):
        result = run("new", *args, "--kb", str(kb))
        assert result.exit_code == 2 and "not a valid id" in result.output, result.output
    assert not list(kb.parent.glob("**/evil.yml"))


def test_default_ids_do_not_collide(kb: Path) -> None:
    for _ in range(2):
        assert run("new", "question", "--sector", "wash", "--kb", str(kb)).exit_code == 0
    names = sorted(p.name for p in (kb / "questions" / "wash").glob("wash-new-question*"))
    assert names == ["wash-new-question-2.yml", "wash-new-question.yml"]


def test_a_new_sector_folder_is_created(kb: Path) -> None:
    shutil.rmtree(kb / "questions" / "hlp", ignore_errors=True)
    assert run("new", "question", "--sector", "hlp", "--kb", str(kb)).exit_code == 0
    assert (kb / "questions" / "hlp" / "hlp-new-question.yml").is_file()


def test_missing_kb_is_a_clear_error(tmp_path: Path) -> None:
    result = run("new", "question", "--sector", "wash", "--kb", str(tmp_path / "nope"))
    assert result.exit_code == 1 and "sectors.yml not found" in result.output


def test_todo_typed_into_any_record_is_reported(kb: Path) -> None:
    path = kb / "partners" / "dtm.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["description"] = "TODO ask the coordinator"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    errors = error_lines(kb)
    assert len(errors) == 1
    rel, line, message = errors[0]
    assert rel == "kb/partners/dtm.yml" and "description: not filled in yet" in message
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("description:")


def test_todo_in_a_criterion_is_reported_once(kb: Path) -> None:
    path = kb / "questions" / "wash" / "wash-water-source.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^purpose: .*$", "purpose: TODO", text)
    path.write_text(text, encoding="utf-8")
    errors = error_lines(kb)
    assert len(errors) == 1 and " purpose: " in errors[0][2], errors


def test_new_need_lists_only_todos_until_filled(kb: Path) -> None:
    from generator.models import Need

    result = run("new", "need", "--id", "wash-latrines", "--partner", "wash-cluster",
                 "--kb", str(kb))
    assert result.exit_code == 0, result.output
    path = kb / "needs" / "wash-latrines.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/need.schema.json\n")
    for name in sorted(field_names(Need)):
        assert mentioned(text, name), name
    errors = error_lines(kb)
    assert errors and all(r == "kb/needs/wash-latrines.yml" and "TODO" in m
                          for r, _, m in errors)
    path.write_text(fill(text), encoding="utf-8")
    loaded, report = load(kb)
    assert loaded is not None, report.format()
    assert loaded.needs["wash-latrines"].raised_by == ["wash-cluster"]
    bad = run("new", "need", "--id", "x-need", "--partner", "wash-clustr", "--kb", str(kb))
    assert bad.exit_code == 2 and "did you mean 'wash-cluster'" in bad.output


# --- issue #11 records: use review, feedback, product -------------------------------------

def fill_process(text: str) -> str:
    """What DTM's IMO does: real values for every TODO of a process record."""
    text = re.sub(r'(?m)^date: "TODO:[^"]*"', "date: 2026-10-02", text)
    text = re.sub(r"(?m)^(\s*)used: TODO$", r"\1used: true", text)
    text = re.sub(r"(?m)^(\s*)state: TODO$", r"\1state: done", text)
    text = text.replace("question: todo", "question: wash-water-source")
    text = re.sub(r'"TODO:[^"]*"', '"Filled in: ZEBRA-MARK."', text)
    return text.replace("[todo]", "[wash-cluster]")


def assert_todo_lines_only(kb: Path, path: Path) -> None:
    """As written, validation fails, and every error names a TODO line of the new file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    errors = error_lines(kb)
    assert errors, "an unfilled template must not pass validation"
    rel = path.relative_to(kb.parent).as_posix()
    for where, line, message in errors:
        assert where == rel, message
        assert re.search(r"(?i)todo", lines[line - 1]), (message, lines[line - 1])
    todo_lines = [i for i, line in enumerate(lines, 1)
                  if not line.lstrip().startswith("#") and re.search(r"(?i)todo", line)]
    assert sorted({line for _, line, _ in errors}) == todo_lines


def explained(text: str, model: type) -> None:
    assert text.startswith("# yaml-language-server: $schema=../schemas/")
    for name in sorted(field_names(model)):
        assert mentioned(text, name), name
    lines = text.splitlines()
    for line_no, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "- ")) and not line.startswith(" "):
            before = lines[line_no - 2].strip()
            # Every top-level field has its explanation right above it.
            assert before.startswith("#") or before.endswith(":"), (line_no, line)


def built_pages(kb: Path) -> dict[str, str]:
    from generator.pages import Options, render_site

    loaded, report = load(kb)
    assert loaded is not None, report.format()
    return {p.path: p.content for p in render_site(loaded, Options(mockups=False))
            if isinstance(p.content, str)}


def test_new_use_review_lists_the_rounds_questions_until_filled(kb: Path) -> None:
    from generator.models import UseReview

    result = run("new", "use-review", "--round", "6", "--partner", "wash-cluster",
                 "--kb", str(kb))
    assert result.exit_code == 0, result.output
    path = kb / "use-reviews" / "round-6-wash-cluster.yml"
    text = path.read_text(encoding="utf-8")
    explained(text, UseReview)
    # One entry per agreed question asked by round 6 that the WASH Cluster requested.
    listed = re.findall(r"(?m)^  - question: (\S+)\n    partner: wash-cluster$", text)
    assert "wash-water-source" in listed and len(listed) == len(set(listed)) > 3
    assert_todo_lines_only(kb, path)
    path.write_text(fill_process(text), encoding="utf-8")
    pages = built_pages(kb)
    loaded, _ = load(kb)
    assert loaded is not None
    review = loaded.use_reviews["round-6-wash-cluster"]
    assert review.round == 6 and all(e.used for e in review.entries)
    assert "ZEBRA-MARK" in pages["use-review.md"]


def test_new_feedback_until_filled(kb: Path) -> None:
    from generator.models import Feedback

    result = run("new", "feedback", "--id", "r6-water-options", "--partner", "wash-cluster",
                 "--kb", str(kb))
    assert result.exit_code == 0, result.output
    path = kb / "feedback" / "r6-water-options.yml"
    text = path.read_text(encoding="utf-8")
    explained(text, Feedback)
    assert_todo_lines_only(kb, path)
    path.write_text(fill_process(text), encoding="utf-8")
    pages = built_pages(kb)
    loaded, _ = load(kb)
    assert loaded is not None
    f = loaded.feedback["r6-water-options"]
    assert (f.round, f.about, f.question, f.status) == (6, "question", "wash-water-source",
                                                         "open")
    assert "ZEBRA-MARK" in pages["feedback.md"]
    # A question's page shows the feedback about it.
    assert "ZEBRA-MARK" in pages["questions/wash/wash-water-source.md"]


@pytest.mark.parametrize("about", ["dataset", "methodology"])
def test_new_feedback_names_what_it_is_about(kb: Path, about: str) -> None:
    assert run("new", "feedback", "--id", "r6-x", "--about", about, "--kb", str(kb)).exit_code == 0
    text = (kb / "feedback" / "r6-x.yml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^dataset: todo$", text) is not None if about == "dataset" \
        else "\n# dataset:" in text
    assert "\n# question:" in text
    assert_todo_lines_only(kb, kb / "feedback" / "r6-x.yml")


@pytest.mark.parametrize(("kind", "applies"), [("report", "report"), ("dataset", "dataset"),
                                                ("dashboard", "report")])
def test_new_product_lists_its_checklist_items_until_filled(kb: Path, kind: str,
                                                            applies: str) -> None:
    from generator.models import Product

    result = run("new", "product", "--id", "msla-r6-x", "--kind", kind, "--kb", str(kb))
    assert result.exit_code == 0, result.output
    path = kb / "products" / "msla-r6-x.yml"
    text = path.read_text(encoding="utf-8")
    explained(text, Product)
    checklist = yaml.safe_load((kb / "checklist.yml").read_text(encoding="utf-8"))["items"]
    expected = [i["id"] for i in checklist if applies in i["applies_to"]]
    assert re.findall(r"(?m)^  - item: (\S+)$", text) == expected
    assert_todo_lines_only(kb, path)
    path.write_text(fill_process(text), encoding="utf-8")
    pages = built_pages(kb)
    loaded, _ = load(kb)
    assert loaded is not None
    p = loaded.products["msla-r6-x"]
    assert p.kind == kind and p.round == 6 and {c.state for c in p.checklist} == {"done"}
    assert "ZEBRA-MARK" in pages["products.md"]


@pytest.mark.parametrize("kind", ["use-reviews", "feedback", "products"])
def test_process_templates_match_the_editor_schema(kb: Path, kind: str) -> None:
    args = {"use-reviews": ["use-review", "--round", "6"],
            "feedback": ["feedback", "--id", "r6-x"],
            "products": ["product", "--id", "r6-x"]}[kind]
    assert run("new", *args, "--kb", str(kb)).exit_code == 0
    (path,) = [p for p in (kb / kind).glob("*.yml") if p.stem in ("r6-x", "round-6")]
    modeline = path.read_text(encoding="utf-8").splitlines()[0]
    schema_path = (path.parent / modeline.split("$schema=", 1)[1]).resolve()
    schema_name = {"use-reviews": "use-review", "feedback": "feedback",
                   "products": "product"}[kind]
    assert schema_path == (kb / "schemas" / f"{schema_name}.schema.json").resolve()
    # The filled record is what editors check against the schema (read as the kb reads it).
    path.write_text(fill_process(path.read_text(encoding="utf-8")), encoding="utf-8")
    # Editors read dates as strings.
    data = json.loads(json.dumps(read_yaml(path).data, default=str))
    jsonschema.validate(data, json.loads(schema_path.read_text(encoding="utf-8")))


def test_process_scaffolds_refuse_bad_input(kb: Path) -> None:
    before = (kb / "use-reviews" / "round-5.yml").read_bytes()
    result = run("new", "use-review", "--round", "5", "--kb", str(kb))
    assert result.exit_code == 1 and "already exists" in result.output
    assert (kb / "use-reviews" / "round-5.yml").read_bytes() == before
    bad = run("new", "feedback", "--id", "r6-y", "--partner", "wash-clustr", "--kb", str(kb))
    assert bad.exit_code == 2 and "did you mean 'wash-cluster'" in bad.output
    assert not (kb / "feedback" / "r6-y.yml").exists()
    for args in (["feedback", "--id", "Bad Id"], ["product", "--id", "../evil"],
                 ["use-review", "--id", "x/y"]):
        result = run("new", *args, "--kb", str(kb))
        assert result.exit_code == 2 and "not a valid id" in result.output, result.output
    zero = run("new", "product", "--id", "p0", "--round", "0", "--kb", str(kb))
    assert zero.exit_code == 2 and "--round" in zero.output
    assert not (kb / "products" / "p0.yml").exists()
