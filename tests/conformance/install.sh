#!/usr/bin/env bash
# Installs the conformance peers (Baileys 7 as `baileys`, Baileys 6 as `baileys6`) into node_modules next to this
# script, only when they are missing or incomplete. Silent when everything is already installed.
set -euo pipefail
cd "$(dirname "$0")"

installed() {
	[ -d node_modules ] || return 1
	[ -f package-lock.json ] || return 1
	# every non-optional package recorded in package-lock.json must be present at its locked version
	node -e '
		const fs = require("fs");
		const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
		for (const [dir, meta] of Object.entries(lock.packages || {})) {
			if (!dir.startsWith("node_modules/") || meta.optional || meta.dev) continue;
			let pkg;
			try { pkg = JSON.parse(fs.readFileSync(dir + "/package.json", "utf8")); } catch { process.exit(1); }
			if (meta.version && pkg.version !== meta.version) process.exit(1);
		}
	' 2>/dev/null
}

if ! installed; then
	npm install --no-audit --no-fund --loglevel=error
	installed || { echo "install.sh: npm install did not produce a complete node_modules" >&2; exit 1; }
fi
