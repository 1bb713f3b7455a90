"""`extractor report INPUT... -o OUT.html`: the HTML report of files or folders."""
from __future__ import annotations

import sys
from pathlib import Path

from ..dedup import DedupIndex
from ..errors import EXIT_FAILED, EXIT_OK, safe_name
from ..pipeline import Extractor
from ..report import render_pages, render_report
from .inputs import collect_inputs, extract_each, natural_key

#: from this many documents on, a folder report is an index page plus one page per document
PAGES_FROM = 200


def run_report(args, settings) -> int:
    """`extractor report INPUT... -o OUT.html` (`-o -`: stdout)."""
    ex = Extractor(settings)
    index = DedupIndex(level=settings.cross_document)
    inputs = list(args.inputs)
    folder = len(inputs) > 1 or any(Path(i).is_dir() for i in inputs)
    items = collect_inputs(inputs, getattr(args, "glob", "*.txt"), sort=natural_key if folder else None)
    documents, failed = [], 0
    bar = _progress(len(items), folder and not getattr(args, "quiet", False))
    for _, _, doc in extract_each(ex, items, args, index if folder else None,
                                  lambda msg: _say(bar, msg)):
        if doc is None:
            failed += 1
        else:
            documents.append(doc)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    if not documents:
        print("extractor: no documents to report", file=sys.stderr)
        return EXIT_FAILED
    title = None
    if folder and len(inputs) == 1:
        title = f"{safe_name(Path(inputs[0]).name or inputs[0])} — 数字标注 report"
    n = sum(len(d.records) for d in documents)
    pages_from = getattr(args, "pages_from", None) or PAGES_FROM
    if args.output == "-":
        sys.stdout.write(render_report(documents, title, folder=folder))
        return EXIT_FAILED if failed else EXIT_OK
    out = Path(args.output)
    if folder and len(documents) >= pages_from:
        pages_dir = out.with_name(out.stem + "_pages")
        index_html, pages = render_pages(documents, title, pages_dir.name)
        pages_dir.mkdir(exist_ok=True)
        for name, html_text in pages.items():
            (pages_dir / name).write_text(html_text, encoding="utf-8")
        out.write_text(index_html, encoding="utf-8")
        print(f"extractor: wrote {out} and {len(pages)} pages in {pages_dir} "
              f"({len(documents)} documents, {n} records)", file=sys.stderr)
        return EXIT_FAILED if failed else EXIT_OK
    out.write_text(render_report(documents, title, folder=folder), encoding="utf-8")
    print(f"extractor: wrote {out} ({len(documents)} documents, {n} records)", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _progress(total: int, on: bool):
    """A tqdm bar on stderr for a folder (when stderr is a terminal), else None."""
    if not on or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - a dependency
        return None
    import shutil
    cols = shutil.get_terminal_size((80, 24)).columns
    return tqdm(total=total, unit="doc", file=sys.stderr, desc="extractor report", mininterval=0.5,
                ncols=cols if cols > 0 else 80)


def _say(bar, msg: str) -> None:
    if bar is not None:
        bar.write(msg, file=sys.stderr)
    else:
        print(msg, file=sys.stderr)
