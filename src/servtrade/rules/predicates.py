"""Named predicates with typed arguments: the only way a measure states a condition.

Conditions in the data name a predicate from :data:`REGISTRY` and give its arguments; the loader
checks them with :func:`parse_condition` (unknown names, missing or mistyped arguments, facts the
regime does not declare) and the evaluator calls :func:`check`. Nothing is ever ``eval``-ed.
Predicates are three-valued: a fact the case does not state gives ``None`` (unknown), which
turns a measure's effect into a condition rather than a guess.

Each predicate comes in two forms that share their comparison: ``check`` explains (a
:class:`PredicateResult` with its reason, built only when a verdict is explained) and ``compile``
turns a condition into a plain ``case -> True | False | None`` function once, when the measure
index is built, so that deciding a case reads no argument tuples and formats no text.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from servtrade.rules.model import Case, Condition, DataCategory, FactSpec, FactValue, Tri
from servtrade.rules.verdict import PredicateResult

Check = Callable[[Condition, Case], PredicateResult]
Test = Callable[[Case], Tri]
Compile = Callable[[Condition], Test]


class ConditionError(ValueError):
    """A condition in a data file is malformed; ``field`` says where inside it."""

    def __init__(self, message: str, field: str, value: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


@dataclass(frozen=True)
class PredicateSpec:
    name: str
    args: Mapping[
        str, str
    ]  # argument name -> type: fact, value, int, categories, strings, conditions
    doc: str
    check: Check
    compile: Compile


def _stated(case: Case, fact: str) -> FactValue | None:
    return case.fact(fact)


def _unknown(fact: str) -> PredicateResult:
    return PredicateResult("", None, f"the case does not state {fact!r}")


def _fact_args(cond: Condition) -> tuple[str, Any]:
    return cond.arg("fact"), cond.arg("value" if "value" in dict(cond.args) else "values")


def _fact_compare(name: str, test: Callable[[FactValue, Any], bool], word: str) -> Check:
    def check(cond: Condition, case: Case) -> PredicateResult:
        fact, expected = _fact_args(cond)
        value = _stated(case, fact)
        if value is None:
            return PredicateResult(name, None, _unknown(fact).reason)
        result = test(value, expected)
        shown = list(expected) if isinstance(expected, tuple) else expected
        verb = word if result else f"not {word}"
        return PredicateResult(name, result, f"{fact} = {value!r} is {verb} {shown!r}")

    return check


def _fact_compiler(test: Callable[[FactValue, Any], bool]) -> Compile:
    def compile_(cond: Condition) -> Test:
        fact, expected = _fact_args(cond)

        def value(case: Case) -> Tri:
            stated = case.fact(fact)
            return None if stated is None else bool(test(stated, expected))

        return value

    return compile_


def _data_includes(cond: Condition, case: Case) -> PredicateResult:
    wanted = tuple(cond.arg("categories"))
    if case.data is None:
        return PredicateResult(
            "data_includes",
            False,
            "the case states no data, so data-transfer rules are not assessed",
        )
    hit = sorted(d.value for d in case.data if d.value in wanted)
    if hit:
        return PredicateResult("data_includes", True, f"the data include {', '.join(hit)}")
    return PredicateResult("data_includes", False, f"the data include none of {', '.join(wanted)}")


def _data_compiler(cond: Condition) -> Test:
    wanted = frozenset(DataCategory(c) for c in cond.arg("categories"))

    def value(case: Case) -> Tri:
        return case.data is not None and not wanted.isdisjoint(case.data)

    return value


def _economy_in(negate: bool) -> Check:
    name = "provider_economy_not_in" if negate else "provider_economy_in"

    def check(cond: Condition, case: Case) -> PredicateResult:
        listed = case.provider_economy in cond.arg("economies")
        result = listed != negate
        word = "is" if listed else "is not"
        return PredicateResult(
            name, result, f"provider economy {case.provider_economy} {word} listed"
        )

    return check


def _economy_compiler(negate: bool) -> Compile:
    def compile_(cond: Condition) -> Test:
        listed = frozenset(cond.arg("economies"))

        def value(case: Case) -> Tri:
            return (case.provider_economy in listed) != negate

        return value

    return compile_


def _combine(name: str, fold: Callable[[Iterable[Tri]], Tri]) -> Check:
    def check(cond: Condition, case: Case) -> PredicateResult:
        parts = tuple(check_condition(c, case) for c in cond.children)
        value = fold([p.value for p in parts])
        shown = {True: "holds", False: "does not hold", None: "is unknown"}[value]
        return PredicateResult(name, value, f"{name} of {len(parts)} conditions {shown}", parts)

    return check


def _combine_compiler(fold: Callable[[Iterable[Tri]], Tri]) -> Compile:
    def compile_(cond: Condition) -> Test:
        tests = tuple(compile_condition(c) for c in cond.children)

        def value(case: Case) -> Tri:
            return fold([t(case) for t in tests])

        return value

    return compile_


def any_of(values: Iterable[Tri]) -> Tri:
    """Three-valued "or": True if one holds, False if none can, else unknown."""
    found: Tri = False
    for value in values:
        if value is True:
            return True
        if value is None:
            found = None
    return found


def all_of(values: Iterable[Tri]) -> Tri:
    """Three-valued "and": False if one fails, True if all hold, else unknown."""
    found: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            found = None
    return found


def none_of(values: Iterable[Tri]) -> Tri:
    found = any_of(values)
    return None if found is None else not found


def _at_least(stated: FactValue, value: Any) -> bool:
    return int(stated) >= int(value)


def _below(stated: FactValue, value: Any) -> bool:
    return int(stated) < int(value)


def _within(stated: FactValue, values: Any) -> bool:
    return stated in values


def _outside(stated: FactValue, values: Any) -> bool:
    return stated not in values


def _fact_spec(
    name: str, kind: str, doc: str, test: Callable[[FactValue, Any], bool], word: str
) -> PredicateSpec:
    """A predicate comparing one stated fact with ``value`` (or ``values``) by ``test``."""
    expected = "values" if kind == "values" else "value"
    return PredicateSpec(
        name,
        {"fact": "fact", expected: kind},
        doc,
        _fact_compare(name, test, word),
        _fact_compiler(test),
    )


REGISTRY: dict[str, PredicateSpec] = {
    spec.name: spec
    for spec in (
        _fact_spec("fact_is", "value", "the stated fact equals value", operator.eq, "equal to"),
        _fact_spec(
            "fact_is_not",
            "value",
            "the stated fact differs from value",
            operator.ne,
            "different from",
        ),
        _fact_spec(
            "fact_at_least", "int", "the stated number is at least value", _at_least, "at least"
        ),
        _fact_spec("fact_below", "int", "the stated number is below value", _below, "below"),
        _fact_spec("fact_in", "values", "the stated fact is one of values", _within, "in"),
        _fact_spec(
            "fact_not_in", "values", "the stated fact is none of values", _outside, "outside"
        ),
        PredicateSpec(
            "data_includes",
            {"categories": "categories"},
            "the case's data include one of the categories",
            _data_includes,
            _data_compiler,
        ),
        PredicateSpec(
            "provider_economy_in",
            {"economies": "strings"},
            "the provider's economy is one of the listed ISO alpha-3 codes",
            _economy_in(False),
            _economy_compiler(False),
        ),
        PredicateSpec(
            "provider_economy_not_in",
            {"economies": "strings"},
            "the provider's economy is none of the listed codes",
            _economy_in(True),
            _economy_compiler(True),
        ),
        PredicateSpec(
            "any_of",
            {"conditions": "conditions"},
            "at least one condition holds",
            _combine("any_of", any_of),
            _combine_compiler(any_of),
        ),
        PredicateSpec(
            "all_of",
            {"conditions": "conditions"},
            "every condition holds",
            _combine("all_of", all_of),
            _combine_compiler(all_of),
        ),
        PredicateSpec(
            "none_of",
            {"conditions": "conditions"},
            "no condition holds",
            _combine("none_of", none_of),
            _combine_compiler(none_of),
        ),
    )
}


def check_condition(cond: Condition, case: Case) -> PredicateResult:
    """Evaluate one condition against a case."""
    return REGISTRY[cond.predicate].check(cond, case)


def compile_condition(cond: Condition) -> Test:
    """One condition as a function of the case giving what :func:`check_condition` gives."""
    return REGISTRY[cond.predicate].compile(cond)


def compile_conditions(conditions: Sequence[Condition]) -> Test | None:
    """A measure's conditions together (all must hold; None when there are none)."""
    tests = tuple(compile_condition(c) for c in conditions)
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]

    def value(case: Case) -> Tri:
        return all_of(t(case) for t in tests)

    return value


