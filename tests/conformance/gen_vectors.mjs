#!/usr/bin/env node
// Conformance vector generator for wacrm.
//
// Drives the real Baileys clients installed next to this script (`baileys` = 7.0.0-rc14, token dictionary v3;
// `baileys6` = 6.17.16, dictionary v2) and writes, under this directory:
//   tokens/wabinary-tokens-v2.json   the v2 token tables as Baileys 6 ships them
//   vectors/nodes-v3.json            binary nodes encoded and decoded by Baileys 7
//   vectors/nodes-v2.json            binary nodes encoded and decoded by Baileys 6
//   vectors/protobuf.json            WhatsApp protobufs serialized by Baileys' WAProto
//   vectors/noise-handshake.json     Noise XX transcripts produced by Baileys' own noise handlers
// Output is deterministic: every key, id, timestamp and payload is fixed or derived from a fixed label.
// Run from anywhere:  node tests/conformance/gen_vectors.mjs   (after tests/conformance/install.sh)
// The file format is documented in README.md next to this script.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import crypto from 'node:crypto';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, 'package.json'));

const B7 = await import('baileys');
const B7Const = await import('baileys/lib/WABinary/constants.js');
const B7Defaults = await import('baileys/lib/Defaults/index.js');
// Both Baileys versions register their WAProto into protobufjs' shared `roots.default`; loaded into one protobufjs
// instance, the second one replaces `roots.default.proto` and the first one's static code (which resolves nested
// types through that root) silently runs the other version's schema. Give Baileys 6 a protobufjs instance of its own.
for (const k of Object.keys(require.cache)) {
	if (k.includes(`${path.sep}node_modules${path.sep}protobufjs${path.sep}`)) {
		delete require.cache[k];
	}
}
const B6 = require('baileys6');
const B6Const = require('baileys6/lib/WABinary/constants');
const B6Defaults = require('baileys6/lib/Defaults');
const protobufjs = require('protobufjs');

{
	// isolation check: Baileys 7 must still decode a field that only its schema has (ClientPayload.lidDbMigrated = 41)
	const probe = B7.proto.ClientPayload.decode(Buffer.from('c80200', 'hex')).toJSON();
	if (probe.lidDbMigrated !== false) {
		throw new Error('Baileys 7 WAProto is not isolated from Baileys 6 WAProto');
	}
}
const B7_VERSION = require('baileys/package.json').version;
const B6_VERSION = require('baileys6/package.json').version;
const GENERATOR = 'tests/conformance/gen_vectors.mjs';

// ---------------------------------------------------------------------------------------------------------------
// small helpers

const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();

/** deterministic pseudo-random bytes: SHA-256(label ":" counter) blocks, concatenated and cut to n */
const detBytes = (label, n) => {
	const out = [];
	let have = 0;
	for (let i = 0; have < n; i++) {
		const blk = sha256(`wacrm-conformance:${label}:${i}`);
		out.push(blk);
		have += blk.length;
	}
	return Buffer.concat(out).subarray(0, n);
};

/** a long, compressible ASCII text of exactly n bytes */
const textPattern = (n) => {
	const unit = 'wacrm conformance filler 0123456789 abcdefghijklmnopqrstuvwxyz. ';
	return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
};

const assert = (cond, msg) => {
	if (!cond) {
		throw new Error('assertion failed: ' + msg);
	}
};

const warnings = [];
const warn = (msg) => {
	warnings.push(msg);
};

const writeJson = (rel, obj) => {
	const file = path.join(HERE, rel);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(obj, null, 1) + '\n');
	return file;
};

// ---------------------------------------------------------------------------------------------------------------
// 1. token tables

const v2Tables = {
	dict_version: B6Defaults.DICT_VERSION,
	noise_header: [...B6Defaults.NOISE_WA_HEADER],
	source: `Baileys ${B6_VERSION} (npm package), lib/WABinary/constants.js and lib/Defaults DICT_VERSION/NOISE_WA_HEADER; dumped by ${GENERATOR}.`,
	tags: B6Const.TAGS,
	single_byte: B6Const.SINGLE_BYTE_TOKENS.map((t) => t || ''),
	double_byte: B6Const.DOUBLE_BYTE_TOKENS
};
assert(v2Tables.dict_version === 2, 'Baileys 6 dictionary version is 2');
assert(v2Tables.single_byte.length === 236 && v2Tables.double_byte.every((d) => d.length === 256), 'v2 table sizes');
assert(v2Tables.single_byte[30] === 'iq' && v2Tables.double_byte[3][255] === 'media.faqp2-3.fna.whatsapp.net', 'v2 spot checks');

const v3File = path.join(HERE, 'tokens/wabinary-tokens-v3.json');
const v3Tables = JSON.parse(fs.readFileSync(v3File, 'utf8'));
assert(v3Tables.dict_version === 3 && B7Defaults.DICT_VERSION === 3, 'v3 dictionary version');
assert(
	JSON.stringify(B7Const.SINGLE_BYTE_TOKENS.map((t) => t || '')) === JSON.stringify(v3Tables.single_byte),
	'tokens/wabinary-tokens-v3.json single_byte equals Baileys 7 SINGLE_BYTE_TOKENS'
);
assert(
	JSON.stringify(B7Const.DOUBLE_BYTE_TOKENS) === JSON.stringify(v3Tables.double_byte),
	'tokens/wabinary-tokens-v3.json double_byte equals Baileys 7 DOUBLE_BYTE_TOKENS'
);

/** encoder/decoder options for Baileys 6 with the v3 tables (used only to cross-check Baileys 7's bytes) */
const v3OptsForB6 = (() => {
	const TOKEN_MAP = {};
	v3Tables.single_byte.forEach((t, i) => {
		TOKEN_MAP[t] = { index: i };
	});
	v3Tables.double_byte.forEach((d, dict) =>
		d.forEach((t, i) => {
			TOKEN_MAP[t] = { dict, index: i };
		})
	);
	return {
		TAGS: B6Const.TAGS,
		TOKEN_MAP,
		SINGLE_BYTE_TOKENS: v3Tables.single_byte,
		DOUBLE_BYTE_TOKENS: v3Tables.double_byte
	};
})();

// ---------------------------------------------------------------------------------------------------------------
// 2. binary nodes

/** Baileys node -> vector JSON */
const nodeToJson = (n) => ({
	tag: n.tag,
	attrs: { ...(n.attrs || {}) },
	content: contentToJson(n.content)
});
const contentToJson = (c) => {
	if (c === undefined || c === null) {
		return null;
	}
	if (Array.isArray(c)) {
		return c.map(nodeToJson);
	}
	if (Buffer.isBuffer(c) || c instanceof Uint8Array) {
		return { bytes_hex: hex(c) };
	}
	if (typeof c === 'string') {
		return { string: c };
	}
	throw new Error('unexpected content ' + typeof c);
};
/** vector JSON -> Baileys node */
const jsonToNode = (j) => {
	const n = { tag: j.tag, attrs: { ...j.attrs } };
	if (j.content === null) {
		// no content
	} else if (Array.isArray(j.content)) {
		n.content = j.content.map(jsonToNode);
	} else if ('bytes_hex' in j.content) {
		n.content = unhex(j.content.bytes_hex);
	} else {
		n.content = j.content.string;
	}
	return n;
};

const codecs = {
	v3: {
		dict_version: 3,
		baileys_version: B7_VERSION,
		generator_note: `Baileys ${B7_VERSION} encodeBinaryNode / decodeBinaryNode with its built-in tables (dictionary v3)`,
		encode: (node) => B7.encodeBinaryNode(node),
		decode: (frame) => B7.decodeBinaryNode(frame)
	},
	v2: {
		dict_version: 2,
		baileys_version: B6_VERSION,
		generator_note: `Baileys ${B6_VERSION} encodeBinaryNode / decodeBinaryNode with its built-in tables (dictionary v2)`,
		encode: (node) => B6.encodeBinaryNode(node),
		decode: (frame) => B6.decodeBinaryNode(frame)
	}
};

// --- realistic constants
const ME_PN = '15551234567';
const ME_JID = `${ME_PN}@s.whatsapp.net`;
const ME_DEV = `${ME_PN}:12@s.whatsapp.net`;
const ME_LID = '123456789012345@lid';
const ME_LID_DEV = '123456789012345:12@lid';
const PEER = '447700900123@s.whatsapp.net';
const PEER_DEV = '447700900123:3@s.whatsapp.net';
const PEER_LID = '98765432109876@lid';
const PEER_LID_DEV = '98765432109876:2@lid';
const GROUP = '120363012345678901@g.us';
const OLD_GROUP = '15551234567-1600000000@g.us';
const SERVER = '@s.whatsapp.net';
const T = '1700000000';
const mid = (i) => '3EB0' + detBytes('msgid' + i, 9).toString('hex').toUpperCase(); // Baileys-style message id
const B = (label, n) => detBytes(label, n);

const N = (tag, attrs = {}, content) => (content === undefined ? { tag, attrs } : { tag, attrs, content });

/** [name, node, options]; options: {v3only, compress, note} */
const nodeCases = [];
const add = (name, node, opts = {}) => nodeCases.push({ name, node, ...opts });

// -- the notes' worked examples (bytes asserted below)
add('iq-ping', N('iq', { id: '1234.5678-1', to: SERVER, type: 'get', xmlns: 'w:p' }, [N('ping')]), {
	note: 'keep-alive; `to` is Baileys\' server JID "@s.whatsapp.net" (JID_PAIR with empty user)'
});
add(
	'iq-logout',
	N('iq', { to: SERVER, type: 'set', id: 'ABCDEF01', xmlns: 'md' }, [
		N('remove-companion-device', { jid: ME_DEV, reason: 'user_initiated' })
	])
);
add(
	'iq-pair-device-sign-result',
	N('iq', { to: SERVER, type: 'result', id: '1234' }, [
		N('pair-device-sign', {}, [N('device-identity', { 'key-index': '2' }, unhex('0a0208011a00'))])
	])
);
add('success', N('success', { t: T, lid: ME_LID_DEV }));

