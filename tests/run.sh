#!/usr/bin/env bash
# The one command that installs what the tests need (on a fresh Debian
# machine, as root or through sudo) and runs every test: rustfmt, clippy, the
# Rust tests, then the browser suite (tests/browser) over the example site built
# by the debug `haven` binary, then the handout PDFs (tests/handout-pdf.sh).
# Every suite runs even when an earlier one fails. Each suite prints its own
# "suite: N passed, N failed, N skipped" line, every skipped test is listed
# with its reason, and the last line sums them: "N passed, N failed, N skipped".
# A skipped test is never counted as passed; a suite that ran no tests is a
# failure; with CI set, a browser test skipped for a missing binary or site is
# a failure (it would hide a whole suite). The exit status is 1 if anything
# failed. A second run skips the installs in about a second.
#
# Environment:
#   HAVEN_BIN         haven binary to build the site with (default: the debug
#                     build, made here with `cargo build`)
#   HAVEN_SITE        where the site is built and tested (target/browser-site)
#   HAVEN_SKIP_BUILD  1: test HAVEN_SITE as it is, without building it
#   HAVEN_BROWSER_PAGES, HAVEN_VNU_FILES  page caps of the browser suite (40, 300)
#   TESTS_SKIP        comma list of steps to skip: install,fmt,clippy,doc,rust,browser,handouts
#   CI                set (as CI services do): browser skips count as failures
#   CHROME_PATH, JAVA passed on to the browser suite
#   HAVEN_QTI_CONVERT citolab-qti-convert's qti-convert for the QTI export test (default:
#                     the one installed into target/qti-venv)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
HAVEN_BIN="${HAVEN_BIN:-}"
# The suites (node, the Rust tests' skip log, handout-pdf.sh) read these from the environment.
export HAVEN_BIN
HAVEN_SITE="${HAVEN_SITE:-target/browser-site}"
TESTS_SKIP=",${TESTS_SKIP:-},"
LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT

passed=0
failed=0
skipped=0
# One line per skipped test: "suite: name: reason".
SKIPS="$LOGS/skips"
: >"$SKIPS"
skipping() { [[ $TESTS_SKIP == *",$1,"* ]] && echo "== skip $1 (TESTS_SKIP)"; }
say() { echo; echo "== $*"; }
# A check that is one pass or one fail (formatting, lints, the site build).
check() {
  local name="$1"
  shift
  say "$name: $*"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "== $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1))
    echo "== $name: FAILED ($((SECONDS - t0)) s)"
    return 1
  fi
}
# Prints a suite's counts and adds them to the totals; a suite that ran nothing fails.
suite_counts() {
  local name="$1" p="$2" f="$3" s="$4"
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
  if ((p + f == 0)); then
    failed=$((failed + 1))
    echo "== $name: no test ran: counted as a failure"
  fi
  echo "== $name: $p passed, $f failed, $s skipped"
}
finish() {
  echo
  if [[ -s $SKIPS ]]; then
    echo "Skipped (not counted as passed):"
    sed 's/^/  /' "$SKIPS"
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  if ((failed > 0)); then exit 1; fi
  exit 0
}

