#!/usr/bin/env bash
# Installs the Debian packages factwatch's optional features and their tests use, when missing:
# tesseract (OCR, vie/fra/eng), ffmpeg (video keyframes), chromium (browser tests, PDF reports),
# dovecot (a real IMAP server for the e-mail connector's tests).  Idempotent; needs root + apt.
set -u
need=()
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-vie)
ls /usr/share/tesseract-ocr/*/tessdata/fra.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-fra)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-eng)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
[ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${need[*]} (install them with apt-get as root; the tests that need them will be skipped)" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "system-deps: apt-get failed; the tests that need ${need[*]} will be skipped" >&2
exit 0