// -- iq
add('iq-passive-active', N('iq', { to: SERVER, xmlns: 'passive', type: 'set', id: '41213.33016-2' }, [N('active')]));
add(
	'iq-usync-devices',
	N('iq', { to: SERVER, type: 'get', xmlns: 'usync', id: '41213.33016-3' }, [
		N('usync', { context: 'message', mode: 'query', sid: '41213.33016-4', last: 'true', index: '0' }, [
			N('query', {}, [N('devices', { version: '2' }), N('lid')]),
			N('list', {}, [N('user', { jid: PEER }), N('user', { jid: PEER_LID })])
		])
	]),
	{ note: 'nested 4 deep' }
);
add(
	'iq-usync-devices-result',
	N('iq', { from: SERVER, type: 'result', id: '41213.33016-3' }, [
		N('usync', { sid: '41213.33016-4', mode: 'query', context: 'message', index: '0', last: 'true' }, [
			N('result', {}, [N('devices', {}), N('lid', {})]),
			N('list', {}, [
				N('user', { jid: PEER }, [
					N('devices', {}, [
						N('device-list', {}, [N('device', { id: '0' }), N('device', { id: '3', 'key-index': '1' })]),
						N('key-index-list', { ts: T }, B('key-index-list', 120))
					]),
					N('lid', { val: PEER_LID })
				])
			])
		])
	]),
	{ note: 'nested 7 deep' }
);
add(
	'iq-prekey-upload',
	N('iq', { xmlns: 'encrypt', type: 'set', to: SERVER, id: '41213.33016-5' }, [
		N('registration', {}, unhex('00003039')),
		N('type', {}, unhex('05')),
		N('identity', {}, B('identity', 32)),
		N(
			'list',
			{},
			[1, 2, 3].map((i) => N('key', {}, [N('id', {}, Buffer.from([0, 0, i])), N('value', {}, B('prekey' + i, 32))]))
		),
		N('skey', {}, [N('id', {}, unhex('000001')), N('value', {}, B('skey', 32)), N('signature', {}, B('skeysig', 64))])
	])
);
add('iq-prekey-count-get', N('iq', { id: '41213.33016-6', xmlns: 'encrypt', type: 'get', to: SERVER }, [N('count')]));
add('iq-prekey-count-result', N('iq', { from: SERVER, type: 'result', id: '41213.33016-6' }, [N('count', { value: '812' })]));
add(
	'iq-prekey-fetch',
	N('iq', { xmlns: 'encrypt', type: 'get', to: SERVER, id: '41213.33016-7' }, [
		N('key', {}, [N('user', { jid: PEER_DEV }), N('user', { jid: PEER_LID_DEV })])
	])
);
add(
	'iq-prekey-bundle-result',
	N('iq', { from: SERVER, type: 'result', id: '41213.33016-7' }, [
		N('list', {}, [
			N('user', { jid: PEER_DEV }, [
				N('registration', {}, unhex('00001a85')),
				N('type', {}, unhex('05')),
				N('identity', {}, B('peer-identity', 32)),
				N('skey', {}, [
					N('id', {}, unhex('000001')),
					N('value', {}, B('peer-skey', 32)),
					N('signature', {}, B('peer-skeysig', 64))
				]),
				N('key', {}, [N('id', {}, unhex('0003e8')), N('value', {}, B('peer-prekey', 32))])
			])
		])
	])
);
add(
	'iq-error-404',
	N('iq', { from: SERVER, type: 'error', id: '41213.33016-8' }, [N('error', { code: '404', text: 'item-not-found' })])
);
add(
	'iq-group-metadata-get',
	N('iq', { to: GROUP, type: 'get', xmlns: 'w:g2', id: '41213.33016-9' }, [N('query', { request: 'interactive' })])
);
const groupResult = N('iq', { from: GROUP, type: 'result', id: '41213.33016-9' }, [
	N(
		'group',
		{
			id: '120363012345678901',
			creator: ME_JID,
			creation: '1600000000',
			subject: 'Family 🏡 Grüße',
			s_t: '1650000000',
			s_o: PEER,
			size: '4',
			addressing_mode: 'lid'
		},
		[
			N('participant', { jid: ME_LID, phone_number: ME_JID, type: 'superadmin' }),
			N('participant', { jid: PEER_LID, phone_number: PEER, type: 'admin' }),
			N('participant', { jid: '11111111111111@lid', phone_number: '441234567890@s.whatsapp.net' }),
			N('participant', { jid: '22222222222222@lid' }),
			N('description', { id: 'A1B2C3D4E5F60718', participant: PEER_LID, t: '1650000100' }, [
				N('body', {}, 'Weekly dinner plans. Be nice! 🍝')
			]),
			N('announcement'),
			N('ephemeral', { expiration: '604800', trigger: '1' })
		]
	)
]);
add('iq-group-metadata-result', groupResult, { note: 'string content of <body> is written raw and decodes as bytes' });
add('iq-media-conn-get', N('iq', { to: SERVER, xmlns: 'w:m', type: 'set', id: '41213.33016-10' }, [N('media_conn')]));
add(
	'iq-media-conn-result',
	N('iq', { from: SERVER, type: 'result', id: '41213.33016-10' }, [
		N('media_conn', { auth: 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd', ttl: '300', auth_ttl: '21600', max_buckets: '12' }, [
			N('host', { hostname: 'mmg.whatsapp.net' }),
			N('host', { hostname: 'media-lhr8-1.cdn.whatsapp.net', type: 'fallback' })
		])
	])
);
add(
	'iq-app-state-sync',
	N('iq', { to: SERVER, xmlns: 'w:sync:app:state', type: 'set', id: '41213.33016-11' }, [
		N('sync', {}, [
			N('collection', { name: 'regular_high', version: '12', return_snapshot: 'false' }),
			N('collection', { name: 'critical_block', version: '0', return_snapshot: 'true' })
		])
	])
);

// -- messages
add(
	'message-out-pkmsg',
	N('message', { id: mid(1), to: PEER, type: 'text' }, [
		N('enc', { v: '2', type: 'pkmsg' }, B('pkmsg', 180)),
		N('device-identity', {}, B('device-identity', 140))
	])
);
add(
	'message-in-msg',
	N('message', { from: PEER, type: 'text', id: mid(2), t: T, notify: 'Alice' }, [
		N('enc', { v: '2', type: 'msg' }, B('msg', 90))
	])
);
add(
	'message-in-group-skmsg',
	N(
		'message',
		{
			from: GROUP,
			type: 'text',
			id: mid(3),
			participant: PEER_LID_DEV,
			participant_pn: PEER,
			addressing_mode: 'lid',
			t: T,
			notify: 'José 🎉'
		},
		[N('enc', { v: '2', type: 'skmsg' }, B('skmsg', 70))]
	)
);
add(
	'message-out-group-fanout',
	N('message', { id: mid(4), to: GROUP, type: 'text', addressing_mode: 'lid' }, [
		N('participants', {}, [
			N('to', { jid: PEER_LID_DEV }, [N('enc', { v: '2', type: 'pkmsg' }, B('fan1', 160))]),
			N('to', { jid: '22222222222222:1@lid' }, [N('enc', { v: '2', type: 'msg' }, B('fan2', 60))])
		]),
		N('enc', { v: '2', type: 'skmsg' }, B('fan-sk', 80)),
		N('device-identity', {}, B('fan-di', 140))
	])
);
add(
	'message-in-status',
	N('message', { from: 'status@broadcast', type: 'media', id: mid(5), participant: PEER, t: T, notify: 'Bob' }, [
		N('enc', { v: '2', type: 'skmsg', mediatype: 'image' }, B('status', 110))
	])
);
add(
	'message-in-edit',
	N('message', { from: PEER, type: 'text', id: mid(6), edit: '1', t: T }, [N('enc', { v: '2', type: 'msg' }, B('edit', 40))])
);
add(
	'message-in-revoke',
	N('message', { from: GROUP, participant: PEER_LID_DEV, type: 'text', id: mid(7), edit: '8', t: T }, [
		N('enc', { v: '2', type: 'skmsg' }, B('revoke', 40))
	])
);
add(
	'message-out-peer',
	N('message', { id: mid(8), to: ME_JID, type: 'text', category: 'peer' }, [
		N('enc', { v: '2', type: 'msg' }, B('peer', 50)),
		N('meta', { appdata: 'default' })
	])
);
add(
	'message-in-large-enc',
	N('message', { from: PEER_DEV, type: 'media', id: mid(9), t: T }, [N('enc', { v: '2', type: 'msg', mediatype: 'document' }, B('large-enc', 600))]),
	{ note: 'enc content > 255 bytes (BINARY_20)' }
);
add(
	'message-in-unavailable',
	N('message', { from: PEER, type: 'text', id: mid(10), t: T }, [N('unavailable', { type: 'view_once' })])
);

// -- receipts / acks
add(
	'receipt-read-list',
	N('receipt', { id: mid(11), to: PEER, type: 'read', t: T }, [
		N('list', {}, [N('item', { id: mid(12) }), N('item', { id: mid(13) })])
	])
);
add('receipt-delivery-in', N('receipt', { from: PEER_DEV, id: mid(14), t: T }));
add('receipt-read-group', N('receipt', { from: GROUP, participant: PEER_LID_DEV, id: mid(15), type: 'read', t: T }));
add(
	'receipt-retry',
	N('receipt', { id: mid(16), to: PEER_DEV, type: 'retry' }, [
		N('retry', { count: '1', id: mid(16), t: T, v: '1' }),
		N('registration', {}, unhex('00003039'))
	])
);
add('receipt-sender', N('receipt', { id: mid(17), to: ME_JID, type: 'sender', recipient: PEER_DEV, t: T }));
add('ack-receipt', N('ack', { class: 'receipt', id: mid(11), from: PEER, type: 'read', t: T }));
add('ack-message-out', N('ack', { id: mid(2), to: PEER, class: 'message' }));
add('ack-message-server', N('ack', { class: 'message', from: PEER, id: mid(1), t: T, phash: '2:abc+/DEF=' }));
add('ack-notification', N('ack', { class: 'notification', id: '123456789', to: SERVER, type: 'encrypt' }));
add('ack-error', N('ack', { class: 'message', id: mid(4), from: GROUP, error: '479' }));

// -- notifications
add(
	'notification-gp2-add',
	N('notification', { from: GROUP, id: '2345678901', participant: PEER, t: T, type: 'w:gp2' }, [
		N('add', {}, [N('participant', { jid: '441234567890@s.whatsapp.net' }), N('participant', { jid: '22222222222222@lid' })])
	])
);
add(
	'notification-gp2-subject',
	N('notification', { from: OLD_GROUP, id: '2345678902', participant: PEER_LID, t: T, type: 'w:gp2' }, [
		N('subject', { subject: 'Über-Gruppe ✨', s_o: PEER_LID, s_t: T })
	])
);
add('notification-encrypt-count', N('notification', { from: SERVER, type: 'encrypt', id: '2345678903', t: T }, [N('count', { value: '5' })]));
add(
	'notification-devices',
	N('notification', { from: PEER_LID, type: 'devices', id: '2345678904', t: T }, [
		N('add', { device_hash: '2:3mVGkc1T' }, [N('device', { jid: '98765432109876:3@lid', 'key-index': '5' }), N('key-index-list', { ts: T }, B('kil', 100))])
	])
);
add(
	'notification-server-sync',
	N('notification', { from: SERVER, type: 'server_sync', id: '2345678905', t: T }, [
		N('collection', { name: 'regular_high', version: '13' }),
		N('collection', { name: 'critical_block', version: '4' }),
		N('collection', { name: 'regular_low', version: '120' })
	])
);
add(
	'notification-picture',
	N('notification', { from: PEER, type: 'picture', id: '2345678906', t: T }, [N('set', { jid: PEER, id: '1700000123', author: PEER })])
);
add(
	'notification-mediaretry',
	N('notification', { from: PEER, type: 'mediaretry', id: mid(18), t: T }, [
		N('encrypt', {}, [N('enc_p', {}, B('enc_p', 56)), N('enc_iv', {}, B('enc_iv', 12))]),
		N('rmr', { jid: PEER, from_me: 'true', id: mid(18) })
	])
);
add(
	'notification-account-sync',
	N('notification', { from: ME_JID, type: 'account_sync', id: '2345678907', t: T }, [N('devices', { dhash: '2:ZmFrZQ' }, [N('device', { jid: ME_JID }), N('device', { jid: ME_DEV, 'key-index': '7' })])])
);

