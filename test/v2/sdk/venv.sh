#!/usr/bin/env bash
# A virtual environment with the official Comfy SDK (requirements.txt beside this file), made once
# and kept in ${XDG_CACHE_HOME:-$HOME/.cache}/discomfort-python/comfy-sdk-<hash of requirements>;
# prints its python. Bounded: pip gets 240 s.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${PYTHON:-python3}"
SUM="$(sha256sum "$HERE/requirements.txt" | cut -c1-12)"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/discomfort-python/comfy-sdk-$SUM"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import comfy_sdk' 2>/dev/null; then
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PYTHON" -m venv "$VENV" >&2
  PIP_DISABLE_PIP_VERSION_CHECK=1 timeout 240 "$VENV/bin/pip" install -q -r "$HERE/requirements.txt" >&2
fi
echo "$VENV/bin/python"
