#!/usr/bin/env python3
"""Times `haven build` against Zola, Hugo and mdBook on the same generated content.

    python3 bench/compare.py [--sizes 1000,10000] [--runs 5] [--out target/bench]
                             [--slow SECS] [--skip mdbook:10000] [--haven PATH]

For each size it writes a deterministic corpus with ../shared/bench/gen_corpus.py (Haven's
layout is the corpus's `plain` one plus a haven.toml using the default theme with every feature
on), then runs the generators in turn, alternating (haven, zola, hugo, mdbook, haven, ...) so that
machine noise falls on all of them alike. Each run is measured with /usr/bin/time -v (wall time
and peak resident memory). Prints a Markdown table of medians, ratios and peak memory.

Needs: a release build of haven (built here), `zola` (a release build from its repository, or a
release binary), Debian's `hugo`, `mdbook` (cargo install mdbook). A missing peer is reported and
skipped, not faked. Zola runs on the corpus's `zola` layout (its own templates, sitemap and tags;
its search index and feeds off, as gen_corpus.py writes them).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = Path(os.environ.get("GEN_CORPUS", ROOT.parent / "shared" / "bench" / "gen_corpus.py"))

HAVEN_TOML = """title = "Benchmark guide"
description = "A synthetic site for timing."
base_url = "https://bench.example.org/"
generate_feed = true
"""


def run_timed(cmd, cwd):
    """Runs cmd; returns (seconds, peak KB). Fails loudly: a broken build is not a time."""
    res = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)} in {cwd}\n{res.stderr[-2000:]}")
    secs, kb = res.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb)


def corpus(n, out):
    base = out / f"corpus-{n}"
    # A corpus from before the script ran Zola has no zola layout: make it again (same pages).
    if not (base / "plain" / "haven.toml").exists() or not (base / "zola" / "config.toml").exists():
        subprocess.run([sys.executable, str(GEN), str(n), str(base), "--layouts", "plain,zola,hugo,mdbook"], check=True)
        (base / "plain" / "haven.toml").write_text(HAVEN_TOML)
    return base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "target" / "bench"))
    ap.add_argument("--slow", type=float, default=120.0,
                    help="a tool whose untimed warm-up run takes longer than this many seconds "
                         "is timed once, not --runs times (mdBook takes minutes at 10,000 pages)")
    ap.add_argument("--skip", default="",
                    help="TOOL:PAGES pairs not to run, comma-separated (mdBook at 10,000 pages "
                         "takes 12-16 minutes a run); the table leaves them out")
    ap.add_argument("--haven", default="",
                    help="time this haven binary instead of building target/release/haven "
                         "(e.g. a copy of an earlier build, to compare two commits in one run)")
    args = ap.parse_args()
    skip = {tuple(pair.split(":")) for pair in args.skip.split(",") if pair}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    if args.haven:
        haven = Path(args.haven).resolve()
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        haven = ROOT / "target" / "release" / "haven"
    peers = {"zola": shutil.which("zola"), "hugo": shutil.which("hugo"), "mdbook": shutil.which("mdbook")}
    for name, path in peers.items():
        if not path:
            print(f"note: {name} not found; install it (zola: cargo build --release in its repository; hugo: apt-get install hugo; mdbook: cargo install mdbook) to compare", file=sys.stderr)

    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        base = corpus(n, out)
        # --no-cache: every run a full build (the cache would make every run after the warm-up
        # reuse all pages' Markdown; bench/incremental.py times that case).
        cmds = {"haven": ([str(haven), "build", "--no-cache", "--root", str(base / "plain"), "--output", str(out / f"haven-out-{n}")], base / "plain")}
        if peers["zola"] and ("zola", str(n)) not in skip:
            cmds["zola"] = ([peers["zola"], "build", "--force", "-o", str(out / f"zola-out-{n}")], base / "zola")
        if peers["hugo"] and ("hugo", str(n)) not in skip:
            cmds["hugo"] = ([peers["hugo"], "--quiet", "-d", str(out / f"hugo-out-{n}")], base / "hugo")
        if peers["mdbook"] and ("mdbook", str(n)) not in skip:
            cmds["mdbook"] = ([peers["mdbook"], "build", "-d", str(out / f"mdbook-out-{n}")], base / "mdbook")
        times = {k: [] for k in cmds}
        mem = {k: [] for k in cmds}
        runs = {}
        for name, (cmd, cwd) in cmds.items():  # one warm-up each: file cache, not timed
            s, _ = run_timed(cmd, cwd)
            runs[name] = 1 if s > args.slow else args.runs
            print(f"{n} pages: {name} warm-up {s:.2f} s", file=sys.stderr, flush=True)
        for r in range(args.runs):
            for name, (cmd, cwd) in cmds.items():
                if r >= runs[name]:
                    continue
                s, kb = run_timed(cmd, cwd)
                times[name].append(s)
                mem[name].append(kb)
                print(f"{n} pages: {name} run {r + 1}: {s:.2f} s, {kb / 1024:.0f} MB", file=sys.stderr, flush=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        rows.append((n, med, {k: max(v) for k, v in mem.items()}, {k: len(v) for k, v in times.items()}))

    print(f"\n| pages | tool | runs | median s | ratio haven/tool | peak MB |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, med, peak, count in rows:
        for tool in med:
            ratio = "" if tool == "haven" else f"{med['haven'] / med[tool]:.2f}"
            print(f"| {n} | {tool} | {count[tool]} | {med[tool]:.3f} | {ratio} | {peak[tool] / 1024:.0f} |")
    if len(rows) >= 2:
        (n1, m1, _, _), (n2, m2, _, _) = rows[0], rows[-1]
        print(f"\nhaven scaling {n1} -> {n2} pages: {m2['haven'] / m1['haven']:.1f}x time for {n2 / n1:.0f}x pages")


if __name__ == "__main__":
    main()