// -- presence, chat state, call, stream control
add('presence-available', N('presence', { type: 'available', name: 'Bob the Builder' }));
add('presence-in-unavailable', N('presence', { from: PEER, type: 'unavailable', last: '1699999999' }));
add('chatstate-composing', N('chatstate', { to: PEER }, [N('composing')]));
add('chatstate-in-recording', N('chatstate', { from: GROUP, participant: PEER_LID }, [N('composing', { media: 'audio' })]));
add(
	'call-offer',
	N('call', { from: PEER, id: mid(19), t: T }, [
		N('offer', { 'call-id': 'C4A1B2C3D4E5F60718293A4B5C6D7E8F', 'call-creator': PEER_DEV }, [
			N('audio', { enc: 'opus', rate: '16000' }),
			N('audio', { enc: 'opus', rate: '8000' }),
			N('net', { medium: '3' }),
			N('encopt', { keygen: '2' })
		])
	])
);
add('stream-error-515', N('stream:error', { code: '515' }));
add('stream-error-conflict', N('stream:error', {}, [N('conflict', { type: 'replaced' })]));
add('failure-401', N('failure', { reason: '401', location: 'frc' }));
add('ib-offline', N('ib', { from: SERVER }, [N('offline', { count: '3' })]));
add('ib-dirty', N('ib', { from: SERVER }, [N('dirty', { type: 'account_sync', timestamp: T })]));
add('ib-edge-routing', N('ib', { from: SERVER }, [N('edge_routing', {}, [N('routing_info', {}, unhex('0805080208'))])]));
add('xmlstreamend', N('xmlstreamend'), { note: 'the stream end marker is an ordinary one-token node' });

// -- every JID form, as the `jid` attribute of a <user/> node
const jidCase = (name, jid, note) => add('jid-' + name, N('user', { jid }), note ? { note } : {});
jidCase('pn', PEER);
jidCase('pn-device', PEER_DEV);
jidCase('pn-device-0', '447700900123:0@s.whatsapp.net', 'written as AD_JID device 0; decodes without ":0", so it does not re-encode');
jidCase('pn-device-99', '447700900123:99@s.whatsapp.net');
jidCase('pn-device-255', '447700900123:255@s.whatsapp.net');
jidCase('pn-device-256', '447700900123:256@s.whatsapp.net', 'the device byte is truncated to 256 & 0xff = 0: lossy');
jidCase('lid', PEER_LID);
jidCase('lid-device', PEER_LID_DEV);
jidCase('lid-device-0', '98765432109876:0@lid', 'AD_JID domain 1 device 0; decodes without ":0"');
jidCase('group', GROUP);
jidCase('group-old', OLD_GROUP);
jidCase('status-broadcast', 'status@broadcast');
jidCase('broadcast-list', '1600000000@broadcast');
jidCase('server-at', SERVER, 'the server JID as Baileys writes it ("@s.whatsapp.net"): JID_PAIR with empty user');
jidCase('server-token', 's.whatsapp.net', 'the bare string "s.whatsapp.net" is a token, not a JID');
jidCase('server-g-us', '@g.us');
jidCase('c-us-psa', '0@c.us');
jidCase('c-us-user', '16505361212@c.us');
jidCase('newsletter', '120363144038483540@newsletter');
jidCase('bot', '13135550002@bot');
jidCase('call', 'C4A1B2C3D4E5F607@call');
jidCase('hosted-device', '15551234567:99@hosted', 'Baileys 7 writes AD_JID domain 128; Baileys 6 domain 0 (decodes as @s.whatsapp.net)');
jidCase('hosted-lid-device', '123456789012345:99@hosted.lid', 'Baileys 7 writes AD_JID domain 129; Baileys 6 domain 0');
jidCase('hosted-no-device', '15551234567@hosted', 'no device: JID_PAIR with raw server "hosted"');
jidCase('agent-1', '15551234567_1:2@s.whatsapp.net', 'Baileys textual agent form; agent 1 = domain byte 1 in Baileys 7 (decodes as @lid), dropped by Baileys 6');
jidCase('agent-5', '15551234567_5:2@s.whatsapp.net', 'Baileys 7 writes domain byte 5 and decodes it as s.whatsapp.net: lossy');
jidCase('agent-no-device', '15551234567_1@s.whatsapp.net', 'agent without device: JID_PAIR, the agent is dropped');
jidCase('msgr-device', '100012345678:4@msgr', 'Baileys never writes FB_JID: AD_JID domain 0, decodes as @s.whatsapp.net');
jidCase('interop-device', '5-100012345678:1@interop', 'Baileys never writes INTEROP_JID: AD_JID domain 0 with a nibble user "5-100012345678"');
jidCase('email-like', 'someone@example.com', 'any string with "@" is written as a JID pair');
jidCase('two-at-signs', 'a@b@c', 'JID pair whose server part "b@c" is itself written as a JID pair');
jidCase('hex-user', 'ABCDEF@g.us', 'JID user part hex-packed');
jidCase('underscore-user', 'status_v2@broadcast', 'Baileys reads "_v2" as an agent suffix and drops it (a JID pair has no agent): lossy');

// -- string classes as attribute values, on a <test/> node
const valCase = (name, v, note) => add('value-' + name, N('test', { v }), note ? { note } : {});
valCase('token-get', 'get');
valCase('token-double-read-self', 'read-self', 'v3 double-byte token (DICTIONARY_0 0); raw in v2');
valCase('token-double-v2-media-host', 'media-for1-1.cdn.whatsapp.net', 'v2 double-byte token (DICTIONARY_0 0)');
valCase('token-double-v3-last', '1961', 'v3 DICTIONARY_3 255; nibble in v2');
valCase('token-digit', '0', 'single digits are tokens in both versions');
valCase('empty', '', 'Baileys 7 writes BINARY_8 length 0 (fc 00); Baileys 6 writes 00');
valCase('nibble-1', '7');
valCase('nibble-dash', '-');
valCase('nibble-dot', '.');
valCase('nibble-even', '1234567890');
valCase('nibble-odd', '123456789');
valCase('nibble-mixed', '1.2-3.4-5');
valCase('nibble-127', '1234567890'.repeat(13).slice(0, 127), 'longest nibble-packed string');
valCase('nibble-128-raw', '1234567890'.repeat(13).slice(0, 128), 'one over PACKED_MAX: written raw');
valCase('hex-1', 'F', 'odd-length hex: pad nibble is 15 too');
valCase('hex-even', 'ABCDEF0123');
valCase('hex-odd', '0A1');
valCase('hex-127', '0123456789ABCDEF'.repeat(8).slice(0, 127));
valCase('hex-128-raw', '0123456789ABCDEF'.repeat(8).slice(0, 128), 'one over PACKED_MAX: written raw');
valCase('hex-lowercase-raw', 'abcdef0123', 'lowercase hex is not packed');
valCase('mixed-hex-nibble-raw', 'AB-12', 'neither nibble nor hex');
valCase('raw-short', 'hello');
valCase('raw-255', textPattern(255), 'longest BINARY_8 string');
valCase('raw-256', textPattern(256), 'shortest BINARY_20 string');
valCase('raw-70000', textPattern(70000), 'BINARY_20 string');
valCase('unicode', 'Grüße 👋 مرحبا 你好', 'UTF-8, written raw');
add('unicode-tag-and-key', N('ñandú', { 'clé': 'valeur ✓' }), { note: 'raw UTF-8 tag and attribute key' });

// -- content classes
const contentCase = (name, content, note) => add('content-' + name, N('data', { id: 'C1' }, content), note ? { note } : {});
contentCase('bytes-0', Buffer.alloc(0));
contentCase('bytes-1', unhex('ff'));
contentCase('bytes-255', B('c255', 255), 'longest BINARY_8');
contentCase('bytes-256', B('c256', 256), 'shortest BINARY_20');
contentCase('bytes-70000', B('c70000', 70000), 'BINARY_20');
contentCase('string-token', 'available', 'decodes as a string');
contentCase('string-nibble', '1700000000', 'decodes as a string');
contentCase('string-hex', 'DEADBEEF', 'decodes as a string');
contentCase('string-jid', PEER_DEV, 'decodes as a string');
contentCase('string-raw', 'hello world', 'raw string content decodes as bytes');
contentCase('string-unicode', 'Привет 🌍', 'raw string content decodes as bytes');
contentCase('string-empty', '', 'Baileys 7: fc 00, decodes as 0 bytes; Baileys 6: 00, decodes as an empty child list');
contentCase('empty-list', [], 'LIST_EMPTY (00) as content: an empty child list');
contentCase('none', undefined, 'no content');
add(
	'nested-3-deep',
	N('a', { x: '1' }, [N('b', { y: '2' }, [N('c', { z: '3' }, [N('leaf', {}, unhex('0102'))])]), N('b2')])
);
add(
	'list16-300-children',
	N('list', {}, Array.from({ length: 300 }, (_, i) => N('item', { id: String(1000 + i) }))),
	{ note: '300 children: LIST_16 child count' }
);
add(
	'attrs-130',
	N(
		'many',
		Object.fromEntries(Array.from({ length: 130 }, (_, i) => ['k' + String(i).padStart(3, '0'), 'v' + i])),
		[N('x')]
	),
	{ note: '130 attributes: the node header list size 262 needs LIST_16' }
);

// -- compressed frames (flag 0x02, zlib stream of the encoded node)
add('compressed-success', N('success', { t: T, lid: ME_LID_DEV }), { compress: true });
add('compressed-group-metadata', groupResult, { compress: true });
add(
	'compressed-message-in-msg',
	N('message', { from: PEER, type: 'text', id: mid(2), t: T, notify: 'Alice' }, [N('enc', { v: '2', type: 'msg' }, B('msg', 90))]),
	{ compress: true }
);
add(
	'compressed-server-sync',
	N('notification', { from: SERVER, type: 'server_sync', id: '2345678905', t: T }, [
		N('collection', { name: 'regular_high', version: '13' }),
		N('collection', { name: 'critical_block', version: '4' })
	]),
	{ compress: true }
);
add('compressed-content-bytes-1MiB', N('data', { id: 'C2' }, Buffer.from(textPattern((1 << 20) + 1), 'latin1')), {
	compress: true,
	v3only: true,
	note: '1 MiB + 1 byte of content: BINARY_32 (only in the v3 file; length tags do not depend on the tables)'
});
add('compressed-raw-string-1MiB', N('test', { v: textPattern(1 << 20) }), {
	compress: true,
	v3only: true,
	note: 'a 1 MiB attribute string: BINARY_32 string (only in the v3 file)'
});

/** hand-built frames decoded by Baileys (its encoders never produce them); token numbers are looked up, not guessed */
const packNibbles = (str) => {
	// NIBBLE_8 packing written out here on purpose (independent of Baileys' encoder)
	const vals = [...str].map((c) => (c === '-' ? 10 : c === '.' ? 11 : c.charCodeAt(0) - 48));
	if (vals.length % 2) {
		vals.push(15);
	}
	const out = [0xff, (vals.length / 2) | (str.length % 2 ? 0x80 : 0)];
	for (let i = 0; i < vals.length; i += 2) {
		out.push((vals[i] << 4) | vals[i + 1]);
	}
	return out;
};
const rawStr = (str) => [0xfc, str.length, ...Buffer.from(str)];
const handBuilt = (() => {
	const tokFrom = (map) => (str) => {
		const t = map[str];
		assert(t && typeof t.dict !== 'number', 'single-byte token ' + str);
		return t.index;
	};
	const t3 = tokFrom(B7Const.TOKEN_MAP);
	const t2 = tokFrom(B6Const.TOKEN_MAP);
	return {
		v3: [
			{
				name: 'hand-fb-jid',
				note: 'FB_JID (f6): user, 2-byte device, server ("msgr" token). No Baileys encoder writes it; Baileys 7 decodes it',
				frame: Buffer.from([0x00, 0xf8, 0x03, t3('user'), t3('jid'), 0xf6, ...packNibbles('100012345678'), 0x00, 0x04, t3('msgr')])
			},
			{
				name: 'hand-interop-jid',
				note: 'INTEROP_JID (f5): user, 2-byte device, 2-byte integrator, server. No Baileys encoder writes it; Baileys 7 decodes it as "integrator-user:device@server"',
				frame: Buffer.from([0x00, 0xf8, 0x03, t3('user'), t3('jid'), 0xf5, ...packNibbles('100012345678'), 0x00, 0x01, 0x00, 0x05, ...rawStr('interop')])
			}
		],
		v2: [
			{
				name: 'hand-ad-jid-domain-128',
				note: 'AD_JID with domain byte 128 (hosted in Baileys 7 and whatsmeow): Baileys 6 decodes every non-zero domain as "lid"',
				frame: Buffer.from([0x00, 0xf8, 0x03, t2('user'), t2('jid'), 0xf7, 0x80, 0x63, ...packNibbles('15551234567')])
			}
		]
	};
})();

