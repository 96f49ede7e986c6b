// Signal ciphertexts made by Baileys' own Signal code, for baileys_interop_test.cc.
//
// Our decryption agreeing with our own encryption proves little; these bytes
// come from implementations we did not write: libsignal-node (Baileys' one-to-one
// Signal) and the sender-key code of Baileys 6 (WASignalGroup) and Baileys 7
// (lib/Signal/Group). "Bob" is us: his keys are made here and written out,
// private halves included, so the C++ test can stand in his place.
//
// Uses the Node packages of tests/conformance (tests/conformance/install.sh).
// Regenerate from the repository root:
//     node tests/signal/gen_baileys_vectors.mjs
// Keys and ciphertexts are random on every run (libsignal-node draws its own
// ephemeral keys); any run's output is an equally valid vector file.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONFORMANCE = path.join(HERE, '..', 'conformance');
const require = createRequire(path.join(CONFORMANCE, 'package.json'));

const libsignal = require('libsignal');
const B6Group = require('baileys6/WASignalGroup');
const B7Group = await import(pathToFileURL(path.join(CONFORMANCE, 'node_modules/baileys/lib/Signal/Group/index.js')));
const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(CONFORMANCE, 'node_modules', name, 'package.json'))).version;

const hex = (b) => Buffer.from(b).toString('hex');
const wire = (pub33) => {
  if (pub33.length !== 33 || pub33[0] !== 5) throw new Error('expected a 33-byte 0x05 key');
  return pub33.subarray(1);
};
// WhatsApp's padding (notes §1.5) with a fixed length, so the vectors say what to expect.
const pad = (text, n) => Buffer.concat([Buffer.from(text), Buffer.alloc(n, n)]);

// --- Bob: our side.
const bob = {
  name: '491700000002',
  identity: libsignal.keyhelper.generateIdentityKeyPair(),
  registrationId: libsignal.keyhelper.generateRegistrationId(),
};
bob.signedPreKey = libsignal.keyhelper.generateSignedPreKey(bob.identity, 1);
bob.preKey = libsignal.keyhelper.generatePreKey(31);

// --- A Baileys device sending to Bob (libsignal-node storage, in memory).
function baileysDevice(name, device) {
  const identity = libsignal.keyhelper.generateIdentityKeyPair();
  const registrationId = libsignal.keyhelper.generateRegistrationId();
  const sessions = new Map();
  const storage = {
    getOurIdentity: async () => identity,
    getOurRegistrationId: async () => registrationId,
    isTrustedIdentity: async () => true,
    loadSession: async (id) => (sessions.has(id) ? libsignal.SessionRecord.deserialize(sessions.get(id)) : undefined),
    storeSession: async (id, record) => sessions.set(id, record.serialize()),
  };
  return { name, device, identity, registrationId, storage };
}

async function oneToOne(sender, withPreKey, texts) {
  const bobAddress = new libsignal.ProtocolAddress(bob.name, 0);
  await new libsignal.SessionBuilder(sender.storage, bobAddress).initOutgoing({
    registrationId: bob.registrationId,
    identityKey: bob.identity.pubKey,
    signedPreKey: {
      keyId: bob.signedPreKey.keyId,
      publicKey: bob.signedPreKey.keyPair.pubKey,
      signature: bob.signedPreKey.signature,
    },
    preKey: withPreKey ? { keyId: bob.preKey.keyId, publicKey: bob.preKey.keyPair.pubKey } : undefined,
  });
  const cipher = new libsignal.SessionCipher(sender.storage, bobAddress);
  const messages = [];
  for (const [i, text] of texts.entries()) {
    const plaintext = pad(text, 1 + (i % 15));
    const { type, body } = await cipher.encrypt(plaintext);
    messages.push({ type: type === 3 ? 'pkmsg' : 'msg', ciphertext: hex(body), plaintext: hex(plaintext) });
  }
  return {
    sender: { name: sender.name, device: sender.device },
    sender_identity: hex(wire(sender.identity.pubKey)),
    uses_one_time_pre_key: withPreKey,
    messages,
  };
}

// --- Sender keys: one Baileys sender in a group.
// Records stay live objects: the two versions serialize them differently.
function senderKeyStorage(Record) {
  const records = new Map();
  return {
    loadSenderKey: async (name) => records.get(name.toString()) ?? new Record(),
    storeSenderKey: async (name, record) => records.set(name.toString(), record),
  };
}

async function group(label, Group, sender, texts) {
  const groupJid = '120363000000000001@g.us';
  const storage = senderKeyStorage(Group.SenderKeyRecord);
  const name = new Group.SenderKeyName(groupJid, new libsignal.ProtocolAddress(sender.name, sender.device));
  const skdm = await new Group.GroupSessionBuilder(storage).create(name);
  const cipher = new Group.GroupCipher(storage, name);
  const messages = [];
  for (const [i, text] of texts.entries()) {
    const plaintext = pad(text, 15 - (i % 15));
    messages.push({ ciphertext: hex(await cipher.encrypt(plaintext)), plaintext: hex(plaintext) });
  }
  return { implementation: label, group: groupJid, sender, skdm: hex(skdm.serialize()), messages };
}

const alice = baileysDevice('491700000001', 0);
const aliceLaptop = baileysDevice('491700000001', 7);
const out = {
  generator: 'tests/signal/gen_baileys_vectors.mjs',
  description: 'Signal messages to "bob" made by libsignal-node and Baileys sender-key code; bob\'s keys included',
  libsignal_node_version: versionOf('libsignal'),
  baileys_versions: { baileys6: versionOf('baileys6'), baileys: versionOf('baileys') },
  bob: {
    name: bob.name,
    identity_public: hex(wire(bob.identity.pubKey)),
    identity_private: hex(bob.identity.privKey),
    registration_id: bob.registrationId,
    signed_pre_key: {
      id: bob.signedPreKey.keyId,
      public: hex(wire(bob.signedPreKey.keyPair.pubKey)),
      private: hex(bob.signedPreKey.keyPair.privKey),
      signature: hex(bob.signedPreKey.signature),
    },
    pre_key: { id: bob.preKey.keyId, public: hex(wire(bob.preKey.keyPair.pubKey)), private: hex(bob.preKey.keyPair.privKey) },
  },
  one_to_one: [
    await oneToOne(alice, true, ['hello from baileys', 'second, still a pkmsg', 'third']),
    await oneToOne(aliceLaptop, false, ['from a device that found no one-time pre-key']),
  ],
  groups: [
    await group(`baileys ${versionOf('baileys6')} WASignalGroup`, B6Group,
                { name: '491700000001', device: 0 }, ['g1', 'g2', 'g3', 'g4']),
    await group(`baileys ${versionOf('baileys')} Signal/Group`, B7Group,
                { name: '491700000003', device: 2 }, ['h1', 'h2', 'h3', 'h4']),
  ],
};
const file = path.join(HERE, 'vectors', 'baileys-signal.json');
fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify({ wrote: path.relative(path.join(HERE, '..', '..'), file),
  one_to_one: out.one_to_one.map((c) => c.messages.map((m) => m.type)),
  groups: out.groups.map((g) => `${g.implementation}: ${g.messages.length}`) }));
