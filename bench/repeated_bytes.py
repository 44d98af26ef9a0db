#!/usr/bin/env python3
"""Finds the bytes that most HTML pages of a built site repeat (issue 24.5).

    python3 bench/repeated_bytes.py OUTPUT_DIR [--share 0.5] [--top 25]

Every page is split into lines (the templates write one element a line). A line found in at
least --share of the pages is "repeated"; consecutive repeated lines are merged into runs,
and runs are counted by their text across pages. Prints:

- the pages' median HTML size and total, and the bytes of repeated lines per page (median);
- the repeated runs that cost most in all (bytes x pages), with the share of pages carrying them.

A run that every page carries and a shared file could hold (an icon, inline CSS or script, a
long list) shows up at the top. Lines such as `</div>` are repeated by nature and cost little.
"""

import argparse
import collections
import statistics
import sys
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--share", type=float, default=0.5,
                    help="a line is repeated when at least this share of pages has it")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--width", type=int, default=110, help="characters of each run to show")
    args = ap.parse_args()

    pages = sorted(Path(args.out).rglob("*.html"))
    if not pages:
        sys.exit(f"no .html files under {args.out}")
    texts = [p.read_bytes().decode("utf-8", "replace") for p in pages]
    sizes = [len(p.read_bytes()) for p in pages]
    per_line = collections.Counter()
    for text in texts:
        per_line.update(set(text.split("\n")))
    need = args.share * len(pages)
    repeated = {line for line, n in per_line.items() if n >= need}

    runs = collections.Counter()
    repeated_bytes = []
    for text in texts:
        run, total = [], 0
        for line in text.split("\n") + [None]:
            if line is not None and line in repeated:
                run.append(line)
                total += len(line.encode()) + 1
                continue
            if run:
                runs["\n".join(run)] += 1
                run = []
        repeated_bytes.append(total)

    print(f"{len(pages)} HTML pages under {args.out}")
    print(f"median page {statistics.median(sizes):,.0f} B, total HTML {sum(sizes):,} B")
    print(f"repeated lines (in >= {args.share:.0%} of pages): median {statistics.median(repeated_bytes):,.0f} B a page, "
          f"{sum(repeated_bytes):,} B in all ({sum(repeated_bytes) / sum(sizes):.0%} of the HTML)")
    print(f"\n{'bytes x pages':>14} {'pages':>6}  run (first {args.width} characters)")
    costly = sorted(runs.items(), key=lambda kv: -len(kv[0].encode()) * kv[1])
    for run, n in costly[: args.top]:
        shown = run.replace("\n", "\\n")
        if len(shown) > args.width:
            shown = shown[: args.width - 1] + "…"
        print(f"{len(run.encode()) * n:>14,} {n:>6}  {shown}")


if __name__ == "__main__":
    main()
