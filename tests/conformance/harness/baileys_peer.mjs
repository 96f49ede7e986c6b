#!/usr/bin/env node
// One real Baileys client as a remote-controlled WhatsApp Web peer, for tests against wasim (or any server that
// speaks the WhatsApp Web protocol on a ws:// URL).
//
//   node baileys_peer.mjs --baileys 6|7 --ws-url ws://127.0.0.1:PORT/ws/chat --auth-dir DIR
//                         [--root-key HEX] [--query-timeout MS] [--connect-timeout MS] [--link-timeout MS]
//                         [--send-timeout MS] [--log-level LEVEL]
//
// One Baileys version per process: both register their WAProto in protobufjs' shared root, so a process that loaded
// both would run one version's schema under the other.
//
// stdout carries JSON lines only (Baileys' own logging and console.* go to stderr):
//   {"event":"connecting","attempt":N}
//   {"event":"qr","qr":"…"}                         a QR string to hand to the phone (the server's "scan")
//   {"event":"creds","me":{…}}                      the account identity changed (after pairing, at login)
//   {"event":"open","me":{…}}                       logged in
//   {"event":"close","code":N,"reason":"…","reconnect":bool}
//   {"event":"message","from","fromAlt"?,"id","text"?,"kind","fromMe","type","pushName"?,"stub"?}
//   {"event":"sent","id","to","ref"?}               sendMessage resolved (Baileys wrote the stanza)
//   {"event":"server_ack","id","from"?,"error"?}    the server's <ack class="message"> for a message we sent
//   {"event":"receipt","id","from","type"?}         a <receipt> stanza as it arrived (before Baileys handles it)
//   {"event":"status","id","remoteJid","status":N}  a sent message's status changed (3 delivered, 4 read)
//   {"event":"warning","what","…"}                  something a server probably got wrong (see "what")
//   {"event":"error","where","message",…}           a failed command or an error inside Baileys
//
// stdin takes JSON-line commands; end of input is "quit":
//   {"cmd":"send","to":"NUMBER@s.whatsapp.net","text":"…","ref"?:ANY}
//   {"cmd":"logout"}                                unlink this companion (Baileys' logout), then exit 0
//   {"cmd":"quit"}                                  close the connection, exit 0
//
// The --auth-dir holds Baileys' multi-file auth state, so a second run with the same directory logs in without a QR.
// --root-key (Baileys 7 only) replaces WA_CERT_DETAILS.PUBLIC_KEY, the root Baileys pins for the server's Noise
// certificate chain, with the test server's root: the only change made to Baileys. Baileys 6 pins no root.
//
// Reconnecting after "515 restart required" (the server's way to end pairing) is the application's job in Baileys;
// this peer does it, and also after "QR refs attempts ended" (408 before linking), as a real app would.
//
// Exit codes:
//   0  quit or logout as asked (or end of stdin)
//   1  bad command line
//   2  harness bug or uncaught exception
//   3  the server refused the WebSocket upgrade with an HTTP status (Baileys itself would hang forever, 03 §0 trap 4)
//   4  logged out by the server (close 401/403/419, e.g. <failure reason="401"/> or an unlink)
//   5  connection closed for another reason (any close but 515 / QR refs ended), or too many reconnects
//   6  a wait timed out: no qr/open within --connect-timeout of a (re)connect, or not logged in within --link-timeout

import { createRequire } from 'node:module';
import readline from 'node:readline';
import util from 'node:util';
import { withTimeout } from './steps.mjs';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------------------------
// output: stdout is for JSON lines only

for (const name of ['log', 'info', 'debug', 'warn', 'error', 'trace']) {
	console[name] = (...args) => process.stderr.write(util.format(...args) + '\n');
}

const emit = (event, fields = {}) => {
	process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
};

const errorText = (err) => (err && (err.stack || err.message)) || String(err);

let exiting = false;
const exit = (code, why) => {
	if (exiting) {
		return;
	}
	exiting = true;
	if (why) {
		process.stderr.write(`baileys_peer: exit ${code}: ${why}\n`);
	}
	// stdout and stderr are pipes or files, written synchronously on Linux; nothing is left to flush
	process.exit(code);
};

// ---------------------------------------------------------------------------------------------------------------
// command line

const USAGE = 'usage: baileys_peer.mjs --baileys 6|7 --ws-url URL --auth-dir DIR [--root-key HEX] [--query-timeout MS]'
	+ ' [--connect-timeout MS] [--link-timeout MS] [--send-timeout MS] [--log-level LEVEL]';