/** worked examples from the protocol notes (section 4.8), asserted byte for byte */
const notesExamples = {
	v3: {
		'iq-ping': '00f80a1908ff861234b5678a1f11fa000304291657f801f80156',
		'iq-logout':
			'00f80a1911fa0003045a08fb04abcdef0116fc026d64f801f805fc1772656d6f76652d636f6d70616e696f6e2d6465766963650cf7000cff8615551234567fec2efc0e757365725f696e69746961746564',
		'iq-pair-device-sign-result':
			'00f8081911fa0003041408ff021234f801f802fc10706169722d6465766963652d7369676ef801f804e65045fc060a0208011a00',
		success: '00f8054c1aff05170000000076f7010cff88123456789012345f'
	},
	v2: {
		'iq-ping': '00f80a1e08ff861234b5678a1f0efa00030431195ff801f80150',
		success: '00f805471dff051700000000fc036c6964f7010cff88123456789012345f'
	}
};

const nodeStats = {};

const buildNodeVectors = async (ver) => {
	const codec = codecs[ver];
	const vectors = [];
	let crossDiffs = [];
	for (const c of nodeCases) {
		if (c.v3only && ver !== 'v3') {
			continue;
		}
		const plain = codec.encode(c.node);
		assert(plain[0] === 0, 'encodeBinaryNode starts with the 00 flag byte');
		if (ver === 'v3') {
			// cross-check: Baileys 6's encoder with the v3 tables passed as options
			const b6 = B6.encodeBinaryNode(c.node, v3OptsForB6);
			if (!b6.equals(plain)) {
				crossDiffs.push(c.name);
			}
		}
		let frame = plain;
		if (c.compress) {
			frame = Buffer.concat([Buffer.from([0x02]), zlib.deflateSync(plain.subarray(1))]);
		}
		const decoded = await codec.decode(frame);
		const nodeJson = nodeToJson(decoded);
		const reenc = codec.encode(jsonToNode(nodeJson));
		const v = { name: c.name };
		if (c.note) {
			v.note = c.note;
		}
		v.frame_hex = hex(frame);
		v.compressed = !!c.compress;
		v.node = nodeJson;
		const inputJson = nodeToJson(c.node);
		if (JSON.stringify(inputJson) !== JSON.stringify(nodeJson)) {
			v.input = inputJson;
		}
		v.reencodes = reenc.equals(plain);
		const expect = notesExamples[ver][c.name];
		if (expect) {
			assert(hex(plain) === expect, `${ver} ${c.name} equals the notes' worked example`);
		}
		vectors.push(v);
	}
	for (const h of handBuilt[ver] || []) {
		const decoded = await codec.decode(h.frame);
		const nodeJson = nodeToJson(decoded);
		const reenc = codec.encode(jsonToNode(nodeJson));
		vectors.push({
			name: h.name,
			note: h.note,
			hand_built: true,
			frame_hex: hex(h.frame),
			compressed: false,
			node: nodeJson,
			reencodes: reenc.equals(h.frame)
		});
	}
	if (crossDiffs.length) {
		warn(`v3: Baileys 6 with the v3 tables encodes these differently from Baileys 7: ${crossDiffs.join(', ')}`);
	}
	nodeStats[ver] = {
		total: vectors.length,
		compressed: vectors.filter((v) => v.compressed).length,
		hand_built: vectors.filter((v) => v.hand_built).length,
		not_reencoding: vectors.filter((v) => !v.reencodes).map((v) => v.name),
		decoded_differs_from_input: vectors.filter((v) => v.input).map((v) => v.name),
		b6_with_v3_tables_differs: crossDiffs
	};
	return {
		generator: GENERATOR,
		description: codec.generator_note,
		baileys_version: codec.baileys_version,
		dict_version: codec.dict_version,
		vectors
	};
};

const nodesV3 = await buildNodeVectors('v3');
const nodesV2 = await buildNodeVectors('v2');

