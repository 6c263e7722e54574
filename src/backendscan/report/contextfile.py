"""Agent workflow: read a task from a context file and keep a short findings block in it.

``--context FILE`` reads the task (the whole file, minus our own block) and
``--update-context`` writes a block delimited by markers; a later run replaces
the block in place, so the file never accumulates copies.  Pure string
functions; the CLI does the file I/O.
"""

from __future__ import annotations

import re

BEGIN = "<!-- backendscan:begin -->"
END = "<!-- backendscan:end -->"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.S)


def strip_block(text: str) -> str:
    """``text`` without our findings block."""
    return _BLOCK.sub("", text)


def task_from_context(text: str, limit: int = 4000) -> str:
    """The task text of a context file: everything but our block (front matter and comments dropped)."""
    body = strip_block(text)
    body = re.sub(r"\A---\n.*?\n---\n", "", body, flags=re.S)  # YAML front matter
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    # a "## Task" (goal, request, feature...) section is the task; otherwise drop the headings
    sections = re.split(r"^(#{1,6}[ \t].*)$", body, flags=re.M)
    for i in range(1, len(sections) - 1, 2):
        if re.search(r"\b(task|goal|objective|request|feature|todo|story|issue)\b", sections[i], re.I):
            found = sections[i + 1].strip()
            if found:
                return found[:limit]
    plain = "\n".join(line for line in body.splitlines() if not re.match(r"^#{1,6}[ \t]", line)).strip()
    return (plain or body.strip())[:limit]


def update_block(text: str, block: str) -> str:
    """``text`` with the findings block replaced (or appended once); idempotent."""
    inner = block.strip("\n")
    wrapped = f"{BEGIN}\n{inner}\n{END}\n"
    if _BLOCK.search(text):
        return _BLOCK.sub(lambda _: wrapped, text, count=1)
    if not text or text.endswith("\n\n"):
        sep = ""
    elif text.endswith("\n"):
        sep = "\n"
    else:
        sep = "\n\n"
    return text + sep + wrapped