const parseArgs = (argv) => {
	const opts = {
		baileys: undefined,
		wsUrl: undefined,
		authDir: undefined,
		rootKey: undefined,
		queryTimeout: 20000,
		connectTimeout: 30000,
		linkTimeout: 180000,
		sendTimeout: 60000,
		logLevel: 'info'
	};
	const numeric = { '--query-timeout': 'queryTimeout', '--connect-timeout': 'connectTimeout',
		'--link-timeout': 'linkTimeout', '--send-timeout': 'sendTimeout' };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[i + 1];
		if (value === undefined) {
			throw new Error(`'${flag}' needs a value`);
		}
		i++;
		if (flag === '--baileys') {
			if (value !== '6' && value !== '7') {
				throw new Error(`--baileys must be 6 or 7, not '${value}'`);
			}
			opts.baileys = Number(value);
		} else if (flag === '--ws-url') {
			opts.wsUrl = value;
		} else if (flag === '--auth-dir') {
			opts.authDir = value;
		} else if (flag === '--root-key') {
			if (!/^[0-9a-fA-F]{64}$/.test(value)) {
				throw new Error(`--root-key must be 64 hex digits, not '${value}'`);
			}
			opts.rootKey = Buffer.from(value, 'hex');
		} else if (flag === '--log-level') {
			opts.logLevel = value;
		} else if (numeric[flag]) {
			const n = Number(value);
			if (!Number.isInteger(n) || n <= 0) {
				throw new Error(`${flag} must be a positive number of milliseconds, not '${value}'`);
			}
			opts[numeric[flag]] = n;
		} else {
			throw new Error(`unknown option '${flag}'`);
		}
	}
	for (const [key, flag] of [['baileys', '--baileys'], ['wsUrl', '--ws-url'], ['authDir', '--auth-dir']]) {
		if (opts[key] === undefined) {
			throw new Error(`${flag} is required`);
		}
	}
	return opts;
};

let opts;
try {
	opts = parseArgs(process.argv.slice(2));
} catch (err) {
	process.stderr.write(`baileys_peer: ${err.message}\n${USAGE}\n`);
	process.exit(1);
}

process.on('unhandledRejection', (reason) => {
	// Baileys 6 turns unanswered login queries into unhandled rejections (03 §0 trap 3); Node would die of them.
	emit('error', { where: 'unhandledRejection', message: errorText(reason) });
});
process.on('uncaughtException', (err) => {
	emit('error', { where: 'uncaughtException', message: errorText(err) });
	exit(2, 'uncaught exception');
});

// ---------------------------------------------------------------------------------------------------------------
// Baileys, one version

const loadBaileys = async (version) => {
	if (version === 7) {
		const b = await import('baileys');
		return { makeWASocket: b.makeWASocket, useMultiFileAuthState: b.useMultiFileAuthState, Browsers: b.Browsers,
			WA_CERT_DETAILS: b.WA_CERT_DETAILS, UNAUTHORIZED_CODES: b.UNAUTHORIZED_CODES };
	}
	const b = require('baileys6');
	return { makeWASocket: b.default, useMultiFileAuthState: b.useMultiFileAuthState, Browsers: b.Browsers,
		WA_CERT_DETAILS: b.WA_CERT_DETAILS, UNAUTHORIZED_CODES: b.UNAUTHORIZED_CODES || [401, 403, 419] };
};

const B = await loadBaileys(opts.baileys);
if (opts.rootKey) {
	if (opts.baileys === 7) {
		B.WA_CERT_DETAILS.PUBLIC_KEY = opts.rootKey;
	} else {
		process.stderr.write('baileys_peer: --root-key ignored: Baileys 6 pins no root key\n');
	}
}

// Send attempts Baileys addressed to no device at all (Baileys 7 with a usync answer that omits device 0, 03 §10.0
// item 2): the message is acked by the server and nobody receives it, so it must count as a failure.
const zeroDeviceSends = new Set();
const pino = require('pino');
const logger = pino({
	level: opts.logLevel,
	hooks: {
		logMethod(args, method) {
			const msg = typeof args[0] === 'string' ? args[0] : args[1];
			if (typeof msg === 'string' && msg.startsWith('sending message to 0 devices')) {
				const id = typeof args[0] === 'object' ? args[0]?.msgId : undefined;
				if (id) {
					zeroDeviceSends.add(id);
				}
			}
			return method.apply(this, args);
		}
	}
}, pino.destination({ fd: 2, sync: true }));

const { state, saveCreds } = await B.useMultiFileAuthState(opts.authDir);

// ---------------------------------------------------------------------------------------------------------------
// the connection and its reconnects

