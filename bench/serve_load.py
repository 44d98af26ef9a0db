#!/usr/bin/env python3
"""`haven serve` under load while files are edited: failed requests, errors and memory.

Usage:
  python3 bench/serve_load.py N [--bin target/release/haven] [--corpus DIR] [--clients 200]
                                [--duration 30] [--threads 2] [--edit-every 0.5]

Makes (or reuses) a haven site of N pages from /work/shared/bench/gen_corpus.py (as
bench/serve_latency.py does), starts `haven serve` on a free port, and runs `wrk` with
--clients connections for --duration seconds, each request for another page of the site (and
the home page, the stylesheet, a script, the sitemap), while a loop edits a page every --edit-every
seconds: mostly body edits, every fifth a front matter edit (a full rebuild). It samples the
server's resident memory (VmRSS in /proc/PID/status) before, during and after the load.

Prints wrk's figures (requests, socket errors, non-2xx/3xx answers), the edits made and whether
the last one is served, every error haven printed, and RSS at the start, the peak and the end.
A run passes when no request failed, haven printed no error, and the last edit is served.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_latency import free_port, make_site  # noqa: E402


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except Exception:
        return 0, ""


def page_paths(site):
    content = os.path.join(site, "content")
    paths = []
    for section in sorted(os.listdir(content)):
        folder = os.path.join(content, section)
        if not os.path.isdir(folder):
            continue
        paths.append(f"/{section}/")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".md") and name != "_index.md":
                paths.append(f"/{section}/{name[:-3]}/")
    return paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--bin", default="target/release/haven")
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--edit-every", type=float, default=0.5)
    ap.add_argument("--log", help="write everything haven serve printed to this file")
    ap.add_argument("--rounds", type=int, default=1,
                    help="repeat the load (and edits) this many times, RSS after each: memory that "
                         "keeps growing round after round is a leak, a plateau is not")
    args = ap.parse_args()
    corpus = args.corpus or f"/tmp/haven-serve-bench-{args.n}"
    site = make_site(args.n, corpus)
    paths = page_paths(site)
    # What a reader's browser also asks for.
    extra = ["/", "/style.css", "/search.js", "/sitemap.xml"]
    edited = [os.path.join(site, "content", p.strip("/") + ".md") for p in paths if p.count("/") == 3][:50]
    originals = {p: open(p).read() for p in edited}

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [args.bin, "serve", "--root", site, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = []
    threading.Thread(target=lambda: [lines.append(l.rstrip()) for l in proc.stdout], daemon=True).start()
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    try:
        deadline = time.time() + 600
        while "Serving" not in "\n".join(lines):
            if proc.poll() is not None or time.time() > deadline:
                sys.exit("haven serve did not start:\n" + "\n".join(lines))
            time.sleep(0.05)
        assert fetch(base + paths[1])[0] == 200, f"{paths[1]} is not served"
        time.sleep(2)  # let the first build's garbage go before the baseline sample
        rss_start = rss_kib(proc.pid)
        started_lines = len(lines)

        # wrk: each request the next path of the list, from a per-thread offset.
        all_paths = paths + extra
        script.write("paths = {" + ",".join(f'"{p}"' for p in all_paths) + "}\n")
        script.write(
            "counter = 0\n"
            "function setup(thread) thread:set('offset', counter * 997); counter = counter + 1 end\n"
            "function init(args) i = offset or 0 end\n"
            "function request() i = i + 1; return wrk.format('GET', paths[(i % #paths) + 1]) end\n"
        )
        script.close()

        samples = []
        rss_ends = []
        failed_total = 0
        for round_no in range(1, args.rounds + 1):
            stop = threading.Event()

            def sample():
                while not stop.is_set():
                    samples.append(rss_kib(proc.pid))
                    time.sleep(0.25)

            edits = []

            def edit():
                i = 0
                while not stop.is_set():
                    path = edited[i % len(edited)]
                    token = f"loadbench{os.getpid()}r{round_no}x{i}"
                    text = originals[path]
                    if i % 5 == 4:
                        text = re.sub(r'^description: ".*"$', f'description: "Changed {token}"', text,
                                      count=1, flags=re.M)
                    else:
                        text = text.rstrip("\n") + f"\n\nA new sentence {token}.\n"
                    with open(path, "w") as f:
                        f.write(text)
                    edits.append((path, token))
                    i += 1
                    stop.wait(args.edit_every)

            before_lines = len(lines)
            threads = [threading.Thread(target=sample), threading.Thread(target=edit)]
            for t in threads:
                t.start()
            wrk = subprocess.run(
                ["wrk", "-t", str(args.threads), "-c", str(args.clients), "-d", f"{args.duration}s",
                 "--timeout", "10s", "--latency", "-s", script.name, base + "/"],
                capture_output=True, text=True,
            )
            stop.set()
            for t in threads:
                t.join()

            # The last edit must be served once things settle.
            path, token = edits[-1]
            url = "/" + os.path.relpath(path, os.path.join(site, "content"))[:-3] + "/"
            t0 = time.time()
            last_served = True
            while token not in fetch(base + url)[1]:
                if time.time() - t0 > 60:
                    last_served = False
                    break
                time.sleep(0.1)
            time.sleep(3)  # the search index rebuilds a second after the last edit
            rss_ends.append(rss_kib(proc.pid))

            out = wrk.stdout
            print(f"--- round {round_no} ---")
            print(out)
            if wrk.stderr.strip():
                print("wrk stderr:", wrk.stderr.strip())
            requests = int(re.search(r"(\d+) requests in", out).group(1))
            socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
            socket_errors = sum(int(x) for x in socket.groups()) if socket else 0
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            non2xx = int(non2xx.group(1)) if non2xx else 0
            failed_total += socket_errors + non2xx
            haven_errors = [l for l in lines[before_lines:] if re.search(r"error|panic|Build failed", l, re.I)]
            rebuilt = [l for l in lines[before_lines:] if l.startswith("Rebuilt")]
            print(f"site: {args.n} pages, {len(all_paths)} paths requested in turn")
            print(f"requests: {requests}; socket errors: {socket_errors} ({socket.group(0) if socket else 'none'})")
            print(f"non-2xx/3xx answers: {non2xx}")
            print(f"edits during the load: {len(edits)}; rebuild reports: {len(rebuilt)}; "
                  f"last edit served: {'yes' if last_served else 'NO'}")
            print(f"haven printed {len(haven_errors)} error lines" + "".join("\n  " + l for l in haven_errors[:10]))
            print(f"RSS after round {round_no}: {rss_ends[-1] / 1024:.1f} MiB")
        print("=== summary ===")
        print(f"failed requests (socket errors + non-2xx/3xx), all rounds: {failed_total}")
        print(f"RSS: start {rss_start / 1024:.1f} MiB, peak {max(samples) / 1024:.1f} MiB, after each round "
              + ", ".join(f"{r / 1024:.1f}" for r in rss_ends) + " MiB")
        print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    finally:
        if args.log:
            with open(args.log, "w") as f:
                f.write("\n".join(lines) + "\n")
        for path, text in originals.items():
            with open(path, "w") as f:
                f.write(text)
        proc.terminate()
        proc.wait()
        os.unlink(script.name)


if __name__ == "__main__":
    main()
