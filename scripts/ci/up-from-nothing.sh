#!/usr/bin/env bash
# `discomfort up --install` on a machine with no ComfyUI (an empty home
# folder), as a newcomer runs it: installs a CPU ComfyUI, links the extension,
# starts ComfyUI and the bridge. Checks that the page serves the extension,
# that a workflow run from the CLI lands in a context, and that SIGTERM stops
# everything up started. Prints the time from nothing to a working page.
set -euo pipefail
HOME_DIR=${1:?usage: up-from-nothing.sh EMPTY_HOME_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# The page is read whole before it is searched: with pipefail, `curl | grep -q`
# fails when grep stops reading at its first match and curl cannot finish writing.
page_has() { local body; body=$(curl -fsS "$1") && grep -qi -- "$2" <<<"$body"; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
COMFY_PORT=$(free_port)
BRIDGE_PORT=$(free_port)
COMFY="http://127.0.0.1:$COMFY_PORT"
BRIDGE="http://127.0.0.1:$BRIDGE_PORT"
LOG="$HOME_DIR.up.log"
mkdir -p "$HOME_DIR"
[ -z "$(ls -A "$HOME_DIR")" ] || { echo "$HOME_DIR is not empty" >&2; exit 1; }

start=$(date +%s)
DISCOMFORT_HOME="$HOME_DIR" node "$ROOT/bin/discomfort.js" up --install --comfy "$COMFY" --port "$BRIDGE_PORT" >"$LOG" 2>&1 &
UP=$!
trap 'kill -TERM $UP 2>/dev/null || true' EXIT
ready=""
for _ in $(seq 1 1800); do
  if ! kill -0 "$UP" 2>/dev/null; then break; fi
  if curl -fsS "$BRIDGE/api/health" >/dev/null 2>&1 && page_has "$COMFY/extensions" '/discomfort.js"' 2>/dev/null; then ready=yes; break; fi
  sleep 1
done
if [ -z "$ready" ]; then echo "discomfort up did not reach a working page; its output:" >&2; cat "$LOG" >&2; exit 1; fi
elapsed=$(( $(date +%s) - start ))
echo "up-from-nothing: a page with the extension and a bridge after ${elapsed} s (install included)"
grep -q "ComfyUI page:  $COMFY/" "$LOG" || { echo "up did not print the page URL" >&2; cat "$LOG" >&2; exit 1; }
page_has "$COMFY/" '<html' || { echo "the ComfyUI page does not load" >&2; exit 1; }

# The install reads as healthy: its five steps, the log it names, and none of the tools' own noise;
# ComfyUI started once, its console output in the file up names.
fail() { echo "$1; up's output:" >&2; cat "$LOG" >&2; exit 1; }
[ "$(grep -oE '^  [0-9]+:[0-9]{2} \[[1-5]/5\]' "$LOG" | awk '{print $2}' | sort -u | wc -l)" = 5 ] || fail "up did not show the installer's five steps"
grep -qE '\[2/5\] torch installed: the venv holds [0-9.]+[MG]' "$LOG" || fail "up did not say how large torch is"
grep -q "Everything the installer prints goes to $HOME_DIR/comfyui/install.log" "$LOG" || fail "up did not name the install log"
[ -s "$HOME_DIR/comfyui/install.log" ] || fail "the install log is empty"
! grep -qE "dependency resolver|Requirement already satisfied|Collecting |Downloading " "$LOG" || fail "pip's own output reached up's output"
[ "$(grep -c 'Starting ComfyUI' "$LOG")" = 1 ] || fail "up said it starts ComfyUI more than once"
grep -q "ComfyUI's console output: $HOME_DIR/comfyui.log" "$LOG" || fail "up did not name ComfyUI's console log"
grep -q "To see the GUI go to" "$HOME_DIR/comfyui.log" || fail "ComfyUI's console output is not in $HOME_DIR/comfyui.log"
page_has "$COMFY/extensions/discomfort/discomfort.js" 'DiscomfortPort' || { echo "the page does not serve the Discomfort extension" >&2; exit 1; }

# A run from the CLI lands in a context kept by the bridge.
node "$ROOT/bin/discomfort.js" run "$ROOT/examples/workflows/make_canvas.json" -i width=16 -i height=8 -i color=0x204080 \
  --context from-the-cli --bridge "$BRIDGE" >/dev/null
page_has "$BRIDGE/api/contexts/from-the-cli" '"key":"canvas"' || { echo "the run's output is not in the context" >&2; exit 1; }

kill -TERM "$UP"
wait "$UP" || { echo "up exited non-zero on SIGTERM" >&2; cat "$LOG" >&2; exit 1; }
trap - EXIT
if curl -fsS "$COMFY/system_stats" >/dev/null 2>&1; then echo "ComfyUI still answers after up stopped" >&2; exit 1; fi
if curl -fsS "$BRIDGE/api/health" >/dev/null 2>&1; then echo "the bridge still answers after up stopped" >&2; exit 1; fi
echo "up-from-nothing: passed (stopped ComfyUI and the bridge on SIGTERM)"