const sentMessages = new Map(); // id → Message proto, so Baileys can answer retry receipts (getMessage)
let sock;
let isOpen = false;
let attempt = 0;
let wantExit = null; // exit code once the current socket closes on purpose
let everOpen = false;
let connectTimer;
const MAX_RECONNECTS = 10;

const linkTimer = setTimeout(() => {
	if (!everOpen) {
		exit(6, `not logged in within --link-timeout ${opts.linkTimeout} ms`);
	}
}, opts.linkTimeout);

const meOf = (creds) => (creds?.me ? { id: creds.me.id, lid: creds.me.lid, name: creds.me.name } : undefined);

const textOf = (message) => {
	if (!message) {
		return undefined;
	}
	const inner = message.ephemeralMessage?.message || message.deviceSentMessage?.message || message;
	// Baileys 6's WAProto decodes absent strings as "" (prototype defaults), Baileys 7's as null
	return inner.conversation || inner.extendedTextMessage?.text || undefined;
};

const connect = () => {
	attempt++;
	isOpen = false;
	emit('connecting', { attempt });
	sock = B.makeWASocket({
		waWebSocketUrl: opts.wsUrl,
		auth: state,
		logger,
		browser: B.Browsers.ubuntu('Chrome'),
		defaultQueryTimeoutMs: opts.queryTimeout,
		connectTimeoutMs: 20000,
		fireInitQueries: true,
		markOnlineOnConnect: true,
		syncFullHistory: false,
		shouldSyncHistoryMessage: () => false,
		printQRInTerminal: false,
		getMessage: async (key) => sentMessages.get(key.id)
	});
	const mine = sock;
	const current = () => mine === sock;

	let sawQr = false;
	clearTimeout(connectTimer);
	connectTimer = setTimeout(() => {
		if (current() && !isOpen && !sawQr) {
			// With Baileys 6 this is also how the handshake race looks (03 §0 trap 2): a first frame sent too soon
			exit(6, `no qr and no open within --connect-timeout ${opts.connectTimeout} ms of connecting`);
		}
	}, opts.connectTimeout);

	mine.ws.on('unexpected-response', (req, res) => {
		emit('error', { where: 'websocket', message: `server refused the WebSocket upgrade with HTTP ${res.statusCode}` });
		exit(3, `HTTP ${res.statusCode} on the WebSocket upgrade`);
	});

	mine.ev.on('creds.update', async (update) => {
		const saving = saveCreds();
		pendingSaves.add(saving);
		try {
			await saving;
		} catch (err) {
			emit('error', { where: 'saveCreds', message: errorText(err) });
		} finally {
			pendingSaves.delete(saving);
		}
		if (update.me) {
			emit('creds', { me: meOf(state.creds) });
		}
	});

	mine.ev.on('connection.update', (update) => {
		if (!current()) {
			return;
		}
		if (update.qr) {
			sawQr = true;
			emit('qr', { qr: update.qr });
		}
		if (update.connection === 'open') {
			isOpen = true;
			everOpen = true;
			clearTimeout(connectTimer);
			clearTimeout(linkTimer);
			emit('open', { me: meOf(state.creds) });
		}
		if (update.connection === 'close') {
			isOpen = false;
			clearTimeout(connectTimer);
			onClose(update.lastDisconnect?.error);
		}
	});

	mine.ev.on('messages.upsert', ({ messages, type }) => {
		for (const m of messages) {
			upserted.add(m.key.id);
			const message = m.message || undefined;
			emit('message', {
				from: m.key.remoteJid,
				fromAlt: m.key.remoteJidAlt || m.key.participantAlt || undefined,
				participant: m.key.participant || undefined,
				id: m.key.id,
				text: textOf(message),
				kind: message ? Object.keys(message).filter((k) => k !== 'messageContextInfo')[0] : undefined,
				fromMe: Boolean(m.key.fromMe),
				type,
				pushName: m.pushName || undefined,
				stub: m.messageStubType || undefined,
				stubParameters: m.messageStubParameters?.length ? m.messageStubParameters : undefined
			});
		}
	});

	mine.ev.on('messages.update', (updates) => {
		for (const { key, update } of updates) {
			if (key.fromMe && typeof update.status === 'number') {
				emit('status', { id: key.id, remoteJid: key.remoteJid, status: update.status });
			}
		}
	});

	mine.ws.on('CB:ack,class:message', (node) => {
		emit('server_ack', { id: node.attrs.id, from: node.attrs.from, error: node.attrs.error });
	});
	mine.ws.on('CB:receipt', (node) => {
		emit('receipt', { id: node.attrs.id, from: node.attrs.from, type: node.attrs.type });
	});

	// 03 §0 trap 1: a <message> that Baileys received but never upserted means the server got the event buffer's
	// release wrong (no <ib><offline/>, or no app-state key share before it).
	mine.ws.on('CB:message', (node) => {
		const id = node.attrs.id;
		setTimeout(() => {
			if (!upserted.has(id) && current()) {
				emit('warning', { what: 'message_without_upsert', id, from: node.attrs.from,
					note: 'a <message> arrived but Baileys emitted no messages.upsert within 3 s (held event buffer, '
						+ '03 §0 trap 1 / §10.0 item 6)' });
			}
		}, 3000).unref();
	});
};
const upserted = new Set();

