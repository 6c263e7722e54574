"""Markdown and HTML from Jinja2 templates.

Templates live in ``templates/`` at the repository root and are shipped inside
the wheel as ``backendscan/templates``; ``--template-dir`` puts a user folder in
front of them.  HTML is autoescaped; Markdown cells go through the ``md_cell``
filter, which escapes ``|``, backticks, angle brackets and newlines.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from .context import ReportContext, anchor
from .mermaid import mermaid_id, mermaid_label
from .paths import template_dirs  # noqa: F401 - public here since the first release


def md_cell(value: Any) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text


def md_code(value: Any) -> str:
    """Inline code span that survives backticks in the value (and is table-safe)."""
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("|", "\\|")
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_text(value: Any) -> str:
    """Prose-safe text: no raw HTML, no accidental emphasis from code names."""
    text = "" if value is None else str(value)
    text = re.sub(r"([<>])", lambda m: {"<": "&lt;", ">": "&gt;"}[m.group(1)], text)
    return text.replace("*", "\\*").replace("__", "\\_\\_")  # no accidental bold from __init__ or globs


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates cached in the user cache folder (compiling them costs more than rendering).

    Jinja checks each cached entry against the template source's checksum, so edited or
    user-supplied templates are recompiled.  No cache when the folder cannot be written.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backendscan" / f"jinja-{__version__}"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if not os.access(base, os.W_OK):
            return None
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(base))


def md_line(value: Any) -> str:
    """One line of plain Markdown for agent context files: no newlines, no HTML comment markers."""
    text = " ".join(("" if value is None else str(value)).split())
    return text.replace("<!--", "&lt;!--").replace("-->", "--&gt;")


def environment(template_dir: str | Path | None = None, *, html: bool = False) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader([str(d) for d in template_dirs(template_dir)])
    env = jinja2.Environment(
        loader=loader,
        bytecode_cache=_bytecode_cache(),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=html),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(md_cell=md_cell, md_code=md_code, md_text=md_text, md_line=md_line, mermaid_id=mermaid_id, mermaid_label=mermaid_label)
    env.globals.update(anchor=anchor)
    return env


def render_markdown(ctx: ReportContext, template_dir: str | Path | None = None, template: str = "report.md.j2") -> str:
    """The Markdown report (``template="plan.md.j2"`` renders the plan alone)."""
    text = environment(template_dir).get_template(template).render(ctx=ctx)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(
    ctx: ReportContext,
    template_dir: str | Path | None = None,
    template: str = "report.html.j2",
    *,
    engine: str = "auto",
    drawings: Any = None,
) -> str:
    """The self-contained HTML report: inline CSS/JS from ``report.css``/``report.js``, inline SVG drawings."""
    from .diagrams import draw

    env = environment(template_dir, html=True)
    assert env.loader is not None
    css = env.loader.get_source(env, "report.css")[0]
    js = env.loader.get_source(env, "report.js")[0].replace("</script", "<\\/script")
    if drawings is None:
        drawings = draw(ctx.graph_view, engine)
    text = env.get_template(template).render(ctx=ctx, drawings=drawings, css=Markup(css), js=Markup(js))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
