#!/usr/bin/env bash
# Installs the system packages journal-gateway uses when they are missing (Debian, as root).
# Usage: scripts/setup.sh [redis] [gost] [chromium] [strace]   (no argument: redis)
# Anyone who is not root gets one line saying what to install instead.
set -euo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(redis)

pkgs=()
for w in "${want[@]}"; do
  case "$w" in
    redis) command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server) ;;
    gost) [ -n "$(find /usr/lib -name 'gost.so' -path '*engines*' 2>/dev/null | head -1)" ] || pkgs+=(libengine-gost-openssl) ;;
    chromium)
      command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
      # Times New Roman's metrics (the archive's printable pages are laid out for them; a school's Windows PC has the
      # font): without it Chromium falls back to DejaVu Serif, a fifth wider, and a class journal sheet runs off A4.
      [ -e /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || pkgs+=(fonts-liberation) ;;
    # The backup's fsync test watches the system calls of a `backup run` (test/backup/copies-fsynced-before-verified.test.ts).
    strace) command -v strace >/dev/null 2>&1 || pkgs+=(strace) ;;
    *) echo "setup.sh: unknown component '$w' (known: redis, gost, chromium, strace)" >&2; exit 2 ;;
  esac
done

[ ${#pkgs[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "journal-gateway needs: ${pkgs[*]} — install them with your package manager (Debian: sudo apt-get install ${pkgs[*]})" >&2
  exit 1
fi

echo "setup.sh: installing ${pkgs[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
