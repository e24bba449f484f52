"""The condition language: parsed once at load into small callables, never handed to eval().

Grammar (a safe subset of Python expression syntax, checked node by node):
numbers, 'strings', true/false, names (trust, trust_level, hierarchy, turns, flags),
== != < <= > >=, and/or/not, parentheses, and the functions of `FUNCTIONS`
(visited('node'), chose('choice')).

`FUNCTIONS` is the one registry of condition functions (like Yarn Spinner's `Library`):
the compiler, its error messages, the explorers (which facts a state must keep) and the
authoring guide (tests/test_conditions.py checks docs/authoring.md lists them) all read
it, so a new function is one entry here (plus the fact a driver keeps, engine.rules).
"""

from __future__ import annotations

import ast
import difflib
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from engine.errors import Location

MAX_CONDITION_LENGTH = 1000


class Facts(Protocol):
    """What a condition may read: the play state (read-only)."""

    @property
    def trust(self) -> int: ...

    @property
    def level_index(self) -> int: ...  # index into the scenario's trust levels

    @property
    def rung_index(self) -> int: ...  # index into the ladder

    @property
    def turns(self) -> int: ...

    @property
    def flags(self) -> Mapping[str, Any]: ...

    @property
    def visited(self) -> Any: ...  # container of node ids

    @property
    def chosen(self) -> Any: ...  # container of choice ids


Test = Callable[[Facts], Any]
"""A compiled condition: module-level functions bound with functools.partial and
operator.attrgetter, never closures, so that a compiled scenario pickles
(engine.scenario_cache) and a shared test keeps its identity through a pickle."""


def _const(value: Any, f: Facts) -> Any:
    return value


def _flag(name: str, f: Facts) -> Any:
    return f.flags.get(name, False)


def _has(ref: str, fact: Callable[[Facts], Any], f: Facts) -> bool:
    return ref in fact(f)


def _not(inner: Test, f: Facts) -> bool:
    return not inner(f)


def _all(parts: Sequence[Test], f: Facts) -> bool:
    for p in parts:
        if not p(f):
            return False
    return True


def _any(parts: Sequence[Test], f: Facts) -> bool:
    for p in parts:
        if p(f):
            return True
    return False


def _compare(op: Callable[[Any, Any], bool], lfun: Test, rfun: Test, f: Facts) -> bool:
    try:
        return op(lfun(f), rfun(f))
    except TypeError:  # e.g. a string flag compared with a number: simply false
        return False


@dataclass(frozen=True, slots=True)
class Condition:
    source: str
    loc: Location
    test: Test = field(repr=False, compare=False)
    names: frozenset[str] = frozenset()  # trust, trust_level, hierarchy, turns, or flag names
    visited_nodes: frozenset[str] = frozenset()
    chosen_ids: frozenset[str] = frozenset()

    def holds(self, facts: Facts) -> bool:
        return bool(self.test(facts))


class ConditionProblem(Exception):
    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class ConditionContext:
    """Everything a condition may name, known at load time."""

    levels: tuple[str, ...]
    ladder: tuple[str, ...]
    flags: frozenset[str]
    nodes: frozenset[str]
    choices: frozenset[str]


@dataclass(frozen=True, slots=True)
class Function:
    """A condition function: one id in quotes, true when the play's `fact` holds it."""

    name: str
    names: str  # what its argument names: "node" or "choice"
    fact: str  # the Facts attribute it reads: a container of ids ("visited", "chosen")
    meaning: str  # for the authoring guide and error messages


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "visited",
            "node",
            "visited",
            "the play has entered that node, automatic ones included",
        ),
        Function(
            "chose",
            "choice",
            "chosen",
            "the player has answered with that choice",
        ),
    )
}


def functions_text() -> str:
    """'visited('node') and chose('choice')': the functions, for messages."""
    calls = [f"{f.name}('{f.names}')" for f in FUNCTIONS.values()]
    return ", ".join(calls[:-1]) + " and " + calls[-1] if len(calls) > 1 else calls[0]