// the compressed example of the notes (section 4.2) must at least decode to the same node
{
	const notesCompressed = unhex('02789cfbc1ea23f59f559c818181a1ec3b23cfff0e2193b08a094226f10064bf07c9');
	const d = nodeToJson(await B7.decodeBinaryNode(notesCompressed));
	const ours = nodesV3.vectors.find((v) => v.name === 'compressed-success');
	assert(JSON.stringify(d) === JSON.stringify(ours.node), 'notes compressed example decodes like ours');
	if (hex(notesCompressed) !== ours.frame_hex) {
		warn('compressed-success: our zlib bytes differ from the notes example (both decode to the same node)');
	}
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Noise handshakes, driven through Baileys' real makeNoiseHandler

const NOISE_NAME = Buffer.from('Noise_XX_25519_AESGCM_SHA256\0\0\0\0');
const X25519_PRIV_DER = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_PUB_DER = Buffer.from('302a300506032b656e032100', 'hex');

const clamp = (k) => {
	const c = Buffer.from(k);
	c[0] &= 248;
	c[31] &= 127;
	c[31] |= 64;
	return c;
};
const x25519Pub = (priv) =>
	crypto
		.createPublicKey(crypto.createPrivateKey({ key: Buffer.concat([X25519_PRIV_DER, priv]), format: 'der', type: 'pkcs8' }))
		.export({ format: 'der', type: 'spki' })
		.subarray(12);
const x25519 = (priv, pub) =>
	crypto.diffieHellman({
		privateKey: crypto.createPrivateKey({ key: Buffer.concat([X25519_PRIV_DER, priv]), format: 'der', type: 'pkcs8' }),
		publicKey: crypto.createPublicKey({ key: Buffer.concat([X25519_PUB_DER, pub]), format: 'der', type: 'spki' })
	});
const keyPair = (priv) => ({ priv: Buffer.from(priv), pub: x25519Pub(priv) });
const fixedKey = (label) => keyPair(clamp(sha256('wacrm-conformance-key:' + label)));

// HKDF-SHA256 written out (RFC 5869), independent of Baileys' implementation
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
const hkdf64 = (salt, ikm) => {
	const prk = hmac(salt, ikm);
	const t1 = hmac(prk, Buffer.from([1]));
	const t2 = hmac(prk, Buffer.concat([t1, Buffer.from([2])]));
	return [t1, t2];
};
const nonce = (n) => {
	const iv = Buffer.alloc(12);
	iv.writeUInt32BE(n, 8);
	return iv;
};
const gcmEnc = (key, n, aad, pt) => {
	const c = crypto.createCipheriv('aes-256-gcm', key, nonce(n));
	c.setAAD(aad);
	return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
};
const gcmDec = (key, n, aad, ct) => {
	const d = crypto.createDecipheriv('aes-256-gcm', key, nonce(n));
	d.setAAD(aad);
	d.setAuthTag(ct.subarray(ct.length - 16));
	return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
};

/** the server half of Noise XX (our own test tooling); records h/ck/k after every step */
class Responder {
	constructor() {
		this.h = NOISE_NAME;
		this.ck = NOISE_NAME;
		this.k = null;
		this.n = 0;
		this.trace = [];
	}
	log(step, extra = {}) {
		this.trace.push({ step, h: hex(this.h), ck: hex(this.ck), ...(this.k ? { k: hex(this.k), n: this.n } : {}), ...extra });
	}
	mixHash(d) {
		this.h = sha256(this.h, d);
	}
	mixKey(ikm) {
		[this.ck, this.k] = hkdf64(this.ck, ikm);
		this.n = 0;
	}
	encryptAndHash(p) {
		const c = gcmEnc(this.k, this.n++, this.h, p);
		this.mixHash(c);
		return c;
	}
	decryptAndHash(c) {
		const p = gcmDec(this.k, this.n++, this.h, c);
		this.mixHash(c);
		return p;
	}
	split() {
		return hkdf64(this.ck, Buffer.alloc(0));
	}
}

const silentLogger = {
	level: 'silent',
	child() {
		return silentLogger;
	},
	trace() {},
	debug() {},
	info() {},
	warn() {},
	error() {}
};

const len3 = (b) => Buffer.from([(b.length >> 16) & 0xff, (b.length >> 8) & 0xff, b.length & 0xff]);

/**
 * One complete handshake: Baileys' handler is the client, Responder is the server.
 * c2s: binary nodes the client sends after the handshake (encoded by the same Baileys' encodeBinaryNode, or raw plaintexts)
 * s2c: plaintexts (flag byte + node bytes) the server sends; Baileys' handler decrypts and decodes them
 */
const runHandshake = async ({ name, note, lib, prologue, keys, certChain, clientPayload, c2s, s2c }) => {
	const L = lib === 'baileys' ? B7 : B6;
	const proto = L.proto;
	const noise = L.makeNoiseHandler({
		keyPair: { private: keys.client_ephemeral.priv, public: keys.client_ephemeral.pub },
		NOISE_HEADER: prologue,
		logger: silentLogger
	});
	const srv = new Responder();

	// -> ClientHello
	const clientHello = Buffer.from(proto.HandshakeMessage.encode({ clientHello: { ephemeral: keys.client_ephemeral.pub } }).finish());
	const ws1 = noise.encodeFrame(clientHello);
	// server: parse the first WS message
	assert(ws1.subarray(0, 4).equals(prologue), 'intro header');
	const body1 = ws1.subarray(7, 7 + ws1.readUIntBE(4, 3));
	assert(body1.equals(clientHello), 'ClientHello body');
	const ceFromWire = proto.HandshakeMessage.decode(body1).clientHello.ephemeral;
	srv.log('initialize: h = ck = protocol name');
	srv.mixHash(prologue);
	srv.log('MixHash(prologue)');
	srv.mixHash(ceFromWire);
	srv.log('MixHash(client ephemeral pub)');

	// <- ServerHello
	srv.mixHash(keys.server_ephemeral.pub);
	srv.log('MixHash(server ephemeral pub)');
	srv.mixKey(x25519(keys.server_ephemeral.priv, ceFromWire));
	srv.log('MixKey(DH(server e, client e))  [ee]');
	const encStatic = srv.encryptAndHash(keys.server_static.pub);
	srv.log('EncryptAndHash(server static pub)');
	srv.mixKey(x25519(keys.server_static.priv, ceFromWire));
	srv.log('MixKey(DH(server s, client e))  [es]');
	const encCert = srv.encryptAndHash(certChain);
	srv.log('EncryptAndHash(CertChain)');
	const serverHello = Buffer.from(
		proto.HandshakeMessage.encode({ serverHello: { ephemeral: keys.server_ephemeral.pub, static: encStatic, payload: encCert } }).finish()
	);
	const ws2 = Buffer.concat([len3(serverHello), serverHello]);

	// client: Baileys receives the ServerHello through its own framing and processes it
	let got = null;
	await noise.decodeFrame(ws2, (f) => {
		got = f;
	});
	assert(got && Buffer.from(got).equals(serverHello), 'Baileys framing returned the ServerHello');
	const keyEnc = await noise.processHandshake(proto.HandshakeMessage.decode(got), {
		private: keys.client_static.priv,
		public: keys.client_static.pub
	});
	const payloadEnc = noise.encrypt(clientPayload);
	const clientFinish = Buffer.from(proto.HandshakeMessage.encode({ clientFinish: { static: keyEnc, payload: payloadEnc } }).finish());
	const ws3 = noise.encodeFrame(clientFinish);
	await noise.finishInit();

	// server: process the ClientFinish
	assert(ws3.readUIntBE(0, 3) === ws3.length - 3, 'ClientFinish framing');
	const cf = proto.HandshakeMessage.decode(ws3.subarray(3)).clientFinish;
	const clientStatic = srv.decryptAndHash(Buffer.from(cf.static));
	assert(clientStatic.equals(keys.client_static.pub), 'server decrypted the client static key');
	srv.log('DecryptAndHash(ClientFinish.static) -> client static pub');
	srv.mixKey(x25519(keys.server_ephemeral.priv, clientStatic));
	srv.log('MixKey(DH(server e, client s))  [se]');
	const payload = srv.decryptAndHash(Buffer.from(cf.payload));
	assert(payload.equals(clientPayload), 'server decrypted the ClientPayload');
	srv.log('DecryptAndHash(ClientFinish.payload) -> ClientPayload');
	const [clientSend, clientRecv] = srv.split();

	// transport, client -> server: Baileys encrypts, we decrypt
	const frames = [];
	let sc = 0;
	for (const item of c2s) {
		const plaintext = item.plaintext ? item.plaintext : L.encodeBinaryNode(item.node);
		const ws = noise.encodeFrame(plaintext);
		assert(ws.readUIntBE(0, 3) === ws.length - 3, 'transport framing');
		const ct = ws.subarray(3);
		const pt = gcmDec(clientSend, sc, Buffer.alloc(0), ct);
		assert(pt.equals(plaintext), 'server decrypted a client transport frame');
		frames.push({
			direction: 'client_to_server',
			counter: sc,
			compressed: false,
			plaintext_hex: hex(plaintext),
			ciphertext_hex: hex(ct),
			ws_hex: hex(ws),
			node: item.node ? nodeToJson(await L.decodeBinaryNode(plaintext)) : null
		});
		sc++;
	}
	// transport, server -> client: we encrypt, Baileys decrypts and decodes
	let rc = 0;
	for (const item of s2c) {
		const plaintext = item.compress
			? Buffer.concat([Buffer.from([2]), zlib.deflateSync(L.encodeBinaryNode(item.node).subarray(1))])
			: L.encodeBinaryNode(item.node);
		const ct = gcmEnc(clientRecv, rc, Buffer.alloc(0), plaintext);
		const ws = Buffer.concat([len3(ct), ct]);
		let node = null;
		await noise.decodeFrame(ws, (f) => {
			node = f;
		});
		assert(node && node.tag, 'Baileys decrypted and decoded a server transport frame');
		const nodeJson = nodeToJson(node);
		assert(JSON.stringify(nodeJson) === JSON.stringify(nodeToJson(await L.decodeBinaryNode(plaintext))), 'decoded node');
		frames.push({
			direction: 'server_to_client',
			counter: rc,
			compressed: !!item.compress,
			plaintext_hex: hex(plaintext),
			ciphertext_hex: hex(ct),
			ws_hex: hex(ws),
			node: nodeJson
		});
		rc++;
	}

	const keyOut = {};
	for (const [k, v] of Object.entries(keys)) {
		keyOut[k] = { priv_hex: hex(v.priv), pub_hex: hex(v.pub) };
	}
	return {
		name,
		note,
		baileys_package: lib,
		baileys_version: lib === 'baileys' ? B7_VERSION : B6_VERSION,
		prologue_hex: hex(prologue),
		keys: keyOut,
		cert_chain_hex: hex(certChain),
		client_payload_hex: hex(clientPayload),
		client_hello: { handshake_message_hex: hex(clientHello), ws_hex: hex(ws1) },
		server_hello: {
			handshake_message_hex: hex(serverHello),
			ws_hex: hex(ws2),
			ephemeral_hex: hex(keys.server_ephemeral.pub),
			static_ciphertext_hex: hex(encStatic),
			payload_ciphertext_hex: hex(encCert)
		},
		client_finish: {
			handshake_message_hex: hex(clientFinish),
			ws_hex: hex(ws3),
			static_ciphertext_hex: hex(cf.static),
			payload_ciphertext_hex: hex(cf.payload)
		},
		trace: srv.trace,
		transport: { client_send_key_hex: hex(clientSend), client_recv_key_hex: hex(clientRecv) },
		frames
	};
};

// --- a real certificate chain signed by a fixed test root (XEdDSA through Baileys' Curve.sign)
const rootKey = fixedKey('noise-root');
const intermediateKey = fixedKey('noise-intermediate');
const NOT_BEFORE = 1700000000;
const NOT_AFTER = 4102444800; // 2100-01-01
const makeCertChain = (serverStaticPub) => {
	const P = B7.proto;
	const interDetails = Buffer.from(
		P.CertChain.NoiseCertificate.Details.encode({
			serial: 7,
			issuerSerial: 0,
			key: intermediateKey.pub,
			notBefore: NOT_BEFORE,
			notAfter: NOT_AFTER
		}).finish()
	);
	const leafDetails = Buffer.from(
		P.CertChain.NoiseCertificate.Details.encode({
			serial: 4242,
			issuerSerial: 7,
			key: serverStaticPub,
			notBefore: NOT_BEFORE,
			notAfter: NOT_AFTER
		}).finish()
	);
	const interSig = Buffer.from(B7.Curve.sign(rootKey.priv, interDetails));
	const leafSig = Buffer.from(B7.Curve.sign(intermediateKey.priv, leafDetails));
	assert(Buffer.from(B7.Curve.sign(rootKey.priv, interDetails)).equals(interSig), 'Curve.sign is deterministic');
	assert(B7.Curve.verify(rootKey.pub, interDetails, interSig), 'intermediate signature verifies (Baileys 7)');
	assert(B6.Curve.verify(intermediateKey.pub, leafDetails, leafSig), 'leaf signature verifies (Baileys 6)');
	const chain = Buffer.from(
		P.CertChain.encode({
			leaf: { details: leafDetails, signature: leafSig },
			intermediate: { details: interDetails, signature: interSig }
		}).finish()
	);
	return { chain, interDetails, interSig, leafDetails, leafSig };
};

const loginPayload7 = Buffer.from(
	B7.proto.ClientPayload.encode(
		B7.generateLoginNode(ME_DEV, { version: [2, 3000, 1045649367], browser: ['Ubuntu', 'Chrome', '22.04'], countryCode: 'US', syncFullHistory: false })
	).finish()
);

// registration credentials (fixed)
const identityKey = fixedKey('signal-identity');
const signedPreKey = fixedKey('signed-prekey-1');
const signedPreKeySig = Buffer.from(B7.Curve.sign(identityKey.priv, Buffer.concat([Buffer.from([5]), signedPreKey.pub])));
const regCreds = {
	registrationId: 12345,
	signedIdentityKey: { private: identityKey.priv, public: identityKey.pub },
	signedPreKey: { keyId: 1, keyPair: { private: signedPreKey.priv, public: signedPreKey.pub }, signature: signedPreKeySig }
};
const regPayload6 = Buffer.from(
	B6.proto.ClientPayload.encode(
		B6.generateRegistrationNode(regCreds, { version: [2, 3000, 1019707846], browser: ['Ubuntu', 'Chrome', '22.04'], countryCode: 'US', syncFullHistory: false })
	).finish()
);

const handshakes = [];

// (a) the protocol notes' section 2.7 vector, reproduced through Baileys 6.17.16's handler
{
	const kp = (privHex) => keyPair(unhex(privHex));
	const keys = {
		client_ephemeral: kp('0001010101010101010101010101010101010101010101010101010101010141'),
		client_static: kp('0002020202020202020202020202020202020202020202020202020202020242'),
		server_ephemeral: kp('0003030303030303030303030303030303030303030303030303030303030343'),
		server_static: kp('0004040404040404040404040404040404040404040404040404040404040444')
	};
	const hs = await runHandshake({
		name: 'notes-2.7-baileys6',
		note: 'The protocol notes section 2.7 vector, reproduced by driving Baileys 6 makeNoiseHandler with the same keys. DV = 3 in the prologue (passed to the handler). The "certificate" is the 6-byte CertChain 12040a021000 (an intermediate with issuerSerial 0 only), which Baileys 6 accepts; Baileys 7 would reject it. ClientPayload is the placeholder 0a0b0c.',
		lib: 'baileys6',
		prologue: unhex('57410603'),
		keys,
		certChain: unhex('12040a021000'),
		clientPayload: unhex('0a0b0c'),
		c2s: [{ plaintext: unhex('00f80119') }],
		s2c: []
	});
	// every value the notes list must match
	const tr = (step) => hs.trace.find((t) => t.step.startsWith(step));
	assert(keys.client_ephemeral.pub.equals(unhex('a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209')), '2.7 ce pub');
	assert(keys.server_static.pub.equals(unhex('ac01b2209e86354fb853237b5de0f4fab13c7fcbf433a61c019369617fecf10b')), '2.7 ss pub');
	assert(tr('MixHash(prologue)').h === 'ffff0c9267310966f1311170c04b38c79504285bf5edf763e5c946492a50a755', '2.7 h after prologue');
	assert(tr('MixHash(client ephemeral').h === '0019031be1b0506972e4f4e2cb9de0dec5350cb635a4e6b4eea81a50f20d0f11', '2.7 h after ce');
	assert(hs.client_hello.ws_hex === '57410603000024' + '12220a20a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209', '2.7 ClientHello');
	assert(tr('MixKey(DH(server e, client e))').ck === '5789f66cc5e89ee439f84a99aece2001fd5f41d1a9928efbf91eea5c2bd8c2bb', '2.7 ck ee');
	assert(tr('MixKey(DH(server e, client e))').k === 'f2c6f2157482d814c5e348f5347fa68118b2ae67e7f6981f77794f7bbf37532c', '2.7 k ee');
	assert(
		hs.server_hello.handshake_message_hex ===
			'1a6c0a205dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef221230fad351e77ceb11c0a3c7a310c84044831d305ad1677bb5b736eff6f6392eee8cdc9e71ab200c437245ad235dd9ed16941a161734a5d9d6ed8f0034a80a3f7d3dcb672677f8377666',
		'2.7 ServerHello'
	);
	assert(tr('MixKey(DH(server s, client e))').ck === '22c2c9a2cbd25a0355b9dbff35f09a22ffb4b9985b28b4064d2d982d823cf1cf', '2.7 ck es');
	assert(tr('MixKey(DH(server e, client s))').ck === 'e8268624138384a4de3bfc1d9f1c0a7d0439004eec30fe958d3f97fffb918fc5', '2.7 ck se');
	assert(
		hs.client_finish.ws_hex ===
			'000049' + '22470a306f7715b54f3863d7c6b58baab8f65a070327545ff9ce8db3e46a1e6447aaea6f0916c9e9f8184cde058e845562dd5e3a121333d0396bf71876fa48cfecbe36c8783c9ef72e',
		'2.7 ClientFinish'
	);
	assert(hs.transport.client_send_key_hex === 'f10d8344bf33545050601629f58c5b0fe21b913641d2eeb1f5b49d07a5a6cffe', '2.7 send key');
	assert(hs.transport.client_recv_key_hex === 'd18c191f5a5bbf1a8f8b5d4713aebc66fb7335f082e1131687d8354d196d8b85', '2.7 recv key');
	assert(hs.frames[0].ws_hex === '000014' + 'd03d082a6b29021c9fbd44ddfb007e0bcaeff74d', '2.7 first transport frame');
	handshakes.push(hs);
}

// (b) Baileys 7 (dictionary v3), full certificate chain verified by Baileys 7 against our test root, real login payload
const certInfo = [];
{
	const keys = {
		client_ephemeral: fixedKey('b7-client-ephemeral'),
		client_static: fixedKey('b7-client-noise-static'),
		server_ephemeral: fixedKey('b7-server-ephemeral'),
		server_static: fixedKey('server-static')
	};
	const cert = makeCertChain(keys.server_static.pub);
	certInfo.push(cert);
	const saved = B7Defaults.WA_CERT_DETAILS.PUBLIC_KEY;
	B7Defaults.WA_CERT_DETAILS.PUBLIC_KEY = rootKey.pub; // the one run-time substitution the conformance README allows
	try {
		handshakes.push(
			await runHandshake({
				name: 'baileys7-login-v3',
				note: 'Baileys 7 makeNoiseHandler as client (it verifies both certificate signatures against the test root key), prologue 57 41 06 03, ClientPayload from Baileys 7 generateLoginNode for 15551234567:12@s.whatsapp.net. Transport frames are Baileys 7 binary nodes (v3 tables).',
				lib: 'baileys',
				prologue: B7Defaults.NOISE_WA_HEADER,
				keys,
				certChain: cert.chain,
				clientPayload: loginPayload7,
				c2s: [
					{ node: N('iq', { to: SERVER, xmlns: 'passive', type: 'set', id: '41213.33016-1' }, [N('active')]) },
					{ node: N('iq', { id: '41213.33016-2', xmlns: 'encrypt', type: 'get', to: SERVER }, [N('count')]) },
					{ node: N('presence', { type: 'available', name: 'Bob' }) }
				],
				s2c: [
					{ node: N('success', { t: T, props: '27', abprops: '10', location: 'frc', lid: ME_LID_DEV, creation: '1600000000' }) },
					{ node: N('iq', { from: SERVER, type: 'result', id: '41213.33016-1' }) },
					{ node: N('iq', { from: SERVER, type: 'result', id: '41213.33016-2' }, [N('count', { value: '812' })]), compress: true }
				]
			})
		);
	} finally {
		B7Defaults.WA_CERT_DETAILS.PUBLIC_KEY = saved;
	}
}

// (c) Baileys 6 (dictionary v2), same kind of chain (Baileys 6 checks only issuerSerial), registration payload
{
	const keys = {
		client_ephemeral: fixedKey('b6-client-ephemeral'),
		client_static: fixedKey('b6-client-noise-static'),
		server_ephemeral: fixedKey('b6-server-ephemeral'),
		server_static: fixedKey('server-static')
	};
	const cert = makeCertChain(keys.server_static.pub);
	handshakes.push(
		await runHandshake({
			name: 'baileys6-registration-v2',
			note: 'Baileys 6 makeNoiseHandler as client (it checks only intermediate issuerSerial == 0), prologue 57 41 06 02, ClientPayload from Baileys 6 generateRegistrationNode with fixed credentials. Transport frames are Baileys 6 binary nodes (v2 tables).',
			lib: 'baileys6',
			prologue: B6Defaults.NOISE_WA_HEADER,
			keys,
			certChain: cert.chain,
			clientPayload: regPayload6,
			c2s: [
				{ node: N('iq', { to: SERVER, type: 'result', id: '1234' }) },
				{ node: N('iq', { id: '41213.33016-3', to: SERVER, type: 'get', xmlns: 'w:p' }, [N('ping')]) }
			],
			s2c: [
				{
					node: N('iq', { from: SERVER, type: 'set', id: '1234', xmlns: 'md' }, [
						N(
							'pair-device',
							{},
							[1, 2, 3].map((i) => N('ref', {}, Buffer.from(`2@${detBytes('ref' + i, 30).toString('base64')}`)))
						)
					])
				},
				{ node: N('iq', { from: SERVER, type: 'result', id: '41213.33016-3' }), compress: true }
			]
		})
	);
}

const noiseDoc = {
	generator: GENERATOR,
	description:
		'Noise_XX_25519_AESGCM_SHA256 transcripts. The client side of every handshake is Baileys\' own makeNoiseHandler (encodeFrame, decodeFrame, processHandshake, encrypt, finishInit); the server side is a responder written in the generator with Node crypto. Private keys are clamped X25519 scalars; fixed keys are clamp(SHA-256("wacrm-conformance-key:" + label)).',
	protocol_name_hex: hex(NOISE_NAME),
	test_root: {
		note: 'Test root of the certificate chain used by handshakes other than notes-2.7-baileys6. Signatures are XEdDSA made with Baileys Curve.sign (libsignal curve25519-js, deterministic when no random is supplied); verify them, do not expect to reproduce them.',
		priv_hex: hex(rootKey.priv),
		pub_hex: hex(rootKey.pub),
		intermediate_priv_hex: hex(intermediateKey.priv),
		intermediate_pub_hex: hex(intermediateKey.pub),
		intermediate_details: { serial: 7, issuerSerial: 0, key_hex: hex(intermediateKey.pub), notBefore: NOT_BEFORE, notAfter: NOT_AFTER },
		intermediate_details_hex: hex(certInfo[0].interDetails),
		intermediate_signature_hex: hex(certInfo[0].interSig),
		leaf_details: { serial: 4242, issuerSerial: 7, key: 'the handshake\'s server_static pub', notBefore: NOT_BEFORE, notAfter: NOT_AFTER },
		leaf_details_hex: hex(certInfo[0].leafDetails),
		leaf_signature_hex: hex(certInfo[0].leafSig)
	},
	handshakes
};

// ---------------------------------------------------------------------------------------------------------------
// 4. protobuf vectors (Baileys 7 WAProto; cross-checked against Baileys 6 WAProto)

const protoRoot = protobufjs.parse(fs.readFileSync(require.resolve('baileys/WAProto/WAProto.proto'), 'utf8'), { keepCase: true }).root;
protoRoot.resolveAll();

/** keys given to fromObject that did not survive (protobufjs silently drops unknown field names) */
const missingKeys = (o, j, p = '') => {
	const out = [];
	if (Array.isArray(o)) {
		o.forEach((x, i) => out.push(...missingKeys(x, j && j[i], `${p}${i}.`)));
	} else if (o && typeof o === 'object' && !(o instanceof Uint8Array)) {
		for (const k of Object.keys(o)) {
			if (o[k] === undefined) {
				continue;
			}
			if (!j || !(k in j)) {
				out.push(p + k);
			} else {
				out.push(...missingKeys(o[k], j[k], `${p}${k}.`));
			}
		}
	}
	return out;
};

/** walk the wire bytes with the schema and check that every message level is in field-number order */
const checkCanonicalOrder = (typeName, buf) => {
	const type = protoRoot.lookupType(typeName);
	const r = protobufjs.Reader.create(buf);
	let last = 0;
	let ok = true;
	while (r.pos < r.len) {
		const tag = r.uint32();
		const id = tag >>> 3;
		const wt = tag & 7;
		if (id < last) {
			ok = false;
		}
		last = id;
		const field = type.fieldsById[id];
		if (wt === 2) {
			const bytes = r.bytes();
			if (field) {
				field.resolve();
				if (field.resolvedType instanceof protobufjs.Type) {
					ok = checkCanonicalOrder(field.resolvedType.fullName.slice(1), bytes) && ok;
				}
			}
		} else {
			r.skipType(wt);
		}
	}
	return ok;
};

const lookup = (root, name) => name.split('.').reduce((a, k) => a[k], root);
const protoVectors = [];
const protoCross = [];
const addProto = (type, name, obj, note) => {
	const T7 = lookup(B7.proto, type);
	const bytes = Buffer.from(T7.encode(T7.fromObject(obj)).finish());
	const T6 = lookup(B6.proto, type);
	const bytes6 = Buffer.from(T6.encode(T6.fromObject(obj)).finish());
	if (!bytes6.equals(bytes)) {
		protoCross.push(name);
	}
	assert(checkCanonicalOrder('proto.' + type, bytes), `${name}: fields in number order`);
	const json = T7.decode(bytes).toJSON();
	const lost = missingKeys(obj, json);
	assert(lost.length === 0, `${name}: fields unknown to the schema: ${lost.join(', ')}`);
	// round trip through the JSON form
	assert(Buffer.from(T7.encode(T7.fromObject(json)).finish()).equals(bytes), `${name}: JSON round trip`);
	const v = { name, type: 'proto.' + type };
	if (!bytes6.equals(bytes)) {
		const lost6 = missingKeys(obj, T6.decode(bytes6).toJSON());
		const why = lost6.map((k) => {
			const val = k.split('.').reduce((a, x) => a && a[x], obj);
			return val instanceof Uint8Array && val.length === 0 ? `${k} (its fromObject drops empty bytes)` : `${k} (not in its schema)`;
		});
		note = (note ? note + '. ' : '') + `Baileys ${B6_VERSION} WAProto writes other bytes (${hex(bytes6)}), without ${why.join(', ') || '?'}`;
	}
	if (note) {
		v.note = note;
	}
	v.hex = hex(bytes);
	v.json = json;
	protoVectors.push(v);
	return bytes;
};

const media = (label) => ({
	mediaKey: B(label + '-mediakey', 32),
	fileSha256: sha256(label + '-plain'),
	fileEncSha256: sha256(label + '-enc'),
	directPath: `/v/t62.7118-24/12345678_${label}_n.enc?ccb=11-4&oh=01_Q5AaIA&oe=65A0B0C0&_nc_sid=5e03e0`,
	url: `https://mmg.whatsapp.net/v/t62.7118-24/12345678_${label}_n.enc?ccb=11-4&oh=01_Q5AaIA&oe=65A0B0C0&_nc_sid=5e03e0&mms3=true`,
	mediaKeyTimestamp: 1700000000
});
const ctxQuote = {
	stanzaId: mid(20),
	participant: PEER,
	quotedMessage: { conversation: 'Are we still on for Friday?' },
	mentionedJid: [PEER, '441234567890@s.whatsapp.net']
};

// notes section 4.10, asserted
assert(hex(addProto('Message', 'message-conversation', { conversation: 'hi' })) === '0a026869', 'notes 4.10 conversation');
assert(
	hex(
		addProto('Message', 'message-extended-text-quote-minimal', {
			extendedTextMessage: { text: 'ok', contextInfo: { stanzaId: 'ABC', participant: '111@s.whatsapp.net', quotedMessage: { conversation: 'q' } } }
		})
	) === '32250a026f6b8a011e0a03414243121231313140732e77686174736170702e6e65741a030a0171',
	'notes 4.10 extendedText'
);
assert(
	hex(
		addProto('Message', 'message-device-sent', {
			deviceSentMessage: { destinationJid: '222@s.whatsapp.net', message: { conversation: 'hi' } }
		})
	) === 'fa011a0a1232323240732e77686174736170702e6e657412040a026869',
	'notes 4.10 deviceSent'
);
addProto('Message', 'message-conversation-unicode', { conversation: 'Olá! 👋 Grüße — 你好' });
addProto('Message', 'message-extended-text-reply-mentions', {
	extendedTextMessage: {
		text: 'Yes! @447700900123 @441234567890 see you',
		contextInfo: { ...ctxQuote, isForwarded: true, forwardingScore: 2, expiration: 604800 }
	}
});
addProto('Message', 'message-extended-text-link-preview', {
	extendedTextMessage: {
		text: 'look https://example.com/article',
		matchedText: 'https://example.com/article',
		title: 'An article',
		description: 'Something worth reading',
		previewType: 'NONE',
		jpegThumbnail: B('thumb', 64)
	}
});
addProto('Message', 'message-image', {
	imageMessage: {
		...media('image'),
		mimetype: 'image/jpeg',
		caption: 'Sunset 🌅',
		fileLength: 123456,
		height: 1280,
		width: 960,
		jpegThumbnail: B('image-thumb', 48),
		contextInfo: { stanzaId: mid(21), participant: PEER, quotedMessage: { conversation: 'send a pic' } }
	}
});
addProto('Message', 'message-video-gif', {
	videoMessage: { ...media('video'), mimetype: 'video/mp4', caption: 'lol', fileLength: '5242880', seconds: 12, gifPlayback: true, height: 480, width: 640 }
});
addProto('Message', 'message-audio-ptt', {
	audioMessage: { ...media('audio'), mimetype: 'audio/ogg; codecs=opus', fileLength: 20480, seconds: 9, ptt: true, waveform: B('waveform', 64) }
});
addProto('Message', 'message-document', {
	documentMessage: {
		...media('document'),
		mimetype: 'application/pdf',
		title: 'Invoice 2024-001',
		fileLength: 987654,
		pageCount: 3,
		fileName: 'invoice-2024-001.pdf',
		caption: 'Here is the invoice'
	}
});
addProto('Message', 'message-sticker', {
	stickerMessage: { ...media('sticker'), mimetype: 'image/webp', height: 512, width: 512, fileLength: 34567, isAnimated: false }
});
addProto('Message', 'message-location', {
	locationMessage: {
		degreesLatitude: 51.5007292,
		degreesLongitude: -0.1246254,
		name: 'Big Ben',
		address: 'London SW1A 0AA, UK',
		url: 'https://maps.example.com/?q=51.5007292,-0.1246254'
	}
});
addProto('Message', 'message-live-location', {
	liveLocationMessage: {
		degreesLatitude: 48.8583701,
		degreesLongitude: 2.2944813,
		accuracyInMeters: 12,
		speedInMps: 1.5,
		degreesClockwiseFromMagneticNorth: 270,
		caption: 'on my way',
		sequenceNumber: '1700000000123',
		timeOffset: 60
	}
});
const vcard = (name, tel) => `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nTEL;type=CELL;type=VOICE;waid=${tel}:+${tel}\nEND:VCARD`;
addProto('Message', 'message-contact', { contactMessage: { displayName: 'Jane Roe', vcard: vcard('Jane Roe', '447700900123') } });
addProto('Message', 'message-contacts-array', {
	contactsArrayMessage: {
		displayName: '2 contacts',
		contacts: [
			{ displayName: 'Jane Roe', vcard: vcard('Jane Roe', '447700900123') },
			{ displayName: 'Juan Pérez', vcard: vcard('Juan Pérez', '5215512345678') }
		]
	}
});
addProto('Message', 'message-reaction', {
	reactionMessage: { key: { remoteJid: PEER, fromMe: true, id: mid(22) }, text: '❤️', senderTimestampMs: '1700000000123' }
});
addProto('Message', 'message-reaction-removed', {
	reactionMessage: { key: { remoteJid: GROUP, fromMe: false, id: mid(23), participant: PEER_LID }, text: '', senderTimestampMs: '1700000000456' }
});
addProto(
	'Message',
	'message-protocol-revoke',
	{ protocolMessage: { key: { remoteJid: PEER, fromMe: true, id: mid(24) }, type: 'REVOKE' } },
	'type REVOKE = 0 is written explicitly (proto2 has-bit)'
);
addProto('Message', 'message-edit', {
	editedMessage: {
		message: {
			protocolMessage: {
				key: { remoteJid: PEER, fromMe: true, id: mid(25) },
				type: 'MESSAGE_EDIT',
				editedMessage: { conversation: 'corrected text' },
				timestampMs: '1700000100000'
			}
		}
	}
});
addProto('Message', 'message-protocol-ephemeral-setting', {
	protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: 86400, ephemeralSettingTimestamp: '1700000000' }
});
addProto('Message', 'message-protocol-history-sync-notification', {
	protocolMessage: {
		type: 'HISTORY_SYNC_NOTIFICATION',
		historySyncNotification: {
			fileSha256: sha256('hs-plain'),
			fileLength: 345678,
			mediaKey: B('hs-mediakey', 32),
			fileEncSha256: sha256('hs-enc'),
			directPath: '/v/t62.36145-24/12345678_987654321_n.enc?ccb=11-4',
			syncType: 'INITIAL_BOOTSTRAP',
			chunkOrder: 1,
			originalMessageId: mid(26),
			progress: 10
		}
	}
});
addProto('Message', 'message-protocol-app-state-key-share', {
	protocolMessage: {
		type: 'APP_STATE_SYNC_KEY_SHARE',
		appStateSyncKeyShare: {
			keys: [
				{
					keyId: { keyId: unhex('000000001a2b') },
					keyData: { keyData: B('app-state-key', 32), fingerprint: { rawId: 12345, currentIndex: 2, deviceIndexes: [0, 12] }, timestamp: '1700000000000' }
				}
			]
		}
	}
});
addProto('Message', 'message-ephemeral-wrapper', {
	ephemeralMessage: { message: { extendedTextMessage: { text: 'disappearing', contextInfo: { expiration: 604800, ephemeralSettingTimestamp: '1699990000' } } } }
});
addProto('Message', 'message-view-once', {
	viewOnceMessage: { message: { imageMessage: { ...media('vo-image'), mimetype: 'image/jpeg', fileLength: 54321, viewOnce: true } } }
});
addProto('Message', 'message-view-once-v2', {
	viewOnceMessageV2: { message: { videoMessage: { ...media('vo-video'), mimetype: 'video/mp4', seconds: 5, fileLength: 65432, viewOnce: true } } }
});
addProto('Message', 'message-document-with-caption', {
	documentWithCaptionMessage: {
		message: { documentMessage: { ...media('doc-caption'), mimetype: 'text/plain', fileName: 'notes.txt', fileLength: 42, caption: 'my notes' } }
	}
});
addProto('Message', 'message-poll-creation-v3', {
	pollCreationMessageV3: {
		name: 'Dinner?',
		options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }, { optionName: 'Tacos 🌮' }],
		selectableOptionsCount: 1
	},
	messageContextInfo: { messageSecret: B('poll-secret', 32) }
});
addProto('Message', 'message-poll-creation', {
	pollCreationMessage: { name: 'Pick any', options: [{ optionName: 'A' }, { optionName: 'B' }], selectableOptionsCount: 0 },
	messageContextInfo: { messageSecret: B('poll-secret-2', 32) }
});
addProto('Message', 'message-poll-update', {
	pollUpdateMessage: {
		pollCreationMessageKey: { remoteJid: GROUP, fromMe: false, id: mid(27), participant: PEER_LID },
		vote: { encPayload: B('vote-payload', 48), encIv: B('vote-iv', 12) },
		senderTimestampMs: '1700000000789'
	}
});
addProto('Message', 'message-skdm-with-text', {
	senderKeyDistributionMessage: { groupId: GROUP, axolotlSenderKeyDistributionMessage: Buffer.concat([Buffer.from([0x33]), B('skdm', 70)]) },
	conversation: 'first message to the group'
});
addProto('Message', 'message-context-info-device-list', {
	conversation: 'hello',
	messageContextInfo: {
		deviceListMetadata: { senderKeyHash: B('skh', 10), senderTimestamp: '1699000000', recipientKeyHash: B('rkh', 10), recipientTimestamp: '1699500000' },
		deviceListMetadataVersion: 2,
		messageSecret: B('msg-secret', 32)
	}
});
addProto('Message', 'message-group-invite', {
	groupInviteMessage: { groupJid: GROUP, inviteCode: 'AbCdEfGhIjKlMnOpQrStUv', inviteExpiration: '1700604800', groupName: 'Family 🏡', caption: 'join us' }
});

