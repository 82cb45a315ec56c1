#!/usr/bin/env bash
# Install the system packages the edition needs, from Debian's packages, when missing.
#   setup-system.sh edition   -> a CJK font (fonts-noto-cjk)
#   setup-system.sh test      -> the font, plus poppler-utils (pdftotext…) and chromium for browser tests
# As root it installs what is missing; otherwise it says what to install and fails.
set -euo pipefail
need=()
want=()
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then need+=(fonts-noto-cjk); fi
# The matching Latin face for the English column; the PDF falls back to the CJK font's Latin without it.
if ! fc-list "Noto Serif" 2>/dev/null | grep -q .; then want+=(fonts-noto-core); fi
# HarfBuzz's subsetter cuts the CJK font to the edition's characters in well under a second;
# without it the PDF and the EPUB fall back to fontTools, which takes minutes for a large edition.
if ! ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0"; then want+=(libharfbuzz-subset0); fi
if [ "${1:-edition}" = test ]; then
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v epubcheck >/dev/null 2>&1 || need+=(epubcheck)  # EPUB validation (tests/render/test_epub.py)
fi
if [ "$(id -u)" -ne 0 ]; then
  [ ${#need[@]} -eq 0 ] && exit 0
  echo "Error: missing system packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
need+=("${want[@]}")
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
fc-cache -f >/dev/null 2>&1 || true