// creds writes still in flight; a deliberate exit waits for them so the auth dir stays usable for the next run
const pendingSaves = new Set();
const exitAfterSaves = async (code) => {
	await withTimeout(Promise.allSettled([...pendingSaves]), 5000, 'saving creds').catch(() => {});
	// Baileys' own key-store writes (sessions, pre-keys) are awaited inside Baileys; give the last ones a moment
	setTimeout(() => exit(code), 200);
};

let reconnects = 0;
const onClose = (error) => {
	const code = error?.output?.statusCode ?? error?.statusCode;
	const reason = error?.message || (error ? String(error) : 'closed');
	if (wantExit !== null) {
		emit('close', { code, reason, reconnect: false });
		void exitAfterSaves(wantExit);
		return;
	}
	const restart = code === 515;
	const refsEnded = code === 408 && !everOpen && /QR refs attempts ended/.test(reason);
	const reconnect = (restart || refsEnded) && reconnects < MAX_RECONNECTS;
	emit('close', { code, reason, reconnect });
	if (reconnect) {
		reconnects++;
		setImmediate(connect);
	} else if (B.UNAUTHORIZED_CODES.includes(code)) {
		exit(4, `logged out by the server (${code} ${reason})`);
	} else {
		exit(5, `connection closed (${code} ${reason})${restart || refsEnded ? ': too many reconnects' : ''}`);
	}
};

// ---------------------------------------------------------------------------------------------------------------
// commands

const sendText = async ({ to, text, ref }) => {
	if (typeof to !== 'string' || !to.includes('@') || typeof text !== 'string') {
		emit('error', { where: 'send', ref, message: 'send needs "to" (a JID) and "text" (a string)' });
		return;
	}
	if (!isOpen) {
		emit('error', { where: 'send', ref, message: 'not logged in (no open connection)' });
		return;
	}
	try {
		// linkPreview null: a URL in the text would otherwise make Baileys fetch a preview from the internet
		const msg = await withTimeout(sock.sendMessage(to, { text, linkPreview: null }), opts.sendTimeout, 'sendMessage');
		const id = msg?.key?.id;
		if (id) {
			sentMessages.set(id, msg.message);
		}
		if (zeroDeviceSends.has(id)) {
			emit('error', { where: 'send', ref, id, to,
				message: 'Baileys addressed the message to 0 devices (usync device list without device 0? 03 §10.0 item 2)' });
			return;
		}
		emit('sent', { id, to, ref });
	} catch (err) {
		emit('error', { where: 'send', ref, to, message: errorText(err) });
	}
};

const quit = async (code, how) => {
	if (wantExit !== null) {
		return;
	}
	wantExit = code;
	// a close that never comes must not keep the process alive
	setTimeout(() => exit(code, `${how}: no close within 10 s`), 10000).unref();
	try {
		if (how === 'logout') {
			await sock.logout();
		} else {
			sock.end(undefined);
		}
	} catch (err) {
		emit('error', { where: how, message: errorText(err) });
		void exitAfterSaves(code);
	}
	if (how === 'quit') {
		// Baileys 6's end() may not emit a close when the socket never opened
		setTimeout(() => void exitAfterSaves(code), 1000).unref();
	}
};

const onCommand = async (line) => {
	if (!line.trim()) {
		return;
	}
	let cmd;
	try {
		cmd = JSON.parse(line);
	} catch {
		emit('error', { where: 'stdin', message: `not a JSON line: ${line.slice(0, 200)}` });
		return;
	}
	switch (cmd.cmd) {
		case 'send':
			await sendText(cmd);
			break;
		case 'logout':
			await quit(0, 'logout');
			break;
		case 'quit':
			await quit(0, 'quit');
			break;
		default:
			emit('error', { where: 'stdin', message: `unknown command '${cmd.cmd}'` });
	}
};

readline.createInterface({ input: process.stdin }).on('line', (line) => {
	onCommand(line).catch((err) => emit('error', { where: 'command', message: errorText(err) }));
}).on('close', () => {
	void quit(0, 'quit');
});

connect();
