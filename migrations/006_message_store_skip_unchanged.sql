-- wacrm schema, version 6: a stored message rewrites its contact and chat
-- rows only when it changes them (issue 6's throughput target).
-- wacrm_store_message (version 4) updated the sender's contact and the chat
-- on every message, although message times have whole-second resolution and
-- a busy person's messages mostly leave push name and last-interaction times
-- as they were. Each such update left a dead row version that every later
-- look-up of the row (the next message, find_many's chat join) stepped over.
-- Now the row is read first and written only when a value moves. Trade-off:
-- contacts.updated_at is the last change of the row, no longer the last
-- message that touched it (nothing reads it).

CREATE OR REPLACE FUNCTION wacrm_upsert_contact(p_account bigint, p_jid text, p_lid text, p_phone text,
                                                p_push_name text, p_inbound_us bigint, p_outbound_us bigint,
                                                p_is_group boolean)
  RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  found_id bigint;
  found_push text;
  found_in timestamptz;
  found_out timestamptz;
  inbound timestamptz := crm_from_epoch_us(p_inbound_us);
  outbound timestamptz := crm_from_epoch_us(p_outbound_us);
BEGIN
  SELECT id, push_name, last_inbound_at, last_outbound_at INTO found_id, found_push, found_in, found_out
  FROM contacts
  WHERE account_id = p_account AND (jid = p_jid OR (p_lid IS NOT NULL AND lid = p_lid))
  ORDER BY (jid = p_jid) DESC LIMIT 1;
  IF found_id IS NOT NULL THEN
    IF (p_push_name IS NOT NULL AND p_push_name IS DISTINCT FROM found_push)
       OR coalesce(inbound > coalesce(found_in, '-infinity'), false)
       OR coalesce(outbound > coalesce(found_out, '-infinity'), false) THEN
      UPDATE contacts c SET
        push_name = coalesce(p_push_name, c.push_name),
        last_inbound_at = greatest(c.last_inbound_at, inbound),
        last_outbound_at = greatest(c.last_outbound_at, outbound),
        updated_at = now()
      WHERE c.id = found_id;
    END IF;
    RETURN found_id;
  END IF;
  INSERT INTO contacts (account_id, jid, lid, phone, push_name, last_inbound_at, last_outbound_at, is_group)
  VALUES (p_account, p_jid, p_lid, p_phone, p_push_name, inbound, outbound, p_is_group)
  RETURNING id INTO found_id;
  RETURN found_id;
END $$;

-- The chat row for `p_chat_jid`, made or moved forward only when needed;
-- returns its id.
CREATE FUNCTION wacrm_upsert_chat(p_account bigint, p_chat_jid text, p_is_group boolean, p_contact bigint,
                                  p_last_us bigint)
  RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  found_id bigint;
  found_contact bigint;
  found_last timestamptz;
  last_at timestamptz := crm_from_epoch_us(p_last_us);
BEGIN
  SELECT id, contact_id, last_message_at INTO found_id, found_contact, found_last
  FROM chats WHERE account_id = p_account AND jid = p_chat_jid;
  IF found_id IS NOT NULL
     AND NOT (found_contact IS NULL AND p_contact IS NOT NULL)
     AND NOT coalesce(last_at > coalesce(found_last, '-infinity'), false) THEN
    RETURN found_id;
  END IF;
  INSERT INTO chats AS ch (account_id, jid, is_group, contact_id, last_message_at)
  VALUES (p_account, p_chat_jid, p_is_group, p_contact, last_at)
  ON CONFLICT (account_id, jid) DO UPDATE SET
    contact_id = coalesce(ch.contact_id, excluded.contact_id),
    last_message_at = greatest(ch.last_message_at, excluded.last_message_at)
  RETURNING ch.id INTO found_id;
  RETURN found_id;
END $$;

-- As in version 4, with the chat through wacrm_upsert_chat.
CREATE OR REPLACE FUNCTION wacrm_store_message(
    p_account bigint,
    s_jid text, s_lid text, s_phone text, s_push_name text,
    c_mode text, c_jid text, c_lid text, c_phone text, c_push_name text,
    p_inbound_us bigint, p_outbound_us bigint, p_last_us bigint,
    p_chat_jid text, p_chat_is_group boolean,
    p_wa_id text, p_sender_jid text, p_from_me boolean, p_sent_us bigint, p_kind text, p_body text,
    p_file_name text, p_quoted_wa_id text, p_target_wa_id text, p_push_name text, p_status text,
    p_decrypt_error text, p_decrypt_retries integer, p_raw bytea,
    OUT o_chat_id bigint, OUT o_message_id bigint, OUT o_inserted boolean, OUT o_has_early boolean)
  LANGUAGE plpgsql AS $$
DECLARE
  sender_contact bigint;
  chat_contact bigint;
BEGIN
  IF s_jid IS NOT NULL THEN
    sender_contact := wacrm_upsert_contact(p_account, s_jid, s_lid, s_phone, s_push_name, p_inbound_us,
                                           p_outbound_us, false);
  END IF;
  IF c_mode = 'sender' THEN
    chat_contact := sender_contact;
  ELSIF c_mode IN ('person', 'group') THEN
    chat_contact := wacrm_upsert_contact(p_account, c_jid, c_lid, c_phone, c_push_name, p_inbound_us,
                                         p_outbound_us, c_mode = 'group');
  END IF;

  o_chat_id := wacrm_upsert_chat(p_account, p_chat_jid, p_chat_is_group, chat_contact, p_last_us);

  INSERT INTO messages AS m (account_id, chat_id, wa_id, sender_jid, sender_contact_id, from_me, sent_at, kind, body,
                             file_name, quoted_wa_id, target_wa_id, push_name, status, decrypt_error,
                             decrypt_retries, raw)
  VALUES (p_account, o_chat_id, p_wa_id, p_sender_jid, sender_contact, p_from_me, crm_from_epoch_us(p_sent_us), p_kind,
          p_body, p_file_name, p_quoted_wa_id, p_target_wa_id, p_push_name, p_status, p_decrypt_error,
          p_decrypt_retries, p_raw)
  ON CONFLICT (account_id, chat_id, wa_id, sender_jid) DO UPDATE SET
    sender_contact_id = coalesce(excluded.sender_contact_id, m.sender_contact_id),
    sent_at = excluded.sent_at, kind = excluded.kind, body = excluded.body, file_name = excluded.file_name,
    quoted_wa_id = excluded.quoted_wa_id, target_wa_id = excluded.target_wa_id,
    push_name = coalesce(excluded.push_name, m.push_name), status = excluded.status,
    decrypt_error = excluded.decrypt_error,
    decrypt_retries = greatest(m.decrypt_retries, excluded.decrypt_retries),
    raw = excluded.raw, received_at = now()
  WHERE m.kind = 'placeholder'
  RETURNING m.id, m.xmax = 0 INTO o_message_id, o_inserted;

  o_has_early := o_message_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM messages e
    WHERE e.chat_id = o_chat_id AND e.target_wa_id = p_wa_id AND e.kind IN ('edit', 'revoke'));
END $$;
