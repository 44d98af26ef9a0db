#!/usr/bin/env bash
# Prints every handout of the example site to PDF with Chromium, laid out for A4 and then for US
# Letter (the site built twice, with [handouts] paper = "a4" and "letter"), and checks each PDF:
#   - pages: at most HANDOUT_MAX_PAGES (2) pages (pdfinfo), except the large-print versions
#     (/handouts/NAME/large-print/), which are printed and checked the same way but may run longer;
#   - text: the clinic's phone number and the handout's title are in it (pdftotext);
#   - qr: page 1 rendered at 150 dpi (pdftoppm) holds a QR code that decodes to the article's
#     canonical URL (zbarimg);
#   - estimate: the page count the build estimated (the /handouts/ list) is within one page of
#     the real one;
# and each language's print-all page starts every handout on a new sheet (at least one page per
# handout). The last line is "handout-pdf: N passed, N failed"; the exit status is 1 on a failure.
#
# Environment:
#   HAVEN_BIN          haven binary (default: target/debug/haven, built here when missing)
#   CHROME_PATH        Chromium (default: chromium)
#   HANDOUT_MAX_PAGES  page limit per handout (default 2)
#   HANDOUT_PDF_KEEP   a folder to keep the PDFs and page images in, to look at them
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
HAVEN_BIN="${HAVEN_BIN:-}"
CHROME="${CHROME_PATH:-chromium}"
MAX_PAGES="${HANDOUT_MAX_PAGES:-2}"
WORK="$(mktemp -d)"
SERVER=""
cleanup() {
  if [[ -n $SERVER ]]; then kill "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }
finish() {
  echo "handout-pdf: $passed passed, $failed failed"
  ((failed == 0))
  exit $?
}

for tool in "$CHROME" pdfinfo pdftotext pdftoppm zbarimg python3; do
  if ! command -v "$tool" >/dev/null; then
    bad "missing tool: $tool (tests/run.sh installs chromium, poppler-utils and zbar-tools)"
    finish
  fi
done
if [[ -z $HAVEN_BIN ]]; then
  HAVEN_BIN="${CARGO_TARGET_DIR:-target}/debug/haven"
  if ! cargo build --quiet; then
    bad "cargo build"
    finish
  fi
fi
HAVEN_BIN="$(cd "$(dirname "$HAVEN_BIN")" && pwd)/$(basename "$HAVEN_BIN")"

# A copy of the example site whose haven.toml can say which paper.
mkdir -p "$WORK/site"
for part in content static i18n templates themes clinics; do
  if [[ -e $part ]]; then cp -R "$part" "$WORK/site/"; fi
done
PHONE="$(python3 -c 'import tomllib; print(tomllib.load(open("haven.toml", "rb")).get("clinic", {}).get("phone", ""))')"
if [[ -z $PHONE ]]; then
  bad "haven.toml has no [clinic] phone to look for"
  finish
fi

# A local server over a built site, at its root as it will be published (Chromium reads the pages
# as a reader's browser would).
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
serve() { # DIR
  if [[ -n $SERVER ]]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; fi
  python3 -m http.server --bind 127.0.0.1 --directory "$1" "$PORT" >/dev/null 2>&1 &
  SERVER=$!
  for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/handouts/')" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

print_pdf() { # URL OUT.pdf
  local profile
  profile="$(mktemp -d)"
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --print-to-pdf="$2" --no-pdf-header-footer "$1" >/dev/null 2>&1
  rm -rf "$profile"
  [[ -s $2 ]]
}

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }

# Facts from a handout page: its canonical URL (the article's) and its title.
facts() { # HTML -> "URL<TAB>TITLE"
  python3 - "$1" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
url = re.search(r'<link rel="canonical" href="([^"]+)"', text).group(1)
title = re.search(r'class="handout-title"[^>]*>(.*?)</h[12]>', text, re.S).group(1)
print(html.unescape(url) + "\t" + " ".join(html.unescape(re.sub("<[^>]+>", "", title)).split()))
PY
}

# The build's estimate for a handout, from its language's /handouts/ list.
estimate_of() { # INDEX.html HANDOUT_PATH
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'href="' + re.escape(sys.argv[2]) + r'">.*?class="handout-pages">(\d+)', text, re.S)
print(m.group(1) if m else "")
PY
}

for paper in a4 letter; do
  echo "== handouts on $paper"
  python3 - "$ROOT/haven.toml" "$WORK/site/haven.toml" "$paper" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
paper = 'paper = "%s"' % sys.argv[3]
if re.search(r"^\[handouts\]", text, re.M):
    section = re.search(r"^\[handouts\][^\[]*", text, re.M)
    body = section.group(0)
    new = re.sub(r'^paper\s*=.*$', paper, body, flags=re.M) if re.search(r"^paper\s*=", body, re.M) else body.replace("[handouts]\n", "[handouts]\n" + paper + "\n", 1)
    text = text[: section.start()] + new + text[section.end():]
