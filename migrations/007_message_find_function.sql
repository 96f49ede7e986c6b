-- wacrm schema, version 7: looking up a batch's message keys one by one, on
-- the full unique key (issue 6's throughput target).
-- find_many joined a VALUES list of keys to chats and messages in one
-- statement. The planner probed messages on (account_id, chat_id) alone and
-- filtered wa_id and sender_jid afterwards: every key walked its whole chat
-- (~0.5 ms a key at 400 messages a chat, growing with the chat; a batch's
-- look-up took longer than storing its 128 messages). Here each key is one
-- probe whose parameters pin the whole unique key. Plans are made per call
-- (plan_cache_mode): a plan cached while messages was still small -- a fresh
-- daemon, a table autovacuum has not analyzed yet -- scanned the account's
-- messages on messages_account_time for every key.

-- For key i (1-based, chat JID, message id, author): its row, as n = i - 1.
-- Keys without a stored message give no row.
CREATE FUNCTION wacrm_find_messages(p_account bigint, p_chat_jids text[], p_wa_ids text[], p_sender_jids text[])
  RETURNS TABLE (o_n integer, o_id bigint, o_placeholder boolean, o_decrypt_retries integer)
  LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  FOR i IN 1..coalesce(array_length(p_chat_jids, 1), 0) LOOP
    RETURN QUERY
      SELECT i - 1, m.id, m.kind = 'placeholder', m.decrypt_retries FROM messages m
      WHERE m.account_id = p_account
        AND m.chat_id = (SELECT c.id FROM chats c WHERE c.account_id = p_account AND c.jid = p_chat_jids[i])
        AND m.wa_id = p_wa_ids[i] AND m.sender_jid = p_sender_jids[i];
  END LOOP;
END $$;