// ClientPayload: the notes' section 3.4 login payload (asserted), and Baileys' own generators
assert(
	hex(
		addProto(
			'ClientPayload',
			'client-payload-login-notes-3.4',
			{
				username: 15551234567,
				passive: true,
				userAgent: {
					platform: 'WEB',
					appVersion: { primary: 2, secondary: 3000, tertiary: 1045649367 },
					mcc: '000',
					mnc: '000',
					osVersion: '0.1',
					device: 'Desktop',
					osBuildNumber: '0.1',
					releaseChannel: 'RELEASE',
					localeLanguageIso6391: 'en',
					localeCountryIso31661Alpha2: 'US'
				},
				webInfo: { webSubPlatform: 'WEB_BROWSER' },
				connectType: 'WIFI_UNKNOWN',
				connectReason: 'USER_ACTIVATED',
				device: 12,
				pull: true
			},
			'the annotated login payload of the protocol notes section 3.4'
		)
	) ===
		hex(
			unhex(`08 87 84 b4 f7 39  18 01
				2a 36 08 0e 12 0b 08 02 10 b8 17 18 d7 af cd f2 03 1a 03 30 30 30 22 03 30 30 30 2a 03 30 2e 31
				3a 07 44 65 73 6b 74 6f 70 42 03 30 2e 31 50 00 5a 02 65 6e 62 02 55 53
				32 02 20 00  60 01  68 01  90 01 0c  88 02 01`)
		),
	'notes 3.4 login payload'
);
{
	const CP = B7.proto.ClientPayload;
	const loginJson = CP.decode(loginPayload7).toJSON();
	addProto('ClientPayload', 'client-payload-login-baileys7', loginJson, 'Baileys 7 generateLoginNode("15551234567:12@s.whatsapp.net", version 2.3000.1045649367, browser Ubuntu/Chrome)');
	const reg7 = B7.proto.ClientPayload.encode(
		B7.generateRegistrationNode(regCreds, { version: [2, 3000, 1045649367], browser: ['Ubuntu', 'Chrome', '22.04'], countryCode: 'US', syncFullHistory: false })
	).finish();
	addProto('ClientPayload', 'client-payload-registration-baileys7', CP.decode(reg7).toJSON(), 'Baileys 7 generateRegistrationNode with the fixed credentials of noise-handshake.json (registration id 12345, signed pre-key id 1)');
	addProto('ClientPayload', 'client-payload-registration-baileys6', B6.proto.ClientPayload.decode(regPayload6).toJSON(), 'Baileys 6 generateRegistrationNode (the payload of the baileys6-registration-v2 handshake)');
	const dp = B7.proto.ClientPayload.decode(reg7).devicePairingData.deviceProps;
	addProto('DeviceProps', 'device-props-baileys7', B7.proto.DeviceProps.decode(dp).toJSON(), 'the deviceProps bytes inside client-payload-registration-baileys7');
}

