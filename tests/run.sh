#!/usr/bin/env bash
# The one command that installs what the tests need (on a fresh Debian
# machine, as root or through sudo) and runs every test: rustfmt, clippy, the
# Rust tests, then the browser suite (tests/browser) over the example site built
# by the debug `haven` binary, then the handout PDFs (tests/handout-pdf.sh).
# Every suite runs even when an earlier one fails; the last line is
# "N passed, N failed" and the exit status is 1 if anything failed. A second
# run skips the installs in about a second.
#
# Environment:
#   HAVEN_BIN         haven binary to build the site with (default: the debug
#                     build, made here with `cargo build`)
#   HAVEN_SITE        where the site is built and tested (target/browser-site)
#   HAVEN_SKIP_BUILD  1: test HAVEN_SITE as it is, without building it
#   HAVEN_BROWSER_PAGES, HAVEN_VNU_FILES  page caps of the browser suite (40, 300)
#   TESTS_SKIP        comma list of steps to skip: install,fmt,clippy,rust,browser,handouts
#   CHROME_PATH, JAVA passed on to the browser suite
#   HAVEN_QTI_CONVERT citolab-qti-convert's qti-convert for the QTI export test (default:
#                     the one installed into target/qti-venv)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
HAVEN_BIN="${HAVEN_BIN:-}"
HAVEN_SITE="${HAVEN_SITE:-target/browser-site}"
TESTS_SKIP=",${TESTS_SKIP:-},"
LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT

passed=0
failed=0
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
finish() {
  echo
  echo "$passed passed, $failed failed"
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

# Adds the counts from a runner's summary to the totals; a run that printed
# no summary (it did not compile) counts as one failure.
count_rust() {
  local log="$1" rc="$2" run pass sum failed_before=$failed
  run="$(grep -oE '[0-9]+ tests? run: [0-9]+ passed' "$log" | tail -1 || true)"
  if [[ -n $run ]]; then # nextest: "N tests run: N passed, N failed, ..."
    # paste ends the line with a newline: `read` at end of input without one returns 1,
    # which `set -e` would turn into a silent exit.
    read -r run pass < <(echo "$run" | grep -oE '[0-9]+' | paste -sd' ')
    passed=$((passed + pass))
    failed=$((failed + run - pass))
  elif grep -qE '^test result: ' "$log"; then # cargo test: one line per binary
    sum="$(grep -E '^test result: ' "$log" | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p, f}')"
    passed=$((passed + ${sum% *}))
    failed=$((failed + ${sum#* }))
  fi
  # Did not compile, or failed in a way no count shows.
  if ((rc != 0 && failed == failed_before)); then failed=$((failed + 1)); fi
  return 0
}

if ! skipping rust; then
  rc=0
  if command -v cargo-nextest >/dev/null; then
    say "rust tests: cargo nextest run --no-fail-fast"
    cargo nextest run --no-fail-fast --no-tests=warn 2>&1 | tee "$LOGS/rust.log" || rc=$?
  else
    say "rust tests: cargo test --no-fail-fast"
    cargo test --no-fail-fast 2>&1 | tee "$LOGS/rust.log" || rc=$?
  fi
  count_rust "$LOGS/rust.log" "$rc"
fi

# ---- browser --------------------------------------------------------------------
build_site() {
  if [[ -z $HAVEN_BIN ]]; then
    cargo build || return 1
    HAVEN_BIN="$TARGET_DIR/debug/haven"
  fi
  "$HAVEN_BIN" build --root . --output "$HAVEN_SITE"
}

if ! skipping browser; then
  files=(tests/browser/)
  if [[ ${HAVEN_SKIP_BUILD:-0} != 1 ]] && ! check site-build build_site; then
    # Don't test a stale site left by an earlier build: prove the harness only.
    files=(tests/browser/harness.test.js)
  fi
  say "browser tests: node --test ${files[*]} (HAVEN_SITE=$HAVEN_SITE)"
  t0=$SECONDS
  rc=0
  : >"$LOGS/browser.tap"
  # Readable output on the terminal, TAP in a file for the counts.
  HAVEN_SITE="$HAVEN_SITE" node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$LOGS/browser.tap" \
    "${files[@]}" || rc=$?
  pass="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$LOGS/browser.tap" | tail -1)"
  fail="$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$LOGS/browser.tap" | tail -1)"
  cancelled="$(sed -nE 's/^# cancelled ([0-9]+)$/\1/p' "$LOGS/browser.tap" | tail -1)"
  passed=$((passed + ${pass:-0}))
  failed=$((failed + ${fail:-0} + ${cancelled:-0}))
  if ((rc != 0)) && [[ -z $pass ]]; then failed=$((failed + 1)); fi
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
    passed=$((passed + ${sum% *}))
    failed=$((failed + ${sum#* }))
  else
    failed=$((failed + 1))
  fi
  echo "== handout PDFs: $((SECONDS - t0)) s"
fi

finish
