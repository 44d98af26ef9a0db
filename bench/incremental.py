#!/usr/bin/env python3
"""Times an incremental `haven build` (one page edited, build cache on) against a full one.

    python3 bench/incremental.py [--pages 10000] [--runs 7] [--out target/bench]

Uses the corpus bench/compare.py writes (target/bench/corpus-N/plain), copied so the edits
never touch it. Alternates, each measured with /usr/bin/time (wall time, peak memory):
- full: `haven build --no-cache` into the same output folder as the other runs, so it differs
  from the incremental build only in rendering every page's Markdown (its unchanged files are
  left in place too: the comparison is as hard on the cache as it can be);
- incremental: append a line to one article (a different one each time), then `haven build`.
Prints the medians and their ratio, and checks the last incremental output against a full
build into a new folder (`diff -r`), so a fast wrong build cannot pass as a fast build.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from compare import corpus, run_timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "target" / "bench"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    haven = str(ROOT / "target" / "release" / "haven")

    site = out / f"incremental-{args.pages}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus(args.pages, out) / "plain", site)
    output = out / f"incremental-out-{args.pages}"
    articles = sorted((site / "content").rglob("*.md"))
    articles = [a for a in articles if a.name != "_index.md"]

    build = [haven, "build", "--root", str(site), "--output", str(output)]
    run_timed(build, site)  # untimed: fills the cache and the output
    full, incremental, peaks = [], [], {"full": 0, "incremental": 0}
    for r in range(args.runs):
        s, kb = run_timed(build + ["--no-cache"], site)
        full.append(s)
        peaks["full"] = max(peaks["full"], kb)
        page = articles[(r * 7919) % len(articles)]
        with page.open("a") as f:
            f.write(f"\nOne more line, edit {r + 1}.\n")
        s, kb = run_timed(build, site)
        incremental.append(s)
        peaks["incremental"] = max(peaks["incremental"], kb)
        print(f"run {r + 1}: full {full[-1]:.2f} s, incremental {s:.2f} s ({page.name})",
              file=sys.stderr, flush=True)

    check = out / f"incremental-check-{args.pages}"
    shutil.rmtree(check, ignore_errors=True)
    run_timed(build[:-1] + [str(check), "--no-cache"], site)
    diff = subprocess.run(["diff", "-r", "-q", "-x", ".haven-manifest", str(output), str(check)],
                          capture_output=True, text=True)
    if diff.returncode != 0:
        sys.exit(f"the incremental output differs from a full build:\n{diff.stdout[:2000]}")

    fm, im = statistics.median(full), statistics.median(incremental)
    print(f"\n| {args.pages} pages | runs | median s | peak MB |")
    print("|---|---:|---:|---:|")
    print(f"| full (`--no-cache`) | {args.runs} | {fm:.3f} | {peaks['full'] / 1024:.0f} |")
    print(f"| incremental (one page edited) | {args.runs} | {im:.3f} | {peaks['incremental'] / 1024:.0f} |")
    print(f"\nincremental / full: {im / fm:.2f}; outputs identical (diff -r)")


if __name__ == "__main__":
    main()