// Handshake messages, the certificate chain: taken from the Baileys 7 handshake
{
	const hs = handshakes.find((h) => h.name === 'baileys7-login-v3');
	const HM = B7.proto.HandshakeMessage;
	for (const [k, label] of [
		['client_hello', 'handshake-client-hello'],
		['server_hello', 'handshake-server-hello'],
		['client_finish', 'handshake-client-finish']
	]) {
		addProto('HandshakeMessage', label, HM.decode(unhex(hs[k].handshake_message_hex)).toJSON(), 'from the baileys7-login-v3 handshake');
	}
	addProto('CertChain', 'cert-chain', B7.proto.CertChain.decode(certInfo[0].chain).toJSON(), 'the test chain of noise-handshake.json');
	addProto('CertChain.NoiseCertificate.Details', 'cert-details-intermediate', B7.proto.CertChain.NoiseCertificate.Details.decode(certInfo[0].interDetails).toJSON());
	addProto('CertChain.NoiseCertificate.Details', 'cert-details-leaf', B7.proto.CertChain.NoiseCertificate.Details.decode(certInfo[0].leafDetails).toJSON());
}

// ADV (pairing): the phone side is built here with fixed keys; Baileys 7 configureSuccessfulPairing verifies it and signs
const advInputs = {};
{
	const P = B7.proto;
	const phoneIdentity = fixedKey('phone-account-identity');
	const advSecret = B('adv-secret', 32);
	const deviceDetails = Buffer.from(P.ADVDeviceIdentity.encode({ rawId: 987654321, timestamp: 1700000000, keyIndex: 3 }).finish());
	addProto('ADVDeviceIdentity', 'adv-device-identity', P.ADVDeviceIdentity.decode(deviceDetails).toJSON());
	const accountSignature = Buffer.from(B7.Curve.sign(phoneIdentity.priv, Buffer.concat([unhex('0600'), deviceDetails, identityKey.pub])));
	const signedFromPhone = Buffer.from(
		P.ADVSignedDeviceIdentity.encode({ details: deviceDetails, accountSignatureKey: phoneIdentity.pub, accountSignature }).finish()
	);
	addProto('ADVSignedDeviceIdentity', 'adv-signed-device-identity-from-phone', P.ADVSignedDeviceIdentity.decode(signedFromPhone).toJSON(), 'accountSignature = XEdDSA(phone identity, 06 00 || details || companion identity pub)');
	const hmacBytes = hmac(advSecret, signedFromPhone);
	const hmacMsg = Buffer.from(P.ADVSignedDeviceIdentityHMAC.encode({ details: signedFromPhone, hmac: hmacBytes }).finish());
	addProto('ADVSignedDeviceIdentityHMAC', 'adv-signed-device-identity-hmac', P.ADVSignedDeviceIdentityHMAC.decode(hmacMsg).toJSON(), 'hmac = HMAC-SHA256(adv secret, details)');
	const pairSuccess = N('iq', { from: SERVER, type: 'set', id: '1234567890', xmlns: 'md' }, [
		N('pair-success', {}, [
			N('device-identity', {}, hmacMsg),
			N('platform', { name: 'android' }),
			N('device', { jid: ME_DEV, lid: ME_LID_DEV }),
			N('biz', { name: '' })
		])
	]);
	const { reply, creds } = B7.configureSuccessfulPairing(pairSuccess, {
		advSecretKey: advSecret.toString('base64'),
		signedIdentityKey: { private: identityKey.priv, public: identityKey.pub },
		signalIdentities: []
	});
	const replyBytes = reply.content[0].content[0].content;
	addProto('ADVSignedDeviceIdentity', 'adv-signed-device-identity-reply', P.ADVSignedDeviceIdentity.decode(replyBytes).toJSON(), 'what Baileys 7 configureSuccessfulPairing sends back: accountSignatureKey removed, deviceSignature = XEdDSA(companion identity, 06 01 || details || companion identity pub || phone identity pub)');
	assert(creds.me.id === ME_DEV, 'pairing accepted');
	advInputs.note = 'Inputs of the adv-* vectors. The phone side (account signature, HMAC) is built by the generator; Baileys 7 configureSuccessfulPairing verified it and produced adv-signed-device-identity-reply and the pair-device-sign reply below. Signatures are XEdDSA (verify, do not expect to reproduce).';
	advInputs.adv_secret_hex = hex(advSecret);
	advInputs.phone_identity = { priv_hex: hex(phoneIdentity.priv), pub_hex: hex(phoneIdentity.pub) };
	advInputs.companion_identity = { priv_hex: hex(identityKey.priv), pub_hex: hex(identityKey.pub) };
	advInputs.pair_success_node = nodeToJson(pairSuccess);
	advInputs.pair_device_sign_reply_node = nodeToJson(reply);
	const ks = Buffer.from(P.ADVKeyIndexList.encode({ rawId: 987654321, timestamp: 1700000000, currentIndex: 3, validIndexes: [0, 3] }).finish());
	addProto('ADVKeyIndexList', 'adv-key-index-list', P.ADVKeyIndexList.decode(ks).toJSON());
	addProto('ADVSignedKeyIndexList', 'adv-signed-key-index-list', {
		details: ks,
		accountSignature: Buffer.from(B7.Curve.sign(phoneIdentity.priv, Buffer.concat([unhex('0602'), ks])))
	});
}

