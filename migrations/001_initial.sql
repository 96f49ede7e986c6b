-- wacrm schema, version 1.
--
-- Applied by the daemon's migration runner inside one transaction under an
-- advisory lock, then recorded in schema_migrations (which the runner creates).
-- Every table that holds per-account data carries account_id so one daemon can
-- serve several linked WhatsApp accounts (household members) side by side.

-- Full-text search: a 'simple' configuration with accents folded, so search
-- works the same in any language (no stemming, no stop words).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION wacrm_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION wacrm_search
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
  WITH unaccent, simple;

-- The person who links a WhatsApp number. A daemon serves several.
CREATE TABLE accounts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE
              CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- Filled in when linked: our own device JID ("15551234567:12@s.whatsapp.net")
  -- and LID ("123456789:12@lid"), and the name the phone shows for us.
  jid         text,
  lid         text,
  push_name   text,
  link_state  text NOT NULL DEFAULT 'unlinked'
              CHECK (link_state IN ('unlinked', 'linked', 'logged_out')),
  linked_at   timestamptz,
  logged_out_at timestamptz,
  logged_out_reason text
);

-- The companion device's long-term secrets. Deleted on logout (the account's
-- messages and CRM data stay). Keys are raw 32-byte Curve25519 values.
CREATE TABLE device_credentials (
  account_id              bigint PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  noise_private           bytea NOT NULL,
  noise_public            bytea NOT NULL,
  identity_private        bytea NOT NULL,
  identity_public         bytea NOT NULL,
  registration_id         integer NOT NULL,
  signed_prekey_id        integer NOT NULL,
  signed_prekey_private   bytea NOT NULL,
  signed_prekey_public    bytea NOT NULL,
  signed_prekey_signature bytea NOT NULL,
  adv_secret              bytea NOT NULL,
  -- ADVSignedDeviceIdentity (with account signature and our device signature)
  -- as received in pair-success and re-sent in the login payload.
  adv_signed_identity     bytea,
  platform                text,
  business_name           text,
  -- Pre-key ids are allocated upward; everything below next_prekey_id exists.
  next_prekey_id          integer NOT NULL DEFAULT 1,
  server_has_prekeys      boolean NOT NULL DEFAULT false,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- Signal protocol stores (libsignal-protocol-c records, serialized by the library).
-- An address is (name, device_id), name being the user part of a JID.
CREATE TABLE signal_identities (
  account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name        text NOT NULL,
  device_id   integer NOT NULL,
  identity_key bytea NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, name, device_id)
);

CREATE TABLE signal_sessions (
  account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name        text NOT NULL,
  device_id   integer NOT NULL,
  record      bytea NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, name, device_id)
);

CREATE TABLE signal_prekeys (
  account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  key_id      integer NOT NULL,
  record      bytea NOT NULL,
  uploaded    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (account_id, key_id)
);

CREATE TABLE signal_signed_prekeys (
  account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  key_id      integer NOT NULL,
  record      bytea NOT NULL,
  PRIMARY KEY (account_id, key_id)
);

CREATE TABLE signal_sender_keys (
  account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  group_id    text NOT NULL,
  sender_name text NOT NULL,
  sender_device integer NOT NULL,
  record      bytea NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, group_id, sender_name, sender_device)
);

-- People and groups as this account knows them. One row per person: when the
-- server tells us a LID and a phone number belong together, both go on one row.
-- merged_into lets the user declare two rows the same person, reversibly; CRM
-- views fold a merged row into its target.
CREATE TABLE contacts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  jid          text NOT NULL,            -- primary address: phone JID, LID or group JID
  lid          text,                     -- "…@lid" when known
  phone        text,                     -- E.164 digits without '+', when known
  push_name    text,                     -- what they call themselves
  full_name    text,                     -- from the address book (app state)
  first_name   text,
  business_name text,
  is_group     boolean NOT NULL DEFAULT false,
  cadence_days integer CHECK (cadence_days IS NULL OR cadence_days > 0),
  attention_excluded boolean NOT NULL DEFAULT false,
  merged_into  bigint REFERENCES contacts(id) ON DELETE SET NULL,
  last_inbound_at  timestamptz,
  last_outbound_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, jid),
  CHECK (merged_into IS NULL OR merged_into <> id)
);
CREATE UNIQUE INDEX contacts_account_lid ON contacts (account_id, lid) WHERE lid IS NOT NULL;
CREATE INDEX contacts_merged_into ON contacts (merged_into) WHERE merged_into IS NOT NULL;

-- LID <-> phone-number pairs as the server reports them.
CREATE TABLE lid_mappings (
  account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  lid         text NOT NULL,   -- user part + "@lid"
  pn          text NOT NULL,   -- user part + "@s.whatsapp.net"
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, lid)
);
CREATE INDEX lid_mappings_pn ON lid_mappings (account_id, pn);

