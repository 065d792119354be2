"""How the embedded database (moto) reads update expressions: parsed once, validated once.

An UpdateItem's expression was most of what the local stack spent on a click. moto parses it
twice per request (once to check the names and values it uses, once to apply it), and an
update that creates its item, as every click on a new visit does, is validated twice: first
on an empty item, so that nothing is created when the expression is invalid, then again on
the item it created, whose attributes are its key alone. Validation walks the whole
expression some ten times and starts from a deep copy of it.

`parse_and_validate_once` keeps moto's code and changes these things:

- `UpdateExpressionParser.make` remembers the expressions it parsed (by their text, at most
  `PARSED_KEPT`). moto never changes a parsed expression: the validator works on its own deep
  copy, which is now made from the expression pickled when it was parsed (`pickle.loads` is
  a sixth of `copy.deepcopy` on these trees, and makes the same copy). An expression that
  does not parse is not remembered and raises every time.
- on an update that creates its item, the first validation records which attributes it read
  from the empty item; when the item just created has none of them (a key attribute read
  by the expression is the only way it could), the second validation would read exactly the
  same and return the same, so its result is the first one's. Otherwise it runs as before.
  Errors are unchanged: an invalid expression still fails the first validation, before
  anything is created.
- each step of a validation asked, at every node of the expression, for the node types it
  handles, building them anew from a dict of its methods each time: `nodes_to_be_processed`,
  "cached accessor" by its docstring, is cached per step (the types are constants of each
  step's class).
- the check that an update has at most one ADD, REMOVE and SET clause, which moto repeats at
  every level of the expression (a walk of the whole tree each time), runs once per
  remembered expression: it reads the expression's structure alone, so an expression that
  passed it once passes it again; one that fails it is not remembered as passed.
- a condition expression's tokens are remembered by its text (at most `PARSED_KEPT`): lexing
  reads nothing but the text, and the later steps read the tokens, never change them.
"""

from __future__ import annotations

import functools
import pickle
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

PARSED_KEPT = 512

_state = threading.local()  # `pending`: a creating update's first validation, for its second


@dataclass
class _Validated:
    """The result of the first validation of an update that creates its item."""

    expression: Any
    names: Any
    values: Any
    table: Any
    hash_key: Any
    range_key: Any
    read: frozenset[str] | None  # attribute names read from the item; None: all of them
    result: Any

    def serves(self, expression: Any, names: Any, values: Any, item: Any, table: Any) -> bool:
        """Whether validating `expression` on `item` would do and return exactly this again:
        the same request's second validation, on an item without the attributes read."""
        return (
            expression is self.expression
            and names is self.names
            and values is self.values
            and table is self.table
            and self.read is not None
            and item.hash_key == self.hash_key
            and item.range_key == self.range_key
            and self.read.isdisjoint(item.attrs)
        )


