"""The lint report: ``file:line:col: CODE message: "excerpt" (hint)`` lines and a summary, or JSON."""

from __future__ import annotations

import json
from collections import Counter

from publish.lint.ignore import FILE_NAME, Entry
from publish.lint.rules import Finding


def line(finding: Finding) -> str:
    """``path:line:col: CODE message: "excerpt" (hint)``, the form editors and IDEs jump from."""
    place = f"{finding.path}:{finding.line}:{finding.column}"
    return f'{place}: {finding.code} {finding.rule.message}: "{finding.excerpt}" ({finding.rule.hint})'


def summary(findings: list[Finding], ignored: list[tuple[Finding, Entry]]) -> str:
    if findings:
        counts = Counter(finding.code for finding in findings)
        by_code = ", ".join(f"{code} ×{count}" for code, count in sorted(counts.items()))
        head = f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({by_code})"
    else:
        head = "no findings"
    if ignored:
        head += f"; {len(ignored)} accepted in {FILE_NAME}"
    return head


def as_text(findings: list[Finding], ignored: list[tuple[Finding, Entry]], unused: list[Entry]) -> str:
    lines = [line(finding) for finding in findings]
    lines += [
        f"{entry.origin}:{entry.origin_line}: entry {entry.number} ({entry.code} in {entry.file}) "
        "matches nothing: delete it?"
        for entry in unused
    ]
    lines.append(summary(findings, ignored))
    return "\n".join(lines) + "\n"


def as_json(findings: list[Finding], ignored: list[tuple[Finding, Entry]], unused: list[Entry]) -> str:
    data = {
        "findings": [_record(finding) for finding in findings],
        "ignored": [{**_record(finding), "reason": entry.reason} for finding, entry in ignored],
        "unused_ignores": [
            {"ignore_file": str(e.origin), "line": e.origin_line, "entry": e.number, "file": e.file, "code": e.code}
            for e in unused
        ],
        "summary": {
            "findings": len(findings),
            "ignored": len(ignored),
            "by_code": dict(sorted(Counter(finding.code for finding in findings).items())),
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _record(finding: Finding) -> dict:
    return {
        "file": str(finding.path),
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "message": finding.rule.message,
        "hint": finding.rule.hint,
        "excerpt": finding.excerpt,
    }