-- Timestamped notes: each is an entry, never an overwritten string.
CREATE TABLE contact_notes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  body        text NOT NULL CHECK (length(body) > 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_notes_contact ON contact_notes (contact_id, created_at);

CREATE TABLE contact_tags (
  contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  tag         text NOT NULL CHECK (tag ~ '^[^[:space:]]{1,64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_tag ON contact_tags (tag);

-- Conversations: one per chat JID (a person or a group).
CREATE TABLE chats (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  jid          text NOT NULL,
  contact_id   bigint REFERENCES contacts(id) ON DELETE SET NULL,  -- the person, for 1:1 chats
  is_group     boolean NOT NULL DEFAULT false,
  subject      text,                                                -- group name
  archived     boolean NOT NULL DEFAULT false,
  muted_until  timestamptz,
  last_message_at timestamptz,
  -- "Pending reply" dismissed by the user: hidden until an inbound message
  -- newer than this arrives.
  pending_dismissed_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, jid)
);
CREATE INDEX chats_account_last ON chats (account_id, last_message_at DESC);
CREATE INDEX chats_contact ON chats (contact_id);

CREATE TABLE group_participants (
  chat_id     bigint NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  jid         text NOT NULL,
  role        text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin', 'superadmin')),
  PRIMARY KEY (chat_id, jid)
);

-- Every message, once. A WhatsApp message id is unique only together with the
-- chat and the sender, hence the composite key.
CREATE TABLE messages (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  chat_id       bigint NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  wa_id         text NOT NULL,
  sender_jid    text NOT NULL,          -- the author (our own JID for from_me)
  sender_contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL,
  from_me       boolean NOT NULL,
  sent_at       timestamptz NOT NULL,   -- the stanza's t
  received_at   timestamptz NOT NULL DEFAULT now(),
  kind          text NOT NULL CHECK (kind IN (
                  'text', 'image', 'video', 'audio', 'voice', 'document', 'sticker',
                  'location', 'live_location', 'contact', 'contacts', 'reaction',
                  'poll', 'poll_vote', 'edit', 'revoke', 'system', 'placeholder', 'other')),
  body          text,                   -- text, caption, reaction emoji, poll question
  file_name     text,                   -- document file name (searchable)
  quoted_wa_id  text,                   -- the message this one replies to
  target_wa_id  text,                   -- reaction/edit/revoke: the message acted on
  push_name     text,                   -- sender's push name at the time
  status        text CHECK (status IN ('sent', 'server_ack', 'delivered', 'read', 'played', 'failed')),
  deleted_at    timestamptz,            -- revoked by the sender; body kept
  edited_at     timestamptz,            -- last edit applied; history in message_edits
  decrypt_error text,                   -- set on placeholders for undecryptable messages
  raw           bytea,                  -- the decrypted Message protobuf, as received
  search        tsvector GENERATED ALWAYS AS (
                  to_tsvector('wacrm_search'::regconfig,
                              coalesce(body, '') || ' ' || coalesce(file_name, ''))) STORED,
  UNIQUE (account_id, chat_id, wa_id, sender_jid)
);
CREATE INDEX messages_chat_time ON messages (chat_id, sent_at DESC);
CREATE INDEX messages_account_time ON messages (account_id, sent_at DESC);
CREATE INDEX messages_sender_contact ON messages (sender_contact_id, sent_at);
CREATE INDEX messages_target ON messages (chat_id, target_wa_id) WHERE target_wa_id IS NOT NULL;
CREATE INDEX messages_search ON messages USING gin (search);

-- Earlier versions of an edited message.
CREATE TABLE message_edits (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id  bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  edited_at   timestamptz NOT NULL,
  previous_body text,
  raw         bytea
);
CREATE INDEX message_edits_message ON message_edits (message_id, edited_at);

-- Media metadata (downloading is separate; local_path is set once fetched).
CREATE TABLE media (
  message_id      bigint PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  mimetype        text,
  file_length     bigint,
  file_sha256     bytea,
  file_enc_sha256 bytea,
  media_key       bytea,
  direct_path     text,
  url             text,
  width           integer,
  height          integer,
  duration_seconds integer,
  local_path      text,
  downloaded_at   timestamptz
);

CREATE TABLE reminders (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id  bigint REFERENCES contacts(id) ON DELETE CASCADE,
  body        text NOT NULL DEFAULT '',
  due_at      timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  done_at     timestamptz,
  notified_at timestamptz   -- when the due event was raised, so it is raised once
);
CREATE INDEX reminders_due ON reminders (account_id, due_at) WHERE done_at IS NULL;
