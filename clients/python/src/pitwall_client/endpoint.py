"""Endpoint methods written once, typed right on both clients.

An endpoint method only describes its operation (a :class:`~pitwall_client.flows.Call`, or
:class:`~pitwall_client.flows.Steps` for several); the client it is looked up on runs it.
The :class:`endpoint` descriptor gives type checkers the result per client: on
:class:`BlockingRunner` (``Pitwall``) ``laps(...)`` is a ``DataFrame``, on
:class:`AsyncRunner` (``AsyncPitwall``) a coroutine of one. The signatures come from the one
definition, so the two clients cannot drift apart.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from pitwall_client.flows import Operation

P = ParamSpec("P")
T = TypeVar("T")


class BlockingRunner(ABC):
    """A client whose endpoint methods answer the value."""

    @abstractmethod
    def _execute(self, operation: Operation[T]) -> T: ...


class AsyncRunner(ABC):
    """A client whose endpoint methods answer a coroutine of the value."""

    @abstractmethod
    def _execute(self, operation: Operation[T]) -> Coroutine[Any, Any, T]: ...


class endpoint(Generic[P, T]):
    """``@endpoint`` on a method returning the operation to run."""

    def __init__(self, describe: Callable[Concatenate[Any, P], Operation[T]]):
        self.describe = describe
        self.__name__ = describe.__name__
        self.__doc__ = describe.__doc__
        described = inspect.signature(describe)
        # what help() and notebooks show for a bound method: the caller's parameters only
        self.signature = described.replace(parameters=list(described.parameters.values())[1:],
                                           return_annotation=inspect.Signature.empty)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.__name__ = name  # a description made by a factory is named where it is bound

    @overload
    def __get__(self, runner: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, runner: BlockingRunner, owner: type[Any]) -> Callable[P, T]: ...

    @overload
    def __get__(self, runner: AsyncRunner,
                owner: type[Any]) -> Callable[P, Coroutine[Any, Any, T]]: ...

    def __get__(self, runner: Any, owner: type[Any]) -> Any:
        if runner is None:
            return self
        describe = self.describe

        def bound(*args: Any, **kwargs: Any) -> Any:
            return runner._execute(describe(runner, *args, **kwargs))

        bound.__name__ = bound.__qualname__ = self.__name__
        bound.__doc__ = self.__doc__
        bound.__signature__ = self.signature  # type: ignore[attr-defined]
        return bound
