#!/usr/bin/env node
// Conformance: the real Baileys clients (7.0.0-rc14 and 6.17.16) against wasim — issue #4's proof that wasim speaks
// the real protocol.
//
// For each Baileys version, against a fresh wasim:
//   wasim starts → accounts A, B and C → Baileys peer for A shows a QR → A's phone scans it → the peer reconnects
//   after 515 and logs in → A's companion uploaded pre-keys → simulated person C sends A a text, the peer gets it →
//   a second peer links to B the same way → A's peer sends B a text, wasim acks it → B's peer gets it → wasim saw B's
//   delivery receipt and routed it to A → wasim's simulated phones decrypted their copies → B logs in again from its
//   auth dir (no QR) through baileys_send.mjs (issue #6's mode) and sends A a text → A's peer gets it → A's peer
//   stops, C sends A a text, A's next login gets it from the offline queue → A logs out and wasim unlinks it.
// Every step has a timeout; the first failing step fails that version (later ones are reported as not run) and
// names what was expected. Both versions always run. Ends with "N passed, N failed, N not run"; exit 1 unless all
// passed.
//
//   WASIM_BIN=path/to/wasim node tests/conformance/wasim_baileys_test.mjs [--baileys 7|6]
//
// Environment: WASIM_BIN (required; ctest passes the built target), WASIM_BAILEYS_LOG_DIR (where the wasim and peer
// logs go; default ./wasim_baileys_logs), WASIM_BAILEYS_LOG_LEVEL (Baileys' pino level, default debug; trace logs
// every stanza), WASIM_BAILEYS_STEP_TIMEOUT_MS (default 30000).
// The Node packages are installed first with install.sh (a no-op when they already are).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPeer, startWasim } from './harness/processes.mjs';
import { Child } from './harness/child.mjs';
import { check, Steps } from './harness/steps.mjs';
import {
	fromAccount, linkPeer, scanQr, sendAndAwaitAck, userOf, waitLogin, waitLoginAfterPairing, waitQr, waitText
} from './harness/flows.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STEP_MS = Number(process.env.WASIM_BAILEYS_STEP_TIMEOUT_MS || 30000);
const LOG_ROOT = path.resolve(process.env.WASIM_BAILEYS_LOG_DIR || 'wasim_baileys_logs');
// Baileys' first pre-key upload (INITIAL_PREKEY_COUNT): 812 in 7, 30 in 6 (notes 03 §10.5)
const INITIAL_PREKEYS = { 7: 812, 6: 30 };

const PHONE_A = '15550100001';
const PHONE_B = '15550100002';
const PHONE_C = '15550100003';

const versions = (() => {
	const i = process.argv.indexOf('--baileys');
	return i > 0 ? [Number(process.argv[i + 1])] : [7, 6];
})();

const out = (s) => process.stdout.write(s + '\n');

