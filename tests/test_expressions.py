"""XLSForm expressions: parsing (with positioned errors), references and evaluation."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from generator.expressions import (
    Binary,
    Call,
    Current,
    Expr,
    ExpressionError,
    Literal,
    Path,
    Ref,
    Unary,
    evaluate,
    parse,
    references,
    to_text,
)


def ev(text: str, current: object = "", **values: object) -> object:
    return evaluate(parse(text), values, current)


@pytest.mark.parametrize("text, refs", [
    ("${idps_present} = 'yes'", {"idps_present"}),
    ("selected(${needs}, 'food') and ${hh} > 10", {"needs", "hh"}),
    ("not(selected(., 'none') and count-selected(.) > 1)", set()),
    (". >= 0 and . <= 500", set()),
    ("admin1 = ${province}", {"province"}),
    ("if(${a} = '', 0, ${a}) + ${b} * 2 div 3 mod 4", {"a", "b"}),
    ("regex(., '^[0-9]{3}$')", set()),
    ("jr:choice-name(${site_type}, '${site_type}')", {"site_type"}),
    ("string-length(.) <= 20", set()),
    ("-${x} < 3", {"x"}),
    ("coalesce(${a}, ${b}) != ''", {"a", "b"}),
    ("${a}-1 = 2", {"a"}),
    ("today() >= ${arrival_date}", {"arrival_date"}),
])
def test_parse_and_references(text: str, refs: set[str]) -> None:
    assert references(parse(text)) == refs


def test_precedence() -> None:
    assert parse("1 + 2 * 3") == Binary("+", Literal(1.0), Binary("*", Literal(2.0),
                                                                   Literal(3.0)))
    assert parse("${a} = 'x' or ${b} = 'y' and ${c} = 'z'") == Binary(
        "or", Binary("=", Ref("a"), Literal("x")),
        Binary("and", Binary("=", Ref("b"), Literal("y")), Binary("=", Ref("c"), Literal("z"))))
    assert parse("selected(${a}, 'x')").args[0].pos == 9  # type: ignore[union-attr]
    assert ev("10 - 4 - 3") == 3.0
    assert ev("2 * (3 + 4)") == 14.0


@pytest.mark.parametrize("text, message, position", [
    ("(${a} = 'yes'", "unbalanced parenthesis: '(' is never closed", 0),
    ("${a} = 'yes')", "unbalanced parenthesis: ')' has no matching '('", 12),
    ("selected(${a}, 'x'", "unbalanced parenthesis: '(' is never closed", 8),
    ("selectd(${a}, 'x')", "unknown function 'selectd()'", 0),
    ("${a} = 'yes", "the text starting with ' is never closed", 7),
    ("${a = 1", "'${' is never closed with '}'", 0),
    ("${a b} = 1", "'${a b}' is not a valid question name", 0),
    ("${a} =", "the expression ends too early: a value is missing", 6),
    ("", "the expression is empty", 0),
    ("${a} ${b}", "unexpected 'b': an operator is missing", 5),
    ("selected(${a})", "selected() takes 2 arguments, not 1", 0),
    ("${a} = # 1", "unexpected character '#'", 7),
    ("and 1", "unexpected 'and': a value is missing before it", 0),
])
def test_errors_say_what_and_where(text: str, message: str, position: int) -> None:
    with pytest.raises(ExpressionError) as err:
        parse(text)
    assert err.value.message == message
    assert err.value.position == position
    assert f"(at character {position + 1})" in str(err.value)


@pytest.mark.parametrize("text, values, current, expected", [
    ("${idps} = 'yes'", {"idps": "yes"}, "", True),
    ("${idps} = 'yes'", {"idps": "no"}, "", False),
    ("${idps} = 'yes'", {}, "", False),
    ("${idps} != 'yes'", {}, "", True),
    ("selected(${needs}, 'food')", {"needs": "water food"}, "", True),
    ("selected(${needs}, 'foo')", {"needs": "water food"}, "", False),
    ("selected(${needs}, 'food')", {"needs": ["food"]}, "", True),
    ("count-selected(${needs})", {"needs": "a b c"}, "", 3.0),
    ("not(selected(., 'none') and count-selected(.) > 1)", {}, "none water", False),
    ("not(selected(., 'none') and count-selected(.) > 1)", {}, "none", True),
    ("not(selected(., 'none') and count-selected(.) > 1)", {}, "food water", True),
    (". >= 0 and . <= 500", {}, 250, True),
    (". >= 0 and . <= 500", {}, 501, False),
    (". >= 0 and . <= 500", {}, "", False),
    ("${hh} > 10", {"hh": "12"}, "", True),
    ("${hh} > 10", {"hh": 9}, "", False),
    ("${hh} > 10", {}, "", False),
    ("string-length(.) <= 3", {}, "abcd", False),
    ("if(${a} = '', 0, ${a}) + 1", {"a": 4}, "", 5.0),
    ("if(${a} = '', 0, ${a}) + 1", {}, "", 1.0),
    ("coalesce(${a}, ${b})", {"b": "x"}, "", "x"),
    ("coalesce(${a}, ${b})", {"a": "y", "b": "x"}, "", "y"),
    ("int(7.9)", {}, "", 7.0),
    ("int(-7.9)", {}, "", -7.0),
    ("number('3.5') * 2", {}, "", 7.0),
    ("7 mod 3", {}, "", 1.0),
    ("7 div 2", {}, "", 3.5),
    ("regex(., '^[0-9]{3}$')", {}, "123", True),
    ("regex(., '^[0-9]{3}$')", {}, "12a", False),
    ("${d} <= today()", {"d": dt.date(2020, 1, 1)}, "", True),
    ("${n} = 2", {"n": 2}, "", True),
    ("${flag} = true()", {"flag": True}, "", True),
])
def test_evaluate(text: str, values: dict, current: object, expected: object) -> None:
    assert evaluate(parse(text), values, current) == expected


def test_if_evaluates_only_the_branch_taken() -> None:
    # pulldata() cannot run outside a form; the untaken branch must not be evaluated.
    assert ev("if(1 = 1, 'a', pulldata('x', 'y', 'z', 'w'))") == "a"
    with pytest.raises(ExpressionError, match="cannot be evaluated"):
        ev("if(1 = 2, 'a', pulldata('x', 'y', 'z', 'w'))")


# --- property: printing a tree and parsing it back gives the same tree ----------------------

_NAMES = ["a", "idps_present", "hh_count", "x.y", "n-1"]
_FUNCS = [("selected", 2), ("count-selected", 1), ("not", 1), ("if", 3), ("coalesce", 2),
          ("int", 1), ("string-length", 1), ("today", 0), ("concat", 3)]
_OPS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]


def _random_expr(rng: random.Random, depth: int) -> Expr:
    if depth == 0 or rng.random() < 0.25:
        kind = rng.randrange(5)
        if kind == 0:
            return Ref(rng.choice(_NAMES))
        if kind == 1:
            return Literal(float(rng.randrange(0, 1000)) / rng.choice([1, 4]))
        if kind == 2:
            return Literal(rng.choice(["yes", "no", "", "don't know", "a b"]))
        if kind == 3:
            return Current(parent=rng.random() < 0.2)
        return Path(rng.choice(["admin1", "site_type"]))
    kind = rng.randrange(3)
    if kind == 0:
        return Binary(rng.choice(_OPS), _random_expr(rng, depth - 1), _random_expr(rng, depth - 1))
    if kind == 1:
        name, n = rng.choice(_FUNCS)
        return Call(name, tuple(_random_expr(rng, depth - 1) for _ in range(n)))
    return Unary("-", _random_expr(rng, depth - 1))


def _strip_pos(e: Expr) -> Expr:
    if isinstance(e, Ref):
        return Ref(e.name)
    if isinstance(e, Unary):
        return Unary(e.op, _strip_pos(e.operand))
    if isinstance(e, Binary):
        return Binary(e.op, _strip_pos(e.left), _strip_pos(e.right))
    if isinstance(e, Call):
        return Call(e.name, tuple(_strip_pos(a) for a in e.args))
    return e


def _normalise(e: Expr) -> Expr:
    """-5 parses as Unary(-, 5); a negative literal prints as -5: compare them as equal."""
    if isinstance(e, Literal) and isinstance(e.value, float) and e.value < 0:
        return Unary("-", Literal(-e.value))
    if isinstance(e, Unary):
        return Unary(e.op, _normalise(e.operand))
    if isinstance(e, Binary):
        return Binary(e.op, _normalise(e.left), _normalise(e.right))
    if isinstance(e, Call):
        return Call(e.name, tuple(_normalise(a) for a in e.args))
    return e


def test_print_then_parse_gives_the_same_tree() -> None:
    rng = random.Random(9)
    for _ in range(2000):
        tree = _random_expr(rng, 4)
        text = to_text(tree)
        assert _strip_pos(parse(text)) == _normalise(tree), text
        assert references(parse(text)) == references(tree)


def test_random_garbage_never_crashes_the_parser() -> None:
    rng = random.Random(10)
    alphabet = "${}()'\",.=<>!+-*/ abselctdivmod0123456789_"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 25)))
        try:
            parse(text)
        except ExpressionError as err:
            assert 0 <= err.position <= len(text)
