-- wacrm schema, version 8: a run of received messages stored by one call
-- (issue 6's throughput target).
-- wacrm_store_message (versions 4 and 6) is one call and one INSERT per
-- message. Each INSERT ... ON CONFLICT fires the statement-level triggers on
-- messages (crm_chat_state_*, crm_chat_rewrite_*: both their INSERT and
-- their UPDATE forms) and pays the executor's set-up; at a thousand messages
-- a second that was most of PostgreSQL's time. wacrm_store_messages takes
-- the run as arrays, one element per message, makes or moves each message's
-- contacts and chat in arrival order (the same functions as version 6), then
-- inserts every message with one INSERT, so the triggers run once per run.
--
-- The caller (PgMessageRepository::store_many) passes only messages that
-- act on no other message and are no placeholders (their targets and
-- early-arrival checks need the row-by-row order), and no two with the same
-- key (one INSERT ... ON CONFLICT cannot touch a row twice). One row per
-- message comes back, in order: o_index (1-based), the chat, and the stored
-- row (NULL when a real message already had the key), whether it was new,
-- and whether edits or revokes of it were stored before it.

CREATE FUNCTION wacrm_store_messages(
    p_account bigint,
    s_jid text[], s_lid text[], s_phone text[], s_push_name text[],
    c_mode text[], c_jid text[], c_lid text[], c_phone text[], c_push_name text[],
    p_inbound_us bigint[], p_outbound_us bigint[], p_last_us bigint[],
    p_chat_jid text[], p_chat_is_group boolean[],
    p_wa_id text[], p_sender_jid text[], p_from_me boolean[], p_sent_us bigint[], p_kind text[], p_body text[],
    p_file_name text[], p_quoted_wa_id text[], p_push_name text[], p_status text[],
    p_decrypt_error text[], p_decrypt_retries integer[], p_raw bytea[])
  RETURNS TABLE (o_index integer, o_chat_id bigint, o_message_id bigint, o_inserted boolean, o_has_early boolean)
  LANGUAGE plpgsql AS $$
DECLARE
  n integer := coalesce(cardinality(p_wa_id), 0);
  sender_ids bigint[] := '{}';
  chat_ids bigint[] := '{}';
  sender_contact bigint;
  chat_contact bigint;
BEGIN
  FOR i IN 1..n LOOP
    sender_contact := NULL;
    chat_contact := NULL;
    IF s_jid[i] IS NOT NULL THEN
      sender_contact := wacrm_upsert_contact(p_account, s_jid[i], s_lid[i], s_phone[i], s_push_name[i],
                                             p_inbound_us[i], p_outbound_us[i], false);
    END IF;
    IF c_mode[i] = 'sender' THEN
      chat_contact := sender_contact;
    ELSIF c_mode[i] IN ('person', 'group') THEN
      chat_contact := wacrm_upsert_contact(p_account, c_jid[i], c_lid[i], c_phone[i], c_push_name[i],
                                           p_inbound_us[i], p_outbound_us[i], c_mode[i] = 'group');
    END IF;
    sender_ids := array_append(sender_ids, sender_contact);
    chat_ids := array_append(chat_ids,
                             wacrm_upsert_chat(p_account, p_chat_jid[i], p_chat_is_group[i], chat_contact, p_last_us[i]));
  END LOOP;

  RETURN QUERY
  WITH input AS (
    SELECT * FROM unnest(chat_ids, p_wa_id, p_sender_jid, sender_ids, p_from_me, p_sent_us, p_kind, p_body,
                         p_file_name, p_quoted_wa_id, p_push_name, p_status, p_decrypt_error, p_decrypt_retries,
                         p_raw)
      WITH ORDINALITY AS t(chat_id, wa_id, sender_jid, sender_contact_id, from_me, sent_us, kind, body, file_name,
                           quoted_wa_id, push_name, status, decrypt_error, decrypt_retries, raw, ord)
  ),
  stored AS (
    INSERT INTO messages AS m (account_id, chat_id, wa_id, sender_jid, sender_contact_id, from_me, sent_at, kind,
                               body, file_name, quoted_wa_id, push_name, status, decrypt_error, decrypt_retries, raw)
    SELECT p_account, i.chat_id, i.wa_id, i.sender_jid, i.sender_contact_id, i.from_me, crm_from_epoch_us(i.sent_us),
           i.kind, i.body, i.file_name, i.quoted_wa_id, i.push_name, i.status, i.decrypt_error, i.decrypt_retries, i.raw
    FROM input i ORDER BY i.ord
    ON CONFLICT (account_id, chat_id, wa_id, sender_jid) DO UPDATE SET
      sender_contact_id = coalesce(excluded.sender_contact_id, m.sender_contact_id),
      sent_at = excluded.sent_at, kind = excluded.kind, body = excluded.body, file_name = excluded.file_name,
      quoted_wa_id = excluded.quoted_wa_id, target_wa_id = NULL,
      push_name = coalesce(excluded.push_name, m.push_name), status = excluded.status,
      decrypt_error = excluded.decrypt_error,
      decrypt_retries = greatest(m.decrypt_retries, excluded.decrypt_retries),
      raw = excluded.raw, received_at = now()
    WHERE m.kind = 'placeholder'
    RETURNING m.id, m.chat_id, m.wa_id, m.sender_jid, m.xmax = 0 AS inserted
  )
  SELECT i.ord::integer, i.chat_id, s.id, s.inserted,
         s.id IS NOT NULL AND EXISTS (
           SELECT 1 FROM messages e
           WHERE e.chat_id = i.chat_id AND e.target_wa_id = i.wa_id AND e.kind IN ('edit', 'revoke'))
  FROM input i
  LEFT JOIN stored s ON s.chat_id = i.chat_id AND s.wa_id = i.wa_id AND s.sender_jid = i.sender_jid
  ORDER BY i.ord;
END $$;
