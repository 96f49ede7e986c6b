// The pieces of a conversation between a Baileys peer and wasim that every driver repeats: linking a peer to an
// account (QR → the account's phone scans it → 515 → reconnect → open), sending a text and waiting for the server's
// ack, and waiting for a received text. Each takes a timeout and fails with a message naming what it waited for.

import { check } from './steps.mjs';
import { peerError } from './processes.mjs';

const closedForGood = (line) =>
	line.event === 'close' && !line.reconnect ? `closed for good: ${JSON.stringify(line)}` : peerError(line);

export const userOf = (jid) => String(jid || '').split('@')[0].split(':')[0];

/** resolves with the peer's first QR string */
export async function waitQr(peer, timeoutMs) {
	const line = await peer.out.waitFor((l) => l.event === 'qr', { timeoutMs, what: 'qr event', fail: closedForGood });
	check(typeof line.qr === 'string' && line.qr.length > 0, `empty qr event: ${JSON.stringify(line)}`);
	return line.qr;
}

/** the account's phone scans `qr`; resolves with wasim's {result, device_jid, lid_jid, key_index} */
export async function scanQr(admin, phone, qr, timeoutMs) {
	const res = await admin.scan(phone, qr, timeoutMs);
	check(res.result === 'paired', `scan did not pair: ${JSON.stringify(res)}`);
	check(typeof res.device_jid === 'string' && userOf(res.device_jid) === phone,
		`scan answered a device JID '${res.device_jid}' that is not of account ${phone}`);
	return res;
}

/**
 * After a scan (`from` = the peer's line count before it): the server ends the stream with 515, the peer
 * reconnects and logs in. Resolves with the open event; checks that a 515 close came first and that the peer
 * logged in as `deviceJid`.
 */
export async function waitLoginAfterPairing(peer, deviceJid, timeoutMs, { from = 0 } = {}) {
	const restart = await peer.out.waitFor((l) => l.event === 'close', {
		timeoutMs, what: 'close 515 (restart required) after pairing', from, fail: peerError
	});
	check(restart.code === 515 && restart.reconnect,
		`expected the server to end the pairing connection with 515 (restart required), got ${JSON.stringify(restart)}`);
	const open = await peer.out.waitFor((l) => l.event === 'open', {
		timeoutMs, what: 'open after the 515 reconnect', from, fail: closedForGood
	});
	checkLoggedInAs(open, deviceJid);
	return open;
}

/** resolves with the open event of a peer that logs in from its auth dir (no QR expected) */
export async function waitLogin(peer, timeoutMs) {
	return peer.out.waitFor((l) => l.event === 'open', {
		timeoutMs, what: 'open (login)',
		fail: (l) => (l.event === 'qr' ? 'asked for a QR although its auth dir holds a linked device' : closedForGood(l))
	});
}

export function checkLoggedInAs(open, deviceJid) {
	const me = open.me?.id;
	check(userOf(me) === userOf(deviceJid) && String(me).split('@')[0] === String(deviceJid).split('@')[0],
		`peer logged in as '${me}', expected '${deviceJid}'`);
}

/** links a fresh peer to `phone`: QR, scan, 515, open. Resolves with {scan, open}. */
export async function linkPeer({ admin, peer, phone, timeoutMs }) {
	const qr = await waitQr(peer, timeoutMs);
	const from = peer.out.lines.length;
	const scan = await scanQr(admin, phone, qr, timeoutMs);
	const open = await waitLoginAfterPairing(peer, scan.device_jid, timeoutMs, { from });
	return { scan, open };
}

let refCounter = 0;

/**
 * The peer sends `text` to `to`; resolves with the message id once Baileys wrote it ("sent") and the server acked
 * it without an error attribute ("server_ack").
 */
export async function sendAndAwaitAck(peer, to, text, timeoutMs) {
	const ref = `send-${process.pid}-${++refCounter}`;
	const from = peer.out.lines.length;
	peer.send({ cmd: 'send', to, text, ref });
	const sent = await peer.out.waitFor((l) => l.event === 'sent' && l.ref === ref, {
		timeoutMs, what: `sent event for the text to ${to}`, from,
		fail: (l) => (l.event === 'error' && (l.ref === ref || l.where !== 'send') ? peerError(l) : closedForGood(l))
	});
	check(typeof sent.id === 'string' && sent.id, `sent event without an id: ${JSON.stringify(sent)}`);
	const ack = await peer.out.waitFor((l) => l.event === 'server_ack' && l.id === sent.id, {
		timeoutMs, what: `server ack (<ack class="message" id="${sent.id}">)`, from, fail: closedForGood
	});
	check(!ack.error, `the server acked message ${sent.id} with error=${ack.error}: ${JSON.stringify(ack)}`);
	return sent.id;
}

/** resolves with the peer's first received (not fromMe) message event whose text is `text` */
export async function waitText(peer, text, timeoutMs, { from = 0 } = {}) {
	return peer.out.waitFor((l) => l.event === 'message' && !l.fromMe && l.text === text, {
		timeoutMs, what: `message event with the text ${JSON.stringify(text)}`, from, fail: closedForGood
	});
}

/** true when a message event came from the account with phone number `phone` or LID user `lid` */
export const fromAccount = (line, phone, lid) => {
	const users = [userOf(line.from), userOf(line.fromAlt), userOf(line.participant)];
	return users.includes(phone) || (lid && users.includes(userOf(lid)));
};