BUILTIN_NAMES = ("trust", "trust_level", "hierarchy", "turns")
_CONSTS = {"true": True, "false": False, "True": True, "False": False}
_OPS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FACT = {  # a name -> the Facts attribute it reads
    "trust": operator.attrgetter("trust"),
    "trust_level": operator.attrgetter("level_index"),
    "hierarchy": operator.attrgetter("rung_index"),
    "turns": operator.attrgetter("turns"),
}
_OP_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def _suggest(word: str, candidates: Any) -> str | None:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class _Compiler:
    def __init__(self, ctx: ConditionContext) -> None:
        self.ctx = ctx
        self.names: set[str] = set()
        self.visited: set[str] = set()
        self.chosen: set[str] = set()

    def compile(self, node: ast.AST) -> Test:
        if isinstance(node, ast.Expression):
            return self.compile(node.body)
        if isinstance(node, ast.BoolOp):
            parts = tuple(self.compile(v) for v in node.values)
            return partial(_all if isinstance(node.op, ast.And) else _any, parts)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return partial(_not, self.compile(node.operand))
            if isinstance(node.op, ast.USub | ast.UAdd) and isinstance(node.operand, ast.Constant):
                value = self._constant(node.operand)
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ConditionProblem("P134", "a sign goes only before a number")
                return partial(_const, -value if isinstance(node.op, ast.USub) else value)
            raise ConditionProblem("P134", "only `not` and a sign before a number are allowed")
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Constant):
            return partial(_const, self._constant(node))
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ConditionProblem(
            "P134",
            f"{_describe(node)} is not part of the condition language",
            "use names, numbers, 'strings', comparisons, and/or/not, " + functions_text(),
        )

    def _constant(self, node: ast.Constant) -> Any:
        if isinstance(node.value, bool | int | float | str):
            return node.value
        raise ConditionProblem("P134", f"the value {node.value!r} is not allowed")

    def _name(self, name: str) -> Test:
        if name in _CONSTS:
            return partial(_const, _CONSTS[name])
        if name in _FACT:
            self.names.add(name)
            return _FACT[name]
        if name in self.ctx.flags:
            self.names.add(name)
            return partial(_flag, name)
        known = (*BUILTIN_NAMES, *sorted(self.ctx.flags))
        raise ConditionProblem(
            "P131",
            f"unknown name '{name}'",
            _suggest(name, known)
            or "names are trust, trust_level, hierarchy, turns, and flags set by some `set` effect",
        )

    def _ordered(self, node: ast.AST, other: ast.AST) -> Test | None:
        """hierarchy/trust_level compared with a 'name' compare by position on their ladder."""
        if not (isinstance(node, ast.Name) and node.id in ("hierarchy", "trust_level")):
            return None
        scale = self.ctx.ladder if node.id == "hierarchy" else self.ctx.levels
        what = "hierarchy rung" if node.id == "hierarchy" else "trust level"
        if isinstance(other, ast.Constant) and isinstance(other.value, str):
            if other.value not in scale:
                raise ConditionProblem(
                    "P133",
                    f"'{other.value}' is not a {what} (they are: {', '.join(scale)})",
                    _suggest(other.value, scale),
                )
            return partial(_const, scale.index(other.value))
        if isinstance(other, ast.Name) and other.id in ("hierarchy", "trust_level"):
            return None
        raise ConditionProblem(
            "P133",
            f"compare {node.id} with a {what} name in quotes, e.g. {node.id} >= '{scale[-1]}'",
        )

    def _compare(self, node: ast.Compare) -> Test:
        operands = [node.left, *node.comparators]
        tests: list[Test] = []
        for i, op in enumerate(node.ops):
            if type(op) not in _OPS:
                raise ConditionProblem(
                    "P134", f"operator '{_describe(op)}' is not allowed", "use == != < <= > >="
                )
            left, right = operands[i], operands[i + 1]
            lt = self._ordered(right, left) if isinstance(left, ast.Constant) else None
            rt = self._ordered(left, right) if isinstance(right, ast.Constant) else None
            lfun = lt or self.compile(left)
            rfun = rt or self.compile(right)
            if (
                isinstance(left, ast.Name)
                and left.id in ("hierarchy", "trust_level")
                and rt is None
            ):
                if not (isinstance(right, ast.Name) and right.id in ("hierarchy", "trust_level")):
                    self._ordered(left, right)
            if (
                isinstance(right, ast.Name)
                and right.id in ("hierarchy", "trust_level")
                and lt is None
            ):
                if not (isinstance(left, ast.Name) and left.id in ("hierarchy", "trust_level")):
                    self._ordered(right, left)
            tests.append(partial(_compare, _OPS[type(op)], lfun, rfun))
        if len(tests) == 1:
            return tests[0]
        return partial(_all, tuple(tests))

    def _call(self, node: ast.Call) -> Test:
        fn = FUNCTIONS.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if fn is None:
            what = f"'{node.func.id}'" if isinstance(node.func, ast.Name) else "that"
            raise ConditionProblem(
                "P134",
                f"calling {what} is not allowed; the only functions are {functions_text()}",
            )
        fname = fn.name
        if (
            node.keywords
            or len(node.args) != 1
            or not (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))
        ):
            raise ConditionProblem("P134", f"{fname}() takes one id in quotes, e.g. {fname}('x')")
        ref = node.args[0].value
        known = self.ctx.nodes if fn.names == "node" else self.ctx.choices
        if ref not in known:
            raise ConditionProblem(
                "P132",
                f"{fname}('{ref}'): there is no {fn.names} '{ref}'",
                _suggest(ref, known),
            )
        (self.visited if fn.names == "node" else self.chosen).add(ref)
        return partial(_has, ref, operator.attrgetter(fn.fact))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(node: ast.AST) -> str:
    kinds = {
        "Attribute": "attribute access",
        "Subscript": "indexing",
        "Lambda": "a lambda",
        "BinOp": "arithmetic",
        "IfExp": "an if-expression",
        "List": "a list",
        "Tuple": "a tuple",
        "Dict": "a mapping",
        "Set": "a set",
        "JoinedStr": "an f-string",
        "NamedExpr": "assignment",
        "In": "in",
        "NotIn": "not in",
        "Is": "is",
        "IsNot": "is not",
    }
    name = type(node).__name__
    return kinds.get(name, name)


