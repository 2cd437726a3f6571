#!/usr/bin/env bash
# Fetches the real ComfyUI frontend (comfyui-frontend-package from PyPI) for the
# browser tests, one folder per version: .frontends/<version>/static.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${DISCOMFORT_FRONTENDS_DIR:-$ROOT/.frontends}
PY=${PYTHON:-python3}
for version in "${@:-1.58.1 1.41.3 1.32.9 1.25.11}"; do
  for v in $version; do
    [ -f "$DIR/$v/static/index.html" ] && continue
    mkdir -p "$DIR/$v"
    "$PY" -m pip download --disable-pip-version-check --no-deps --quiet -d "$DIR/$v" "comfyui-frontend-package==$v"
    "$PY" - "$DIR/$v" <<'PY'
import glob, sys, zipfile
folder = sys.argv[1]
wheel = glob.glob(folder + "/comfyui_frontend_package-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith("comfyui_frontend_package/static/"):
            target = folder + "/static/" + name[len("comfyui_frontend_package/static/"):]
            if name.endswith("/"):
                continue
            import os
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(z.read(name))
PY
    rm -f "$DIR/$v"/*.whl
    echo "frontend $v in $DIR/$v/static"
  done
done
