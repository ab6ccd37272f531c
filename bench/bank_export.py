"""10. /bank export off the loop: YAML build time (PyYAML's Python dumper vs libyaml), size and parts."""

from __future__ import annotations

import time

import yaml
from common import args, report

from bot.content import formats, yamlio
from bot.content.exporting import export_files
from bot.content.schema import QuestionEntry
from bot.limits import UPLOAD_MAX_BYTES


def entries(count: int, aliases: int) -> list[QuestionEntry]:
    return [
        QuestionEntry(
            id=f"q{i:05d}",
            question=f"Question {i}: " + "which club won that famous final on a rainy night? " * 5,
            answer=f"Answer {i} " + "a" * 60,
            aliases=[f"Alias {i}-{j} " + "b" * 60 for j in range(aliases)],
            choices=[f"Choice {i}-{j} " + "c" * 60 for j in range(3)],
            category="Big",
            source="A long source line: " + "archive " * 60,
        )
        for i in range(count)
    ]


def timed(fn, *a, **kw):
    start = time.perf_counter()
    out = fn(*a, **kw)
    return out, time.perf_counter() - start


def main() -> None:
    opts = args(__doc__ or "")
    sizes = [(50, 6)] if opts.smoke else [(500, 6), (2000, 6), (2000, 60)]
    rows = []
    for count, aliases in sizes:
        items = entries(count, aliases)
        fast = yamlio.SafeDumper
        yamlio.SafeDumper = yaml.SafeDumper  # the pure-Python dumper, as before
        slow_text, slow_s = timed(formats.export, items, "yaml")
        yamlio.SafeDumper = fast
        text, fast_s = timed(formats.export, items, "yaml")
        files, files_s = timed(export_files, items, "yaml")
        size = len(text.encode())
        rows.append(
            {
                "questions": count,
                "aliases_each": aliases,
                "yaml_MB": size / 2**20,
                "python_dumper_s": slow_s,
                "libyaml_s": fast_s,
                "export_files_s": files_s,
                "parts": len(files),
                "over_upload_limit": size > UPLOAD_MAX_BYTES,
                "same_output": slow_text == text,
            }
        )
    report("bank_export", rows, smoke=opts.smoke)


if __name__ == "__main__":
    main()
