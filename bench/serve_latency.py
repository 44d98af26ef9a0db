#!/usr/bin/env python3
"""Time from a saved edit of one article to `haven serve` serving the new page.

Usage:
  python3 bench/serve_latency.py N [--bin target/release/haven] [--corpus DIR] [--edits 30]
                                   [--kind body|frontmatter] [--gap SECONDS]

Makes (or reuses) a corpus of N pages with /work/shared/bench/gen_corpus.py --layouts plain,
turns it into a haven site (content/ from the corpus, a haven.toml), starts `haven serve` on a
free port, then, --edits times: rewrites one article with a new sentence in its body (or a new
description with --kind frontmatter), and polls the page over HTTP until the sentence is
served. Prints the edit-to-served latency (median, p90, min, max) and the rebuild time haven
reported for each edit, which excludes the debounce wait and the HTTP round trips.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

GEN = "/work/shared/bench/gen_corpus.py"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def make_site(n, corpus):
    if not os.path.isdir(os.path.join(corpus, "plain", "content")):
        subprocess.run([sys.executable, GEN, str(n), corpus, "--layouts", "plain"], check=True)
    site = os.path.join(corpus, "haven-site")
    if not os.path.isdir(site):
        shutil.copytree(os.path.join(corpus, "plain", "content"), os.path.join(site, "content"))
        # The corpus has no home page: give it one, and a config.
        with open(os.path.join(site, "content", "_index.md"), "w") as f:
            f.write("---\ntitle: \"Bench\"\n---\nA synthetic site.\n")
        with open(os.path.join(site, "haven.toml"), "w") as f:
            f.write('title = "Bench"\ndescription = "A synthetic site."\nbase_url = "https://bench.example.org/"\n')
    return site


def pick_article(site):
    content = os.path.join(site, "content")
    section = sorted(d for d in os.listdir(content) if os.path.isdir(os.path.join(content, d)))[0]
    pages = sorted(p for p in os.listdir(os.path.join(content, section)) if p.endswith(".md") and p != "_index.md")
    name = pages[len(pages) // 2]
    return os.path.join(content, section, name), f"/{section}/{name[:-3]}/"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--bin", default="target/release/haven")
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--kind", choices=["body", "frontmatter"], default="body")
    ap.add_argument("--gap", type=float, default=0.15,
                    help="seconds between an edit being served and the next edit (over 1 s lets the "
                         "search index rebuild in the background between edits)")
    args = ap.parse_args()
    corpus = args.corpus or f"/tmp/haven-serve-bench-{args.n}"
    site = make_site(args.n, corpus)
    article, url_path = pick_article(site)
    original = open(article).read()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [args.bin, "serve", "--root", site, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = []
    threading.Thread(target=lambda: [lines.append(l.rstrip()) for l in proc.stdout], daemon=True).start()
    try:
        deadline = time.time() + 600
        while "Serving" not in "\n".join(lines):
            if proc.poll() is not None or time.time() > deadline:
                sys.exit("haven serve did not start:\n" + "\n".join(lines))
            time.sleep(0.05)
        first = next((l for l in lines if l.startswith("Built")), "")
        print(f"{args.n} pages: {first}")
        assert fetch(base + url_path), f"{url_path} is not served"

        latencies, reported = [], []
        for i in range(args.edits):
            token = f"servebench{os.getpid()}x{i}"
            if args.kind == "body":
                text = original.rstrip("\n") + f"\n\nA new sentence {token}.\n"
            else:
                text = re.sub(r'^description: ".*"$', f'description: "Changed {token}"', original, count=1, flags=re.M)
                assert token in text
            before = len(lines)
            with open(article, "w") as f:
                f.write(text)
            t0 = time.perf_counter()
            while token not in fetch(base + url_path):
                if time.perf_counter() - t0 > 60:
                    sys.exit("the edit never showed:\n" + "\n".join(lines[-20:]))
                time.sleep(0.001)
            latencies.append((time.perf_counter() - t0) * 1000)
            # Wait for the report line of this rebuild, and let the burst settle.
            while not any(l.startswith("Rebuilt") for l in lines[before:]):
                time.sleep(0.005)
            m = re.search(r" in ([\d.]+) ms$", next(l for l in lines[before:] if l.startswith("Rebuilt")))
            reported.append(float(m.group(1)))
            time.sleep(args.gap)
        what = next(l for l in reversed(lines) if l.startswith("Rebuilt"))
        q = statistics.quantiles(latencies, n=10)
        print(f"last rebuild: {what}")
        print(
            f"edit -> served ({args.kind}, {args.edits} edits): median {statistics.median(latencies):.1f} ms, "
            f"p90 {q[8]:.1f} ms, min {min(latencies):.1f} ms, max {max(latencies):.1f} ms"
        )
        print(f"gap between edits: {args.gap} s; load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
        print(f"rebuild as reported by haven: median {statistics.median(reported):.1f} ms, max {max(reported):.1f} ms")
    finally:
        with open(article, "w") as f:
            f.write(original)
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