def compile_condition(source: Any, loc: Location, ctx: ConditionContext) -> Condition:
    """Parse and check a condition; raises ConditionProblem with a code on any fault."""
    if not isinstance(source, str):
        raise ConditionProblem("P130", 'a condition must be a string, e.g. "trust >= 50"')
    text = source.strip()
    if not text:
        raise ConditionProblem("P130", "the condition is empty")
    if len(text) > MAX_CONDITION_LENGTH:
        raise ConditionProblem(
            "P130", f"the condition is longer than {MAX_CONDITION_LENGTH} characters"
        )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        from engine.yamlhints import operator_hint  # (only when a condition is wrong)

        where = f" at column {exc.offset}" if exc.offset else ""
        raise ConditionProblem(
            "P130",
            f"condition does not parse{where}: {_short(text)!r}",
            operator_hint(text)
            or "write e.g. trust >= 50 and hierarchy >= 'peer'; use and/or/not, not &&/||/!",
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise ConditionProblem("P130", "condition does not parse") from None
    compiler = _Compiler(ctx)
    try:
        test = compiler.compile(tree)
    except RecursionError:
        raise ConditionProblem("P130", "condition is nested too deeply") from None
    return Condition(
        source=text,
        loc=loc,
        test=test,
        names=frozenset(compiler.names),
        visited_nodes=frozenset(compiler.visited),
        chosen_ids=frozenset(compiler.chosen),
    )