class _Pickled:
    """Stands in for a parsed expression where moto deep-copies it: the copy is unpickled."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __deepcopy__(self, memo: Any) -> Any:
        return pickle.loads(self.data)  # noqa: S301 - pickled by this process, just above


class _ReadsRecorded(dict[str, Any]):
    """An empty item's attributes that note the names looked up (None once iterated)."""

    def __init__(self) -> None:
        super().__init__()
        self.read: set[str] | None = set()

    def __getitem__(self, name: str) -> Any:
        self._note(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._note(name)
        return super().get(name, default)

    def __contains__(self, name: object) -> bool:
        self._note(name)
        return super().__contains__(name)

    def _note(self, name: object) -> None:
        if self.read is not None:
            self.read.add(str(name))

    def _all(self) -> None:
        self.read = None

    def __iter__(self) -> Any:
        self._all()
        return super().__iter__()

    def keys(self) -> Any:
        self._all()
        return super().keys()

    def values(self) -> Any:
        self._all()
        return super().values()

    def items(self) -> Any:
        self._all()
        return super().items()

    def __len__(self) -> int:
        self._all()
        return super().__len__()


def parse_and_validate_once() -> None:
    """Patch moto as the module docstring says. Idempotent."""
    from moto.dynamodb import models
    from moto.dynamodb.parsing import expressions
    from moto.dynamodb.parsing.validators import ActionCountValidator, UpdateExpressionValidator

    parser: Any = expressions.UpdateExpressionParser  # type: ignore[attr-defined]
    if getattr(parser, "_referbee_cached", False):
        return
    parse = parser.make.__func__

    @functools.lru_cache(maxsize=PARSED_KEPT)
    def parsed(expression: str) -> Any:
        tree = parse(parser, expression)
        tree._referbee_pickled = _Pickled(pickle.dumps(tree, pickle.HIGHEST_PROTOCOL))
        return tree

    def make(cls: Any, expression: Any) -> Any:
        if cls is not parser or not isinstance(expression, str):
            return parse(cls, expression)
        return parsed(expression)

    class CountedOnce(ActionCountValidator):
        """The check for at most one ADD, REMOVE and SET clause reads the expression's
        structure alone (no names, values or item), and moto repeats it at every level of the
        expression: it is skipped for an expression it passed before."""

        def __init__(self, parsed: Any) -> None:
            self.parsed = parsed

        def traverse(self, node: Any) -> Any:
            if getattr(self.parsed, "_referbee_counts_ok", False):
                return node
            checked = super().traverse(node)
            if hasattr(self.parsed, "_referbee_pickled"):  # a remembered parse only
                self.parsed._referbee_counts_ok = True
            return checked

    class ValidatedOnce(UpdateExpressionValidator):
        def get_ast_processors(self) -> Any:
            processors = super().get_ast_processors()
            if processors and type(processors[0]) is ActionCountValidator:
                processors[0] = CountedOnce(self._parsed)
            return processors

        def __init__(
            self,
            expression: Any,
            expression_attribute_names: Any,
            expression_attribute_values: Any,
            item: Any,
            table: Any,
        ) -> None:
            names, values = expression_attribute_names, expression_attribute_values
            pending: _Validated | None = getattr(_state, "pending", None)
            _state.pending = None
            self._ready = None
            self._first: _Validated | None = None
            if pending is not None and pending.serves(expression, names, values, item, table):
                self._ready = pending.result
                return
            self._parsed = expression
            super().__init__(
                getattr(expression, "_referbee_pickled", expression),
                expression_attribute_names=names,
                expression_attribute_values=values,
                item=item,
                table=table,
            )
            if not item.attrs and table.get_item(item.hash_key, item.range_key) is None:
                # moto's check before it creates the item: note what it reads
                item.attrs = _ReadsRecorded()
                self._first = _Validated(
                    expression, names, values, table, item.hash_key, item.range_key, None, None
                )

        def validate(self) -> Any:
            if self._ready is not None:
                return self._ready
            result = super().validate()
            first = self._first
            if first is not None:
                recorded: Any = self.item.attrs
                read = recorded.read
                first.read = None if read is None else frozenset(read)
                first.result = result
                _state.pending = first
            return result

    parser.make = classmethod(make)
    parser._referbee_cached = True
    module: Any = models
    module.UpdateExpressionValidator = ValidatedOnce
    _cache_node_types()
    _remember_condition_tokens()


def _cache_node_types() -> None:
    from moto.dynamodb.parsing import ast_nodes

    traverser: Any = ast_nodes.DepthFirstTraverser  # type: ignore[attr-defined]
    types_of = traverser.nodes_to_be_processed

    def nodes_to_be_processed(self: Any) -> Any:
        types = self.__dict__.get("_referbee_types")
        if types is None:
            types = self.__dict__["_referbee_types"] = types_of(self)
        return types

    traverser.nodes_to_be_processed = nodes_to_be_processed


def _remember_condition_tokens() -> None:
    from moto.dynamodb.comparisons import ConditionExpressionParser

    lex = ConditionExpressionParser._lex_condition_expression

    @functools.lru_cache(maxsize=PARSED_KEPT)
    def tokens(expression: str) -> tuple[Any, ...]:
        return tuple(lex(ConditionExpressionParser(expression, None, None)))

    def lexed(self: Any) -> Any:
        if not isinstance(self.condition_expression, str):
            return lex(self)
        return deque(tokens(self.condition_expression))

    condition: Any = ConditionExpressionParser
    condition._lex_condition_expression = lexed