# ---- install ------------------------------------------------------------------
install_apt() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v java >/dev/null || missing+=(default-jre-headless) # vnu.jar
  { command -v pdfinfo && command -v pdftotext && command -v pdftoppm; } >/dev/null || missing+=(poppler-utils)
  command -v zbarimg >/dev/null || missing+=(zbar-tools)
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv) # the QTI consumer
  if ((${#missing[@]} == 0)); then
    echo "apt: all present"
    return 0
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  # Another apt-get may hold the lock (an image's own updates): wait for it.
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
  echo "apt: installing ${missing[*]}"
  "${apt[@]}" update -qq
  "${apt[@]}" install -y -qq "${missing[@]}"
}

install_npm() {
  command -v node >/dev/null || { echo "node not found: Node 20 or newer is needed"; return 1; }
  # npm writes node_modules/.package-lock.json on every install: older than
  # the lockfile means the lockfile changed since.
  if [[ -f tests/browser/node_modules/.package-lock.json && ! tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]]; then
    echo "npm: node_modules up to date"
    return 0
  fi
  # --ignore-scripts: vnu-jar's install script would try to download a Java
  # runtime; playwright-core never downloads a browser, Debian's is used.
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}

# An independent QTI consumer for tests/export_cli.rs (optional: without it that one test
# says SKIPPED and checks nothing more).
QTI_VENV="$TARGET_DIR/qti-venv"
install_qti() {
  if [[ -x $QTI_VENV/bin/qti-convert ]]; then
    echo "pip: citolab-qti-convert present"
    return 0
  fi
  { python3 -m venv "$QTI_VENV" && "$QTI_VENV/bin/pip" install -q citolab-qti-convert; } ||
    echo "pip: citolab-qti-convert not installed; its export test will be skipped"
}

# Installing is not a test: it adds no pass, and a failure ends the run.
if ! skipping install; then
  say "install"
  if ! install_apt || ! install_npm; then
    failed=$((failed + 1))
    echo "== install FAILED: nothing can be tested"
    finish
  fi
  install_qti
fi
if [[ -x $QTI_VENV/bin/qti-convert ]]; then
  export HAVEN_QTI_CONVERT="${HAVEN_QTI_CONVERT:-$PWD/$QTI_VENV/bin/qti-convert}"
fi

# ---- Rust ---------------------------------------------------------------------
skipping fmt || check rustfmt cargo fmt --all -- --check || true
skipping clippy || check clippy cargo clippy --all-targets -- -D warnings || true
# Broken intra-doc links and malformed doc comments.
skipping doc || check rustdoc env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet || true

# Adds the counts from a runner's summary to the totals; a run that printed
# no summary (it did not compile) counts as one failure. Tests that find a
# capability missing (tests/common/mod.rs `skip`) write a line to
# HAVEN_SKIP_LOG and return: the runner counts them as passed, so they move
# from passed to skipped here.
count_rust() {
  local log="$1" rc="$2" run="" pass=0 fail=0 skip=0 sum capability
  run="$(grep -E '[0-9]+ tests? run: ' "$log" | tail -1 || true)"
  if [[ -n $run ]]; then # nextest: "N tests run: N passed, N failed, N skipped"
    pass="$(echo "$run" | sed -nE 's/.* ([0-9]+) passed.*/\1/p')"
    fail=$(($(echo "$run" | sed -nE 's/.* ([0-9]+) tests? run.*/\1/p') - ${pass:-0}))
    skip="$(echo "$run" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')"
  elif grep -qE '^test result: ' "$log"; then # cargo test: one line per binary
    sum="$(grep -E '^test result: ' "$log" | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\1 \2 \3/' | awk '{p+=$1; f+=$2; s+=$3} END {print p, f, s}')"
    read -r pass fail skip <<<"$sum"
  fi
  pass=${pass:-0}
  skip=${skip:-0}
  capability="$(grep -c . "$HAVEN_SKIP_LOG" 2>/dev/null || true)"
  capability=${capability:-0}
  if ((capability > 0)); then
    sed 's/^/rust: /' "$HAVEN_SKIP_LOG" >>"$SKIPS"
    pass=$((pass - capability))
    skip=$((skip + capability))
  fi
  # Did not compile, or failed in a way no count shows.
  if ((rc != 0 && fail == 0)); then fail=1; fi
  suite_counts "rust tests" "$pass" "$fail" "$skip"
}

if ! skipping rust; then
  rc=0
  export HAVEN_SKIP_LOG="$LOGS/rust-skips"
  : >"$HAVEN_SKIP_LOG"
  if command -v cargo-nextest >/dev/null; then
    say "rust tests: cargo nextest run --no-fail-fast"
    cargo nextest run --no-fail-fast --no-tests=fail 2>&1 | tee "$LOGS/rust.log" || rc=$?
  else
    say "rust tests: cargo test --no-fail-fast"
    cargo test --no-fail-fast 2>&1 | tee "$LOGS/rust.log" || rc=$?
  fi
  count_rust "$LOGS/rust.log" "$rc"
fi

# ---- browser --------------------------------------------------------------------
# The debug binary, built once, named by an absolute path: every browser suite
# and the handout checks use this one (CARGO_TARGET_DIR honoured).
resolve_bin() {
  if [[ -z $HAVEN_BIN ]]; then
    cargo build || return 1
    HAVEN_BIN="$TARGET_DIR/debug/haven"
  fi
  [[ -x $HAVEN_BIN ]] || { echo "no haven binary at $HAVEN_BIN"; return 1; }
  HAVEN_BIN="$(cd "$(dirname "$HAVEN_BIN")" && pwd)/$(basename "$HAVEN_BIN")"
  export HAVEN_BIN
}
build_site() {
  resolve_bin || return 1
  "$HAVEN_BIN" build --root . --output "$HAVEN_SITE"
}

if ! skipping browser; then
  files=(tests/browser/)
  if [[ ${HAVEN_SKIP_BUILD:-0} == 1 ]]; then
    resolve_bin || true
  elif ! check site-build build_site; then
    # Don't test a stale site left by an earlier build: prove the harness only.
    files=(tests/browser/harness.test.js)
  fi
  say "browser tests: node --test ${files[*]} (HAVEN_SITE=$HAVEN_SITE, HAVEN_BIN=$HAVEN_BIN)"
  t0=$SECONDS
  rc=0
  : >"$LOGS/browser.tap"
  # Readable output on the terminal, TAP in a file for the counts.
  HAVEN_SITE="$HAVEN_SITE" node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$LOGS/browser.tap" \
    "${files[@]}" || rc=$?
  # The summary's "# pass N" and friends; empty when node printed no summary.
  tap_count() { sed -nE "s/^# $1 ([0-9]+)\$/\\1/p" "$LOGS/browser.tap" | tail -1; }
  pass="$(tap_count pass)"
  fail=$(($(tap_count fail) + $(tap_count cancelled) + 0))
  skip=$(($(tap_count skipped) + $(tap_count todo) + 0))
  # "ok 3 - name # SKIP reason", at any depth.
  sed -nE 's/^ *ok [0-9]+ - (.*) # (SKIP|TODO) ?(.*)$/browser: \1: \3/p' "$LOGS/browser.tap" >>"$SKIPS"
  if ((rc != 0)) && [[ -z $pass ]]; then fail=$((fail + 1)); fi
  if [[ -n ${CI:-} ]] && ((skip > 0)); then
    echo "== browser tests: $skip skipped under CI: counted as failures (a missing binary or site hides whole suites)"
    fail=$((fail + skip))
  fi
  suite_counts "browser tests" "${pass:-0}" "$fail" "$skip"
  echo "== browser tests: $((SECONDS - t0)) s"
fi

# ---- handout PDFs -----------------------------------------------------------------
# Chromium prints every example handout in A4 and in Letter; pdfinfo, pdftotext and zbarimg
# check pages, text and QR code (tests/handout-pdf.sh, docs/handouts.md). One pass or fail per
# check it makes; no summary line (it did not run) is one failure.
if ! skipping handouts; then
  say "handout PDFs: tests/handout-pdf.sh"
  t0=$SECONDS
  HAVEN_BIN="$HAVEN_BIN" bash tests/handout-pdf.sh 2>&1 | tee "$LOGS/handouts.log" || true
  sum="$(sed -nE 's/^handout-pdf: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$LOGS/handouts.log" | tail -1)"
  if [[ -n $sum ]]; then
    suite_counts "handout PDFs" "${sum% *}" "${sum#* }" 0
  else
    suite_counts "handout PDFs" 0 1 0
  fi
  echo "== handout PDFs: $((SECONDS - t0)) s"
fi

finish
