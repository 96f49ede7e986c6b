// Starting the two kinds of process a conformance run needs: the wasim server and Baileys peers
// (baileys_peer.mjs). Each returns a handle whose stop() always leaves the process gone.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Child } from './child.mjs';
import { WasimAdmin } from './wasim_admin.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PEER_SCRIPT = path.join(HERE, 'baileys_peer.mjs');

/**
 * Starts `bin serve` on loopback ports chosen by the kernel and waits for its ready line
 * {"event":"ready","ws_url","admin_url","noise_root_public_key"}. Resolves with
 * {child, wsUrl, adminUrl, rootKey, admin, stop()}.
 */
export async function startWasim({ bin, logFile, extraArgs = [], readyTimeoutMs = 30000 }) {
	const child = new Child({
		command: bin,
		args: ['serve', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', ...extraArgs],
		logFile,
		name: 'wasim'
	});
	let ready;
	try {
		ready = await child.out.waitFor((l) => l.event === 'ready', { timeoutMs: readyTimeoutMs, what: 'ready line' });
	} catch (err) {
		await child.stop();
		throw new Error(`${err.message}\nexit: ${child.exitCode}\nwasim log (${logFile}):\n${child.logTail()}`);
	}
	for (const field of ['ws_url', 'admin_url', 'noise_root_public_key']) {
		if (typeof ready[field] !== 'string' || !ready[field]) {
			await child.stop();
			throw new Error(`wasim's ready line lacks '${field}': ${JSON.stringify(ready)}`);
		}
	}
	const admin = new WasimAdmin(ready.admin_url);
	return {
		child,
		wsUrl: ready.ws_url,
		adminUrl: ready.admin_url,
		rootKey: ready.noise_root_public_key,
		admin,
		stop: () => child.stop(() => admin.shutdown(), 10000)
	};
}

/**
 * Starts one Baileys peer (baileys_peer.mjs) in its own Node process. Resolves at once with
 * {child, out, send(cmd), quit()}; wait on `out` for its events.
 */
export function startPeer({ baileys, wsUrl, rootKey, authDir, logFile, name, queryTimeoutMs = 20000,
	logLevel = process.env.WASIM_BAILEYS_LOG_LEVEL || 'debug', extraArgs = [] }) {
	const args = [PEER_SCRIPT, '--baileys', String(baileys), '--ws-url', wsUrl, '--auth-dir', authDir,
		'--query-timeout', String(queryTimeoutMs), '--log-level', logLevel, ...extraArgs];
	if (rootKey && Number(baileys) === 7) {
		args.push('--root-key', rootKey);
	}
	const child = new Child({ command: process.execPath, args, logFile, name });
	return {
		child,
		out: child.out,
		send: (cmd) => child.write(cmd),
		quit: () => child.stop(() => child.write({ cmd: 'quit' }), 15000)
	};
}

/** a peer's error event (a failed send, an unhandled rejection inside Baileys) as a failure text, else undefined */
export const peerError = (line) => (line.event === 'error' ? `error event: ${JSON.stringify(line).slice(0, 600)}` : undefined);
