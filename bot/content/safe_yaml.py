"""YAML from untrusted uploads: no aliases (alias bombs), bounded depth and node count, located errors.

The document is first walked as a stream of parser events (libyaml when available, iterative, so deep
nesting cannot exhaust the stack); only a document that passes is built into Python objects.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 32
MAX_NODES = 300_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnsafeYAML(ValueError):
    """The text is not YAML, or it is YAML the bot refuses to build. The message names the line."""

    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


def check(
    text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES, aliases: bool = False
) -> None:
    """Raise UnsafeYAML if `text` nests deeper than `max_depth` or has over `max_nodes` values once
    aliases are expanded; any alias at all is refused unless `aliases` is true."""
    nodes = 0
    open_collections: list[tuple[str | None, int]] = []  # (anchor, node count at its start)
    expanded: dict[str, int] = {}  # anchor -> how many values it stands for
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            line = _line(event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                if not aliases:
                    raise UnsafeYAML(
                        line, f"the file uses a YAML alias (*{event.anchor}); write each entry out in full"
                    )
                nodes += expanded.get(event.anchor or "", 1)
            elif isinstance(event, yaml.NodeEvent):
                nodes += 1
                if isinstance(event, yaml.CollectionStartEvent):
                    open_collections.append((event.anchor, nodes))
                    if len(open_collections) > max_depth:
                        raise UnsafeYAML(line, f"nested too deeply (over {max_depth} levels)")
                elif event.anchor:
                    expanded[event.anchor] = 1
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, start = open_collections.pop()
                if anchor:
                    expanded[anchor] = nodes - start + 1
            if nodes > max_nodes:
                raise UnsafeYAML(line, f"too many values (over {max_nodes:,} once aliases are expanded)")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        if "nesting depth" in problem:  # libyaml 0.2.6+ stops at its own limit before ours is reached
            raise UnsafeYAML(_line(mark), f"nested too deeply (over {max_depth} levels)") from None
        raise UnsafeYAML(_line(mark), f"not valid YAML ({problem})") from None
    finally:
        loader.dispose()


def load(text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES, aliases: bool = False) -> Any:
    """`yaml.safe_load` after `check`: raises UnsafeYAML (with a line number) instead of building a
    document that is too deep, too big, or (unless `aliases`) uses aliases."""
    check(text, max_depth=max_depth, max_nodes=max_nodes, aliases=aliases)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, checked above
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UnsafeYAML(_line(mark), f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