def parse_condition(raw: object, facts: Mapping[str, FactSpec], where: str) -> Condition:
    """Validate one condition from a data file; errors name the field path inside it."""
    if not isinstance(raw, Mapping) or "predicate" not in raw:
        raise ConditionError("must be a mapping with 'predicate' and 'args'", where, raw)
    name = str(raw["predicate"])
    spec = REGISTRY.get(name)
    if spec is None:
        raise ConditionError(
            f"is not a known predicate (known: {', '.join(sorted(REGISTRY))})",
            f"{where}.predicate",
            name,
        )
    args = raw.get("args") or {}
    if not isinstance(args, Mapping):
        raise ConditionError("must be a mapping", f"{where}.args", args)
    extra = sorted(set(args) - set(spec.args))
    if extra:
        raise ConditionError(f"is not an argument of {name}", f"{where}.args.{extra[0]}", extra[0])
    parsed: list[tuple[str, Any]] = []
    children: tuple[Condition, ...] = ()
    for arg, kind in spec.args.items():
        if arg not in args:
            raise ConditionError(f"is required by {name}", f"{where}.args.{arg}")
        if kind == "conditions":
            children = _children(args[arg], facts, f"{where}.args.{arg}")
            continue
        parsed.append((arg, _argument(kind, args[arg], args, facts, f"{where}.args.{arg}")))
    return Condition(name, tuple(parsed), children)