async function runVersion(v, totals) {
	const steps = new Steps(`baileys${v}:`);
	const logDir = path.join(LOG_ROOT, `baileys${v}`);
	fs.rmSync(logDir, { recursive: true, force: true });
	fs.mkdirSync(logDir, { recursive: true });
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `wasim-baileys${v}-`));
	const authA = path.join(tmp, 'auth-A');
	const authB = path.join(tmp, 'auth-B');
	let wasim;
	const peers = [];
	const newPeer = (name, authDir) => {
		const peer = startPeer({ baileys: v, wsUrl: wasim.wsUrl, rootKey: wasim.rootKey, authDir,
			logFile: path.join(logDir, `peer-${name}.log`), name: `Baileys ${v} peer ${name}` });
		peers.push(peer);
		return peer;
	};
	let accounts = {};
	let peerA;
	let peerB;
	let deviceA;
	let deviceB;
	const texts = {
		cToA: `hello A from C (baileys ${v} conformance)`,
		aToB: `hello B from A's Baileys ${v}`,
		bToA: `hello A from B's Baileys ${v} via baileys_send`,
		offline: `while you were away, A (baileys ${v})`
	};
	let sentAToB;

	try {
		await steps.run('wasim starts and prints its ready line', STEP_MS, async () => {
			const bin = process.env.WASIM_BIN;
			check(bin !== undefined, 'WASIM_BIN is not set: point it at the wasim binary (ctest passes the built target)');
			check(bin, "WASIM_BIN is empty: this build tree has no 'wasim' target (tests/wasim not in the build yet?)");
			check(fs.existsSync(bin), `WASIM_BIN '${bin}' does not exist: build the wasim target first`);
			wasim = await startWasim({ bin, logFile: path.join(logDir, 'wasim.log'), extraArgs: ['--log-level', 'debug'] });
			check(/^ws:\/\/127\.0\.0\.1:\d+\//.test(wasim.wsUrl), `ws_url '${wasim.wsUrl}' is not a loopback ws:// URL`);
			check(/^[0-9a-f]{64}$/i.test(wasim.rootKey), `noise_root_public_key '${wasim.rootKey}' is not 32 bytes of hex`);
		});

		await steps.run('create accounts A, B and C through the admin API', STEP_MS, async () => {
			for (const [name, phone] of [['A', PHONE_A], ['B', PHONE_B], ['C', PHONE_C]]) {
				const acc = await wasim.admin.createAccount({ phone, push_name: `Person ${name}` });
				check(acc.phone === phone, `created account answers phone '${acc.phone}', expected '${phone}'`);
				check(userOf(acc.jid) === phone, `account ${name} has JID '${acc.jid}'`);
				check(typeof acc.lid === 'string' && acc.lid.length > 0, `account ${name} has no LID: ${JSON.stringify(acc)}`);
				accounts[name] = acc;
			}
		});

		let qrA;
		await steps.run('A: Baileys connects and shows a QR', STEP_MS, async () => {
			peerA = newPeer('A', authA);
			qrA = await waitQr(peerA, STEP_MS);
			if (v === 7) {
				check(qrA.startsWith('https://wa.me/settings/linked_devices#'), `Baileys 7 QR has an unexpected form: ${qrA}`);
			}
		});

		let linesBeforeScan;
		await steps.run("A: A's phone scans the QR (pair-success, pair-device-sign)", STEP_MS, async () => {
			linesBeforeScan = peerA.out.lines.length;
			const scan = await scanQr(wasim.admin, PHONE_A, qrA, STEP_MS - 2000);
			deviceA = scan.device_jid;
		});

		await steps.run('A: Baileys reconnects after 515 and logs in', STEP_MS, async () => {
			await waitLoginAfterPairing(peerA, deviceA, STEP_MS, { from: linesBeforeScan });
		});

		await steps.run("A: Baileys uploaded its pre-keys to wasim", STEP_MS, async () => {
			const ev = await wasim.admin.waitEvent({
				types: 'prekeys_uploaded', match: { jid: deviceA }, timeoutMs: STEP_MS - 2000,
				what: `prekeys_uploaded event for ${deviceA}`
			});
			check(ev.data.count >= INITIAL_PREKEYS[v],
				`Baileys ${v} uploaded ${ev.data.count} pre-keys, expected its initial batch of ${INITIAL_PREKEYS[v]}`);
			const acc = await wasim.admin.account(PHONE_A);
			const comp = (acc.companions || []).find((c) => c.jid === deviceA);
			check(comp, `account A lists no companion ${deviceA}: ${JSON.stringify(acc.companions)}`);
			// every one-time key taken since the upload (a client's bundle fetch, the phone's own key share) is logged
			const used = (await wasim.admin.events({ after: ev.seq, types: 'prekeys_fetched', match: { jid: deviceA } }))
				.events.filter((e) => e.data.pre_key_id !== undefined).length;
			check(comp.pre_keys === ev.data.total - used,
				`wasim holds ${comp.pre_keys} one-time pre-keys for ${deviceA}; ${ev.data.total} uploaded, ${used} taken since`);
			check(typeof comp.signed_pre_key_id === 'number', `no signed pre-key recorded for ${deviceA}: ${JSON.stringify(comp)}`);
		});

		await steps.run('A: receives the text simulated person C sends through the admin API', STEP_MS, async () => {
			const res = await wasim.admin.send({ from: PHONE_C, to: PHONE_A, text: texts.cToA });
			check((res.devices || []).some((d) => d.jid === deviceA),
				`admin send did not encrypt to A's companion ${deviceA}: ${JSON.stringify(res)}`);
			const msg = await waitText(peerA, texts.cToA, STEP_MS - 2000);
			check(fromAccount(msg, PHONE_C, accounts.C.lid), `message came from '${msg.from}', expected C (${PHONE_C})`);
			check(!res.id || msg.id === res.id, `message id '${msg.id}' differs from the id wasim sent ('${res.id}')`);
		});

		await steps.run('B: a second Baileys links to account B (QR, scan, 515, login)', 2 * STEP_MS, async () => {
			peerB = newPeer('B', authB);
			const { scan } = await linkPeer({ admin: wasim.admin, peer: peerB, phone: PHONE_B, timeoutMs: STEP_MS });
			deviceB = scan.device_jid;
		});

		await steps.run("A → B: A's Baileys sends a text and wasim acks it", STEP_MS, async () => {
			sentAToB = await sendAndAwaitAck(peerA, `${PHONE_B}@s.whatsapp.net`, texts.aToB, STEP_MS - 2000);
		});

		await steps.run("A → B: B's Baileys receives it", STEP_MS, async () => {
			const msg = await waitText(peerB, texts.aToB, STEP_MS - 2000);
			check(fromAccount(msg, PHONE_A, accounts.A.lid), `message came from '${msg.from}', expected A (${PHONE_A})`);
			check(msg.id === sentAToB, `B got id '${msg.id}', A sent '${sentAToB}'`);
		});

		await steps.run("A → B: wasim's event log shows the relay, the delivery to B, B's receipt routed back to A",
			STEP_MS, async () => {
			const sent = await wasim.admin.waitEvent({ types: 'message_sent', match: { id: sentAToB },
				timeoutMs: 5000, what: `message_sent event for ${sentAToB}` });
			check(userOf(sent.data.from) === PHONE_A, `message_sent from '${sent.data.from}', expected A's device`);
			await wasim.admin.waitEvent({ types: 'message_delivered', match: { id: sentAToB, jid: deviceB },
				timeoutMs: 5000, what: `message_delivered event of ${sentAToB} to ${deviceB}` });
			await wasim.admin.waitEvent({ types: 'receipt', match: { id: sentAToB, jid: deviceB },
				timeoutMs: 5000, what: `receipt event from ${deviceB} for ${sentAToB}` });
			await wasim.admin.waitEvent({ types: 'message_delivered', match: { id: sentAToB, jid: deviceA, tag: 'receipt' },
				timeoutMs: 5000, what: `message_delivered event of a receipt for ${sentAToB} to the sender ${deviceA}` });
			// the server accepts a stanza (ack) before anyone can have received it (receipt): 02 §8.5
			const receipt = await peerA.out.waitFor((l) => l.event === 'receipt' && l.id === sentAToB, {
				timeoutMs: 5000, what: `receipt for ${sentAToB} at A's Baileys` });
			const ackAt = peerA.out.lines.findIndex((l) => l.event === 'server_ack' && l.id === sentAToB);
			check(ackAt >= 0 && ackAt < peerA.out.lines.indexOf(receipt),
				`A's Baileys got a receipt for ${sentAToB} (${JSON.stringify(receipt)}) before the server's ack`);
		});

		await steps.run("A → B: wasim's phones decrypt Baileys' copies (B's phone the text, A's phone the deviceSentMessage)",
			STEP_MS, async () => {
				const atB = await wasim.admin.waitEvent({ types: 'phone_received', match: { id: sentAToB, phone: PHONE_B },
					timeoutMs: 5000, what: `phone_received event of ${sentAToB} at B's phone` });
				check(!atB.data.error && atB.data.text === texts.aToB,
					`B's phone did not decrypt the text: ${JSON.stringify(atB.data).slice(0, 400)}`);
				const atA = await wasim.admin.waitEvent({ types: 'phone_received', match: { id: sentAToB, phone: PHONE_A },
					timeoutMs: 5000, what: `phone_received event of ${sentAToB} at A's own phone` });
				const dsm = atA.data.message?.deviceSentMessage;
				check(!atA.data.error && dsm && userOf(dsm.destinationJid) === PHONE_B && atA.data.text === texts.aToB,
					`A's phone did not decrypt a deviceSentMessage to B: ${JSON.stringify(atA.data).slice(0, 400)}`);
			});

		await steps.run("B → A: B logs in again from its auth dir (no QR) via baileys_send.mjs and sends A a text",
			2 * STEP_MS, async () => {
				const code = await peerB.quit();
				check(code === 0, `B's first peer exited with ${code} on quit`);
				const from = peerA.out.lines.length;
				const sender = new Child({
					command: process.execPath,
					args: [path.join(HERE, 'harness', 'baileys_send.mjs'), '--baileys', String(v), '--admin', wasim.adminUrl,
						'--phone', PHONE_B, '--to', PHONE_A, '--text', texts.bToA, '--auth-dir', authB,
						'--timeout', String(STEP_MS - 5000), '--log-file', path.join(logDir, 'peer-B-send.log')],
					logFile: path.join(logDir, 'baileys_send.log'),
					name: 'baileys_send.mjs'
				});
				const done = await sender.out.waitFor((l) => l.event === 'done', { timeoutMs: 2 * STEP_MS - 5000, what: 'done line' });
				check(done.ok, `baileys_send failed at step '${done.step}': ${done.error}`);
				check(!sender.out.lines.some((l) => l.event === 'linked'), 'baileys_send had to link again: the auth dir was not reused');
				check(await sender.waitExit(10000) === 0, `baileys_send exited with ${sender.exitCode}`);
				const msg = await waitText(peerA, texts.bToA, STEP_MS, { from });
				check(fromAccount(msg, PHONE_B, accounts.B.lid), `message came from '${msg.from}', expected B (${PHONE_B})`);
			});

		await steps.run("A offline: C's text sent while A's Baileys is down arrives at its next login (offline queue)",
			2 * STEP_MS, async () => {
				const code = await peerA.quit();
				check(code === 0, `A's peer exited with ${code} on quit`);
				const res = await wasim.admin.send({ from: PHONE_C, to: PHONE_A, text: texts.offline });
				check((res.devices || []).some((d) => d.jid === deviceA && d.queued),
					`admin send did not queue the text for the offline ${deviceA}: ${JSON.stringify(res)}`);
				peerA = newPeer('A-again', authA);
				await waitLogin(peerA, STEP_MS);
				const msg = await waitText(peerA, texts.offline, STEP_MS);
				check(msg.type === 'append', `an offline message should be upserted as 'append' (offline="1"), got '${msg.type}'`);
			});

		await steps.run("A logs out: Baileys' remove-companion-device makes wasim unlink the companion", STEP_MS, async () => {
			peerA.send({ cmd: 'logout' });
			const code = await peerA.child.waitExit(STEP_MS - 5000);
			check(code === 0, `A's peer exited with ${code} after logout`);
			await wasim.admin.waitEvent({ types: 'unlinked', match: { jid: deviceA }, timeoutMs: 5000,
				what: `unlinked event for ${deviceA}` });
			const acc = await wasim.admin.account(PHONE_A);
			check(!(acc.companions || []).some((c) => c.jid === deviceA), `account A still lists ${deviceA} after logout`);
		});
	} finally {
		for (const p of peers) {
			await p.quit();
		}
		if (wasim) {
			const code = await wasim.stop();
			if (steps.ok && code !== 0) {
				out(`note    baileys${v}: wasim exited with ${code} on shutdown`);
			}
		}
		fs.rmSync(tmp, { recursive: true, force: true });
		if (!steps.ok) {
			out(`        logs: ${logDir}`);
			if (wasim) {
				out(`        wasim log tail:\n${indent(wasim.child.logTail(15))}`);
			}
			for (const p of peers) {
				out(`        ${p.child.name} log tail:\n${indent(p.child.logTail(15))}`);
			}
		}
		totals.passed += steps.passed;
		totals.failed += steps.failed;
		totals.notRun += steps.notRun;
	}
}

const indent = (text) => text.split('\n').map((l) => `          ${l}`).join('\n');

// ctest's timeout or a ^C must not leave wasim or Baileys running (the peers also quit when their stdin closes)
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		Child.killAll();
		out(`killed by ${sig}`);
		process.exit(1);
	});
}

const totals = { passed: 0, failed: 0, notRun: 0 };
try {
	execFileSync(path.join(HERE, 'install.sh'), { stdio: ['ignore', 'inherit', 'inherit'], timeout: 240000 });
	out('ok      install: Baileys 7 and 6 are installed (tests/conformance/install.sh)');
	totals.passed++;
} catch (err) {
	out(`FAIL    install: tests/conformance/install.sh failed: ${err.message}`);
	totals.failed++;
}
if (totals.failed === 0) {
	for (const v of versions) {
		await runVersion(v, totals);
	}
}
out(`${totals.passed} passed, ${totals.failed} failed, ${totals.notRun} not run`);
process.exit(totals.failed || totals.notRun ? 1 : 0);
