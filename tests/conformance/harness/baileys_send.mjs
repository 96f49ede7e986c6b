#!/usr/bin/env node
// One-shot: a real Baileys client linked to a wasim account sends one text, then exits. Made for tests of our own
// client (issue #6: "Baileys sends a text to a wacrmd account through wasim and wacrmd stores it"), which only need
// to run a command and read its result; the Baileys peer itself runs in a child process (baileys_peer.mjs).
//
//   node baileys_send.mjs --baileys 6|7 --admin URL --phone SENDER --to NUMBER|JID --text TEXT
//                         [--auth-dir DIR] [--log-file FILE] [--timeout MS]
//
// wasim's ws_url and root key are read from its admin API (GET /v1/status). If --auth-dir holds no linked device
// (or is not given: a temporary one is used and removed), the peer is linked to account SENDER first: it shows a
// QR, SENDER's simulated phone scans it (POST /v1/scan), the peer reconnects after 515 and logs in. A directory
// that is kept can be reused by the next run, which then logs in without a QR.
//
// stdout, JSON lines: {"event":"linked","device_jid"} (only when it had to link), {"event":"open","me"},
// {"event":"sent","id","to"} (the server acked it without error), and last
// {"event":"done","ok":true,"id"} or {"event":"done","ok":false,"step","error"}.
// Exit codes: 0 sent and acked; 1 a step failed (see the done line); 2 bad command line.
// Every step has --timeout (default 30000 ms); the peer's stderr goes to --log-file (default: this stderr).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WasimAdmin } from './wasim_admin.mjs';
import { startPeer } from './processes.mjs';
import { linkPeer, sendAndAwaitAck, waitLogin } from './flows.mjs';
import { withTimeout } from './steps.mjs';

const USAGE = 'usage: baileys_send.mjs --baileys 6|7 --admin URL --phone SENDER --to NUMBER|JID --text TEXT'
	+ ' [--auth-dir DIR] [--log-file FILE] [--timeout MS]';

const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');

const parseArgs = (argv) => {
	const names = { '--baileys': 'baileys', '--admin': 'admin', '--phone': 'phone', '--to': 'to', '--text': 'text',
		'--auth-dir': 'authDir', '--log-file': 'logFile', '--timeout': 'timeout' };
	const o = { logFile: '/dev/stderr', timeout: '30000' };
	for (let i = 0; i < argv.length; i += 2) {
		const key = names[argv[i]];
		if (!key || argv[i + 1] === undefined) {
			throw new Error(`bad option '${argv[i]}'`);
		}
		o[key] = argv[i + 1];
	}
	for (const k of ['baileys', 'admin', 'phone', 'to', 'text']) {
		if (o[k] === undefined) {
			throw new Error(`--${k} is required`);
		}
	}
	if (o.baileys !== '6' && o.baileys !== '7') {
		throw new Error(`--baileys must be 6 or 7, not '${o.baileys}'`);
	}
	o.timeout = Number(o.timeout);
	if (!Number.isInteger(o.timeout) || o.timeout <= 0) {
		throw new Error('--timeout must be a positive number of milliseconds');
	}
	if (!o.to.includes('@')) {
		o.to = `${o.to}@s.whatsapp.net`;
	}
	return o;
};

let o;
try {
	o = parseArgs(process.argv.slice(2));
} catch (err) {
	process.stderr.write(`baileys_send: ${err.message}\n${USAGE}\n`);
	process.exit(2);
}

const tempAuth = !o.authDir;
const authDir = o.authDir || fs.mkdtempSync(path.join(os.tmpdir(), 'baileys-send-'));
fs.mkdirSync(authDir, { recursive: true });
const linked = fs.existsSync(path.join(authDir, 'creds.json'))
	&& Boolean(JSON.parse(fs.readFileSync(path.join(authDir, 'creds.json'), 'utf8')).me);

let step = 'status';
let peer;
let code = 1;
try {
	const admin = new WasimAdmin(o.admin);
	const status = await admin.status();
	step = 'start peer';
	peer = startPeer({ baileys: o.baileys, wsUrl: status.ws_url, rootKey: status.noise_root_public_key, authDir,
		logFile: o.logFile, name: `baileys ${o.baileys} peer (${o.phone})` });
	if (linked) {
		step = 'login';
		const open = await waitLogin(peer, o.timeout);
		emit('open', { me: open.me });
	} else {
		step = 'link';
		const { scan, open } = await withTimeout(linkPeer({ admin, peer, phone: o.phone, timeoutMs: o.timeout }),
			3 * o.timeout, 'link');
		emit('linked', { device_jid: scan.device_jid });
		emit('open', { me: open.me });
	}
	step = 'send';
	const id = await sendAndAwaitAck(peer, o.to, o.text, o.timeout);
	emit('sent', { id, to: o.to });
	emit('done', { ok: true, id });
	code = 0;
} catch (err) {
	emit('done', { ok: false, step, error: err.message });
} finally {
	await peer?.quit();
	if (tempAuth) {
		fs.rmSync(authDir, { recursive: true, force: true });
	}
}
process.exit(code);