def _children(raw: object, facts: Mapping[str, FactSpec], where: str) -> tuple[Condition, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConditionError("must be a non-empty list of conditions", where, raw)
    return tuple(parse_condition(c, facts, f"{where}[{i}]") for i, c in enumerate(raw))


def _argument(
    kind: str, value: object, args: Mapping[str, Any], facts: Mapping[str, FactSpec], where: str
) -> Any:
    if kind == "fact":
        if value not in facts:
            raise ConditionError(
                f"is not a fact the regime declares ({', '.join(facts)})", where, value
            )
        return value
    if kind in ("value", "values"):
        spec = facts.get(str(args.get("fact")))
        values = value if kind == "values" else [value]
        if not isinstance(values, list) or not values:
            raise ConditionError("must be a non-empty list", where, value)
        for v in values:
            if spec is not None and not fact_value_ok(spec, v):
                raise ConditionError(f"does not fit fact {spec.name} ({_expects(spec)})", where, v)
        return tuple(values) if kind == "values" else value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConditionError("must be a whole number", where, value)
        return value
    if kind == "categories":
        allowed = [c.value for c in DataCategory]
        if not isinstance(value, list) or not value or any(v not in allowed for v in value):
            raise ConditionError(f"must be a list drawn from {', '.join(allowed)}", where, value)
        return tuple(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConditionError("must be a list of strings", where, value)
    return tuple(value)


def fact_value_ok(spec: FactSpec, value: object) -> bool:
    """Does ``value`` fit the declared type of a fact?"""
    if spec.type == "bool":
        return isinstance(value, bool)
    if spec.type == "int":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, str) and value in spec.choices


def _expects(spec: FactSpec) -> str:
    if spec.type == "choice":
        return "one of " + ", ".join(spec.choices)
    return {"bool": "true or false", "int": "a whole number >= 0"}[spec.type]


def describe() -> list[dict[str, Any]]:
    """The registry as rows (for documentation and `rules predicates`)."""
    return [{"predicate": s.name, "args": dict(s.args), "doc": s.doc} for s in REGISTRY.values()]
