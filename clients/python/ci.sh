#!/usr/bin/env bash
# The Python client's CI, from a checkout where `npm ci && npm run build` has been done:
# builds the wheel, installs it with its test extras into a FRESH virtual environment, lints with
# ruff, type-checks the package, tests and examples with mypy --strict, then runs pytest against
# real bridges on the ComfyUI stand-in. Bounded: each step has a time limit.
#
#   bash clients/python/ci.sh
#
# Kept between runs (outside the repository): the build environment and mypy's cache in
# ${XDG_CACHE_HOME:-$HOME/.cache}/discomfort-python/, pip's download cache. Made new each run:
# the wheel and the test environment (in a temporary folder, removed at the end).
set -euo pipefail
CLIENT="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$CLIENT/../.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/discomfort-python"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
START=$SECONDS
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

step() { echo "python-ci [$((SECONDS - START))s] $*"; }

step "client: $CLIENT; repository: $REPO"
for needed in node_modules dist/bridge bin/discomfort.js; do
  [ -e "$REPO/$needed" ] || { echo "python-ci: $REPO/$needed is missing: run 'npm ci && npm run build' first" >&2; exit 1; }
done
# The bridge runs on the Node line it was installed with (.ci/run uses 22, the lowest supported).
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 22 ]; then
  # shellcheck source=../../scripts/ci/node-line.sh
  source "$REPO/scripts/ci/node-line.sh"
  use_node 22
fi
step "node $(node --version); $("$PYTHON" --version)"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "python-ci: Python 3.10+ is needed")'

step "build environment: $CACHE/build-venv"
if [ ! -x "$CACHE/build-venv/bin/python" ]; then
  mkdir -p "$CACHE"
  "$PYTHON" -m venv "$CACHE/build-venv"
fi
timeout 300 "$CACHE/build-venv/bin/pip" install --quiet --upgrade 'build>=1' 'hatchling>=1.18'

step "building the wheel"
timeout 120 "$CACHE/build-venv/bin/python" -m build --wheel --no-isolation --outdir "$WORK/dist" "$CLIENT" >"$WORK/build.log" 2>&1 ||
  { cat "$WORK/build.log" >&2; exit 1; }
WHEEL="$(ls "$WORK"/dist/*.whl)"
step "built $(basename "$WHEEL")"

step "fresh test environment: $WORK/venv, installing the wheel with [test]"
"$PYTHON" -m venv "$WORK/venv"
timeout 300 "$WORK/venv/bin/pip" install --quiet "$WHEEL[test]"
"$WORK/venv/bin/python" - <<'PY'
import importlib.util, pathlib
spec = importlib.util.find_spec("discomfort_client")
assert spec and spec.origin and "site-packages" in spec.origin, spec
assert (pathlib.Path(spec.origin).parent / "py.typed").is_file(), "the wheel has no py.typed"
print("python-ci: discomfort_client from", pathlib.Path(spec.origin).parent)
PY

cd "$CLIENT"
step "ruff (lint and format check)"
timeout 60 "$WORK/venv/bin/ruff" check --no-cache --quiet src tests ../../examples/python
timeout 60 "$WORK/venv/bin/ruff" format --no-cache --check --quiet src tests ../../examples/python

step "mypy --strict (package, tests, examples)"
timeout 300 "$WORK/venv/bin/mypy" --strict --cache-dir "$CACHE/mypy-cache"

# torch is optional for users; its tests run where TORCH_SPEC names what to install (CI: torch==2.13.0,
# the CPU build this machine kind keeps on disk), and are left out otherwise, saying so.
MARKS="not torch"
if [ -n "${TORCH_SPEC:-}" ]; then
  step "installing $TORCH_SPEC for the torch tests"
  timeout 600 "$WORK/venv/bin/pip" install --quiet "$TORCH_SPEC"
  MARKS=""
else
  step "torch tests left out: set TORCH_SPEC (e.g. TORCH_SPEC=torch==2.13.0) to run them"
fi

step "pytest (real bridges on the ComfyUI stand-in)"
# Tests import the installed wheel (src/ is not on sys.path); no cache folder is written here.
timeout 600 "$WORK/venv/bin/python" -m pytest -p no:cacheprovider ${MARKS:+-m "$MARKS"} tests
step "done"