else:
    text += "\n[handouts]\n" + paper + "\n"
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
  out="$WORK/out-$paper"
  if ! HAVEN_TODAY=2026-01-15 "$HAVEN_BIN" build --root "$WORK/site" --output "$out" >"$WORK/build-$paper.log" 2>&1; then
    cat "$WORK/build-$paper.log"
    bad "$paper: haven build"
    continue
  fi
  if ! serve "$out"; then
    bad "$paper: the local HTTP server did not start"
    continue
  fi
  if ! grep -q "size: $([[ $paper == a4 ]] && echo A4 || echo letter);" "$out/handouts/paper.css"; then
    bad "$paper: /handouts/paper.css does not set the paper size"
  fi
  mapfile -t handouts < <(cd "$out" && find . -path '*/handouts/*/index.html' ! -path '*/print-all/*' | sed -E 's|^\./||; s|index\.html$||' | sort)
  if ((${#handouts[@]} == 0)); then
    bad "$paper: the example site has no handouts"
    continue
  fi
  for rel in "${handouts[@]}"; do
    name="$paper/${rel//\//_}"
    name="${name%_}"
    pdf="$WORK/${name//\//-}.pdf"
    IFS=$'\t' read -r url title < <(facts "$out/${rel}index.html")
    if ! print_pdf "http://127.0.0.1:$PORT/$rel" "$pdf"; then
      bad "$name: Chromium made no PDF"
      continue
    fi
    pages="$(pages_of "$pdf")"
    if [[ $rel == */large-print/ ]]; then
      # Large print (16 pt body) may run past two pages; [handouts] large_print_max_pages is the
      # site's own budget, warned about by `haven check`.
      ok "$name: $pages pages (large print)"
    elif ((pages <= MAX_PAGES)); then
      ok "$name: $pages pages"
    else
      bad "$name: $pages pages, more than $MAX_PAGES (shorten the article, or tighten handout.css)"
    fi
    text="$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null | tr -s ' \n\t' ' ')"
    missing=()
    [[ $text == *"$PHONE"* ]] || missing+=("phone $PHONE")
    [[ $text == *"$title"* ]] || missing+=("title \"$title\"")
    if ((${#missing[@]} == 0)); then
      ok "$name: text has the phone and the title"
    else
      bad "$name: text lacks ${missing[*]}"
    fi
    pdftoppm -r 150 -png -f 1 -l 1 "$pdf" "${pdf%.pdf}-p" 2>/dev/null
    png="$(ls "${pdf%.pdf}"-p*.png 2>/dev/null | head -1)"
    # zbarimg writes D-Bus noise on stderr: read stdout only.
    decoded="$( [[ -n $png ]] && zbarimg --raw -q "$png" 2>/dev/null | head -1)"
    if [[ $decoded == "$url" ]]; then
      ok "$name: QR code reads $decoded"
    else
      bad "$name: QR code reads \"$decoded\", want $url"
    fi
    lang_root="${rel%%handouts/*}"
    estimate="$(estimate_of "$out/${lang_root}handouts/index.html" "/$rel")"
    if [[ -n $estimate ]] && ((estimate - pages <= 1 && pages - estimate <= 1)); then
      ok "$name: estimated $estimate pages, printed $pages"
    else
      bad "$name: estimated \"$estimate\" pages, printed $pages"
    fi
  done
  # Print-all: every handout starts on a new sheet.
  for index in $(cd "$out" && find . -path '*/handouts/print-all/index.html' | sed -E 's|^\./||' | sort); do
    rel="${index%index.html}"
    lang_root="${rel%%handouts/*}"
    count="$(find "$out/${lang_root}handouts" -mindepth 2 -maxdepth 2 -name index.html ! -path '*/print-all/*' | wc -l)"
    pdf="$WORK/$paper-print-all-${lang_root//\//_}.pdf"
    if ! print_pdf "http://127.0.0.1:$PORT/$rel" "$pdf"; then
      bad "$paper/$rel: Chromium made no PDF"
      continue
    fi
    pages="$(pages_of "$pdf")"
    starts="$(python3 - "$pdf" "$count" <<'PY'
import subprocess, sys
# Each handout opens with the clinic band, whose first line is on no other page: count the pages
# whose text starts like page 1.
pdf, pages = sys.argv[1], int(subprocess.run(["pdfinfo", sys.argv[1]], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0])
first = lambda n: subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True).stdout.strip().split("\n")[0]
head = first(1)
print(sum(1 for n in range(1, pages + 1) if first(n) == head))
PY
)"
    if [[ $starts == "$count" ]]; then
      ok "$paper/$rel: $count handouts, each from a new sheet ($pages pages)"
    else
      bad "$paper/$rel: $starts of $count handouts start a sheet ($pages pages)"
    fi
  done
done

if [[ -n ${HANDOUT_PDF_KEEP:-} ]]; then
  mkdir -p "$HANDOUT_PDF_KEEP"
  cp "$WORK"/*.pdf "$WORK"/*.png "$HANDOUT_PDF_KEEP"/ 2>/dev/null || true
  echo "PDFs and page images kept in $HANDOUT_PDF_KEEP"
fi
finish
