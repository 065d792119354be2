"""The widget's size: source, minified and gzipped, against its 6 KB gzipped budget."""

from __future__ import annotations

from bench import setup_paths

setup_paths()


def table() -> str:
    from referbee.site.widget import SIZE_BUDGET_GZIPPED, widget_size

    size = widget_size()
    verdict = "within budget" if size.within_budget else "OVER BUDGET"
    return (
        "| file | source | minified | gzipped (level 9) | budget (gzipped) |\n"
        "|---|---:|---:|---:|---:|\n"
        f"| `referbee.js` (styles inlined) | {size.source:,} B | {size.minified:,} B | "
        f"{size.gzipped:,} B | {SIZE_BUDGET_GZIPPED:,} B ({verdict}) |"
    )