// WebMessageInfo, HistorySync, SyncActionData
const wmiText = {
	key: { remoteJid: PEER, fromMe: false, id: mid(30) },
	message: { conversation: 'hello from history' },
	messageTimestamp: 1700000000,
	status: 'READ',
	pushName: 'Alice'
};
addProto('WebMessageInfo', 'web-message-info-text', wmiText);
addProto('WebMessageInfo', 'web-message-info-group-stub', {
	key: { remoteJid: GROUP, fromMe: false, id: mid(31), participant: PEER_LID },
	messageTimestamp: 1700000001,
	participant: PEER_LID,
	messageStubType: 'GROUP_PARTICIPANT_ADD',
	messageStubParameters: ['441234567890@s.whatsapp.net', '22222222222222@lid']
});
addProto('WebMessageInfo', 'web-message-info-from-me-reactions', {
	key: { remoteJid: GROUP, fromMe: true, id: mid(32) },
	message: { extendedTextMessage: { text: 'see everyone there', contextInfo: { mentionedJid: [PEER_LID] } } },
	messageTimestamp: 1700000002,
	status: 'SERVER_ACK',
	starred: true,
	reactions: [{ key: { remoteJid: GROUP, fromMe: false, id: mid(33), participant: PEER_LID }, text: '👍', senderTimestampMs: '1700000003000' }],
	userReceipt: [{ userJid: PEER_LID, receiptTimestamp: 1700000004, readTimestamp: 1700000005 }]
});
addProto('HistorySync', 'history-sync-initial', {
	syncType: 'INITIAL_BOOTSTRAP',
	conversations: [
		{
			id: PEER,
			messages: [{ message: wmiText, msgOrderId: 1 }],
			unreadCount: 1,
			conversationTimestamp: 1700000000,
			name: 'Alice',
			pnJid: PEER,
			lidJid: PEER_LID
		},
		{
			id: GROUP,
			name: 'Family 🏡',
			archived: true,
			muteEndTime: '1700086400',
			isParentGroup: false,
			isDefaultSubgroup: false,
			parentGroupId: '120363000000000001@g.us'
		}
	],
	pushnames: [{ id: PEER, pushname: 'Alice' }],
	chunkOrder: 0,
	progress: 100
}, 'Conversation fields 35/36/37 are declared out of order in WAProto.proto; the encoder still writes them in number order');
addProto('SyncActionData', 'sync-action-contact', {
	index: Buffer.from(JSON.stringify(['contact', PEER])),
	value: { timestamp: '1700000000000', contactAction: { fullName: 'Alice Example', firstName: 'Alice', lidJid: PEER_LID } },
	padding: Buffer.alloc(0),
	version: 2
});
addProto('SyncActionData', 'sync-action-mute', {
	index: Buffer.from(JSON.stringify(['mute', GROUP])),
	value: { timestamp: '1700000000001', muteAction: { muted: true, muteEndTimestamp: '1700086400000' } },
	padding: B('padding', 3),
	version: 2
});
addProto('SyncActionData', 'sync-action-archive', {
	index: Buffer.from(JSON.stringify(['archive', PEER])),
	value: {
		timestamp: '1700000000002',
		archiveChatAction: {
			archived: true,
			messageRange: { lastMessageTimestamp: '1700000000', messages: [{ key: { remoteJid: PEER, fromMe: false, id: mid(30) }, timestamp: '1700000000' }] }
		}
	},
	version: 2
});
addProto('SyncActionData', 'sync-action-pin', {
	index: Buffer.from(JSON.stringify(['pin_v1', PEER])),
	value: { timestamp: '1700000000003', pinAction: { pinned: true } },
	version: 5
});
addProto('SyncActionData', 'sync-action-label-edit', {
	index: Buffer.from(JSON.stringify(['label_edit', '3'])),
	value: { timestamp: '1700000000004', labelEditAction: { name: 'Customers', color: 4, predefinedId: 0, deleted: false } },
	version: 3
});
addProto('Message.SenderKeyDistributionMessage', 'message-sender-key-distribution-message', {
	groupId: GROUP,
	axolotlSenderKeyDistributionMessage: Buffer.concat([Buffer.from([0x33]), B('skdm2', 70)])
});
// the Signal wire structures (after their one-byte version prefix) as declared in WAProto.proto
addProto('SenderKeyDistributionMessage', 'signal-sender-key-distribution-message', {
	id: 123456789,
	iteration: 0,
	chainKey: B('sk-chain', 32),
	signingKey: Buffer.concat([Buffer.from([5]), B('sk-signing', 32)])
});
addProto('SenderKeyMessage', 'signal-sender-key-message', { id: 123456789, iteration: 7, ciphertext: B('sk-ct', 48) });
addProto('SignalMessage', 'signal-message', {
	ratchetKey: Buffer.concat([Buffer.from([5]), B('ratchet', 32)]),
	counter: 3,
	previousCounter: 1,
	ciphertext: B('signal-ct', 64)
});
addProto('PreKeySignalMessage', 'signal-pre-key-message', {
	registrationId: 12345,
	preKeyId: 1000,
	signedPreKeyId: 1,
	baseKey: Buffer.concat([Buffer.from([5]), B('base', 32)]),
	identityKey: Buffer.concat([Buffer.from([5]), identityKey.pub]),
	message: B('inner-signal-message', 90)
}, 'declared in WAProto.proto in the order 5, 1, 6, 2, 3, 4');

const protobufDoc = {
	generator: GENERATOR,
	description: `Protobuf messages serialized by Baileys ${B7_VERSION} WAProto (static protobufjs code). "json" is protobufjs toJSON() of the decoded bytes: proto field names, enums as names, 64-bit integers as decimal strings, bytes as standard base64. Every vector was also encoded with Baileys ${B6_VERSION} WAProto; see README for the differences.`,
	baileys_version: B7_VERSION,
	adv_inputs: advInputs,
	vectors: protoVectors
};
if (protoCross.length) {
	warn(`protobuf: Baileys 6 WAProto encodes differently: ${protoCross.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// 5. write

writeJson('tokens/wabinary-tokens-v2.json', v2Tables);
writeJson('vectors/nodes-v3.json', nodesV3);
writeJson('vectors/nodes-v2.json', nodesV2);
writeJson('vectors/noise-handshake.json', noiseDoc);
writeJson('vectors/protobuf.json', protobufDoc);

const summary = {
	nodes: nodeStats,
	protobuf: { total: protoVectors.length, baileys6_differs: protoCross },
	noise: handshakes.map((h) => `${h.name}: ${h.frames.length} transport frames`),
	warnings
};
process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
