"""XLSForm expressions (relevant, constraint, calculation, choice_filter): parse, inspect, evaluate.

A small Pratt parser for the XPath subset XLSForms use. Parsing is strict so a typo is a
validation error with its position, not a form that Kobo or ODK refuses in the field.
`evaluate` implements the functions relevance and constraints use, with ODK's conventions:
an unanswered question is "", a select_multiple answer is its codes separated by spaces.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

# --- syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """${name}: the answer to another question."""

    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Current:
    """`.`: the answer being checked (constraints); `..` is the enclosing group."""

    parent: bool = False


@dataclass(frozen=True)
class Literal:
    value: str | float


@dataclass(frozen=True)
class Path:
    """A bare name, e.g. a choices-sheet column in a choice_filter (admin1 = ${province})."""

    name: str


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    pos: int = field(default=0, compare=False)


Expr = Ref | Current | Literal | Path | Unary | Binary | Call


class ExpressionError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


# Functions of the ODK XForms spec that forms commonly use; anything else is a typo or
# a function Kobo/ODK would refuse. Values: (min args, max args or None for any number).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2), "count-selected": (1, 1), "selected-at": (2, 2),
    "jr:choice-name": (2, 2), "string-length": (0, 1), "if": (3, 3), "today": (0, 0),
    "now": (0, 0), "regex": (2, 2), "coalesce": (2, 2), "int": (1, 1), "number": (1, 1),
    "string": (0, 1), "concat": (0, None), "not": (1, 1), "true": (0, 0), "false": (0, 0),
    "boolean": (1, 1), "round": (1, 2), "floor": (1, 1), "ceiling": (1, 1), "abs": (1, 1),
    "pow": (2, 2), "sum": (1, 1), "count": (1, 1), "min": (1, None), "max": (1, None),
    "substr": (2, 3), "contains": (2, 2), "starts-with": (2, 2), "ends-with": (2, 2),
    "normalize-space": (0, 1), "date": (1, 1), "format-date": (2, 2),
    "decimal-date-time": (1, 1), "position": (0, 1), "once": (1, 1), "uuid": (0, 1),
    "random": (0, 0), "indexed-repeat": (3, None), "join": (2, 2), "pulldata": (4, 4),
    "translate": (3, 3), "boolean-from-string": (1, 1), "checklist": (2, None),
    "weighted-checklist": (3, None), "last": (0, 0), "version": (0, 0),
}

# --- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,|\.\.|\.|/|\|)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.:-]*)
""", re.X)
_VALID_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_WORD_OPS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class Token:
    kind: str  # ref, number, string, op, name, end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch in "'\"":
                raise ExpressionError(f"the text starting with {ch} is never closed", pos)
            if text.startswith("${", pos):
                raise ExpressionError("'${' is never closed with '}'", pos)
            raise ExpressionError(f"unexpected character {ch!r}", pos)
        kind = m.lastgroup if m.lastgroup != "refname" else "ref"
        if kind == "ref":
            name = m.group("refname")
            if not _VALID_NAME.match(name):
                raise ExpressionError(f"'${{{name}}}' is not a valid question name", pos)
            tokens.append(Token("ref", name, pos))
        elif kind == "name" and m.group() in _WORD_OPS:
            tokens.append(Token("op", m.group(), pos))
        elif kind != "space":
            tokens.append(Token(kind or "", m.group(), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- parser --------------------------------------------------------------------------------

# Binding power of infix operators (XPath 1.0 precedence).
_INFIX = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
          "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6, "|": 7}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise ExpressionError("the expression is empty", 0)
        expr = self.expr(0)
        tok = self.peek()
        if tok.kind != "end":
            if tok.text == ")":
                raise ExpressionError("unbalanced parenthesis: ')' has no matching '('", tok.pos)
            raise ExpressionError(f"unexpected {tok.text!r}: an operator is missing", tok.pos)
        return expr

    def expr(self, power: int) -> Expr:
        left = self.prefix()
        while True:
            tok = self.peek()
            bp = _INFIX.get(tok.text) if tok.kind == "op" else None
            if bp is None or bp <= power:
                return left
            self.next()
            left = Binary(tok.text, left, self.expr(bp))

    def prefix(self) -> Expr:
        tok = self.next()
        if tok.kind == "ref":
            return Ref(tok.text, tok.pos)
        if tok.kind == "number":
            return Literal(float(tok.text))
        if tok.kind == "string":
            return Literal(tok.text[1:-1])
        if tok.kind == "op":
            if tok.text == "(":
                inner = self.expr(0)
                close = self.next()
                if close.text != ")":
                    raise ExpressionError("unbalanced parenthesis: '(' is never closed", tok.pos)
                return inner
            if tok.text == "-":
                return Unary("-", self.expr(6))
            if tok.text in (".", ".."):
                return Current(parent=tok.text == "..")
        if tok.kind == "name":
            if self.peek().text == "(":
                return self.call(tok)
            return Path(tok.text)
        if tok.kind == "end":
            raise ExpressionError("the expression ends too early: a value is missing", tok.pos)
        if tok.text == ")":
            raise ExpressionError("unbalanced parenthesis: ')' has no matching '('", tok.pos)
        raise ExpressionError(f"unexpected {tok.text!r}: a value is missing before it", tok.pos)

    def call(self, name: Token) -> Call:
        open_ = self.next()
        args: list[Expr] = []
        if self.peek().text != ")":
            while True:
                if self.peek().kind == "end":
                    break
                args.append(self.expr(0))
                if self.peek().text != ",":
                    break
                self.next()
        close = self.next()
        if close.text != ")":
            raise ExpressionError("unbalanced parenthesis: '(' is never closed", open_.pos)
        if name.text not in FUNCTIONS:
            raise ExpressionError(f"unknown function '{name.text}()'", name.pos)
        low, high = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            want = str(low) if low == high else f"{low} to {high}" if high else f"{low} or more"
            raise ExpressionError(
                f"{name.text}() takes {want} {'argument' if want == '1' else 'arguments'}, "
                f"not {len(args)}", name.pos)
        return Call(name.text, tuple(args), name.pos)


def parse(text: str) -> Expr:
    """The syntax tree of an XLSForm expression; ExpressionError says what and where."""
    return _Parser(text).parse()


def walk(expr: Expr) -> Iterator[Expr]:
    yield expr
    if isinstance(expr, Unary):
        yield from walk(expr.operand)
    elif isinstance(expr, Binary):
        yield from walk(expr.left)
        yield from walk(expr.right)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from walk(arg)


def references(expr: Expr) -> set[str]:
    """The question names the expression reads (its ${...})."""
    return {e.name for e in walk(expr) if isinstance(e, Ref)}


def to_text(expr: Expr) -> str:
    """The expression written back as XLSForm text (normalised spacing)."""
    if isinstance(expr, Ref):
        return f"${{{expr.name}}}"
    if isinstance(expr, Current):
        return ".." if expr.parent else "."
    if isinstance(expr, Literal):
        if isinstance(expr.value, float):
            return _num_text(expr.value)
        return f"'{expr.value}'" if "'" not in expr.value else f'"{expr.value}"'
    if isinstance(expr, Path):
        return expr.name
    if isinstance(expr, Unary):
        return f"-{_wrap(expr.operand, 6)}"
    if isinstance(expr, Binary):
        bp = _INFIX[expr.op]
        # Left-associative: the right side needs brackets at equal precedence.
        return f"{_wrap(expr.left, bp - 1)} {expr.op} {_wrap(expr.right, bp)}"
    return f"{expr.name}({', '.join(to_text(a) for a in expr.args)})"


def _wrap(expr: Expr, power: int) -> str:
    text = to_text(expr)
    if isinstance(expr, Binary) and _INFIX[expr.op] <= power:
        return f"({text})"
    return text


def _num_text(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


# --- evaluation ----------------------------------------------------------------------------

Value = str | float | bool


def evaluate(expr: Expr, values: Mapping[str, object], current: object = "") -> Value:
    """The value of `expr` when the questions have `values` (by name); `.` is `current`.

    Unanswered or unknown questions are "" (as in ODK), so `${x} = 'yes'` is false and
    numeric comparisons with them are false.
    """
    return _Evaluator(values, current).eval(expr)


def _number(v: Value) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    try:
        return float(v.strip()) if v.strip() else math.nan
    except ValueError:
        return math.nan


def _string(v: Value) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "NaN" if math.isnan(v) else _num_text(v)
    return v


def _boolean(v: Value) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return not (v == 0 or math.isnan(v))
    return v != ""


def _compare(op: str, a: Value, b: Value) -> bool:
    if op in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            same = _boolean(a) == _boolean(b)
        elif isinstance(a, float) or isinstance(b, float):
            same = _number(a) == _number(b)
        else:
            same = a == b
        return same if op == "=" else not same
    x, y = _number(a), _number(b)
    if math.isnan(x) or math.isnan(y):
        # Dates compare as text (ISO dates sort like numbers).
        if isinstance(a, str) and isinstance(b, str) and a and b:
            x2, y2 = a, b
            return {"<": x2 < y2, "<=": x2 <= y2, ">": x2 > y2, ">=": x2 >= y2}[op]
        return False
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


class _Evaluator:
    def __init__(self, values: Mapping[str, object], current: object) -> None:
        self.values = values
        self.current = self.convert(current)

    @staticmethod
    def convert(raw: object) -> Value:
        if raw is None:
            return ""
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float):
            return float(raw)
        if isinstance(raw, list | tuple | set):
            return " ".join(str(x) for x in raw)
        if isinstance(raw, dt.date):
            return raw.isoformat()
        return str(raw)

    def eval(self, e: Expr) -> Value:
        if isinstance(e, Ref):
            return self.convert(self.values.get(e.name))
        if isinstance(e, Current):
            return self.current if not e.parent else ""
        if isinstance(e, Literal):
            return e.value
        if isinstance(e, Path):
            return self.convert(self.values.get(e.name))
        if isinstance(e, Unary):
            return -_number(self.eval(e.operand))
        if isinstance(e, Binary):
            return self.binary(e)
        return self.call(e)

    def binary(self, e: Binary) -> Value:
        if e.op == "and":
            return _boolean(self.eval(e.left)) and _boolean(self.eval(e.right))
        if e.op == "or":
            return _boolean(self.eval(e.left)) or _boolean(self.eval(e.right))
        a, b = self.eval(e.left), self.eval(e.right)
        if e.op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(e.op, a, b)
        x, y = _number(a), _number(b)
        if e.op == "+":
            return x + y
        if e.op == "-":
            return x - y
        if e.op == "*":
            return x * y
        if e.op == "div":
            return x / y if y else (math.nan if x == 0 or math.isnan(x) else math.copysign(
                math.inf, x))
        if e.op == "mod":
            return math.fmod(x, y) if y else math.nan
        raise ExpressionError(f"'{e.op}' cannot be evaluated here", 0)

    def call(self, e: Call) -> Value:
        if e.name == "if":  # evaluate only the branch taken
            cond = _boolean(self.eval(e.args[0]))
            return self.eval(e.args[1] if cond else e.args[2])
        fn = _CALLS.get(e.name)
        if fn is None:
            raise ExpressionError(f"{e.name}() cannot be evaluated outside a form", e.pos)
        args = [self.eval(a) for a in e.args]
        if e.name in ("string-length", "string", "normalize-space") and not args:
            args = [self.current]
        return fn(*args)


def _coalesce(a: Value, b: Value) -> Value:
    return a if _string(a) != "" else b


def _int(v: Value) -> float:
    x = _number(v)
    return x if math.isnan(x) or math.isinf(x) else float(math.trunc(x))


def _round(v: Value, digits: Value = 0.0) -> float:
    x, n = _number(v), int(_number(digits))
    if math.isnan(x):
        return x
    scaled = x * 10 ** n
    return math.floor(scaled + 0.5) / 10 ** n  # XPath rounds half up


_CALLS: dict[str, Callable[..., Value]] = {
    "selected": lambda a, b: _string(b).strip() in _string(a).split(),
    "count-selected": lambda a: float(len(_string(a).split())),
    "selected-at": lambda a, i: (_string(a).split() + [""] * (int(_number(i)) + 1))[
        int(_number(i))] if not math.isnan(_number(i)) else "",
    "string-length": lambda a: float(len(_string(a))),
    "today": lambda: dt.date.today().isoformat(),
    "now": lambda: dt.datetime.now().isoformat(timespec="seconds"),
    "regex": lambda a, p: re.search(_string(p), _string(a)) is not None,
    "coalesce": _coalesce,
    "int": _int,
    "number": _number,
    "string": _string,
    "concat": lambda *a: "".join(_string(x) for x in a),
    "not": lambda a: not _boolean(a),
    "true": lambda: True,
    "false": lambda: False,
    "boolean": _boolean,
    "round": _round,
    "floor": lambda a: float(math.floor(_number(a))) if math.isfinite(_number(a)) else _number(a),
    "ceiling": lambda a: float(math.ceil(_number(a))) if math.isfinite(_number(a)) else _number(a),
    "abs": lambda a: abs(_number(a)),
    "pow": lambda a, b: _number(a) ** _number(b),
    "min": lambda *a: min(_number(x) for x in a),
    "max": lambda *a: max(_number(x) for x in a),
    "substr": lambda s, a, b=None: _string(s)[int(_number(a)):(
        None if b is None else int(_number(b)))],
    "contains": lambda a, b: _string(b) in _string(a),
    "starts-with": lambda a, b: _string(a).startswith(_string(b)),
    "ends-with": lambda a, b: _string(a).endswith(_string(b)),
    "normalize-space": lambda a: " ".join(_string(a).split()),
    "boolean-from-string": lambda a: _string(a) in ("true", "1"),
}
