-- wacrm schema, version 5: contact statistics kept up to date by appending
-- (lib/store/pg/pg_crm_stats.cc). A new message used to throw a busy
-- conversation's cached statistics away (80,000 messages: ~300 ms to
-- recompute); now the messages after the cached row's last one are folded in,
-- and reply-time medians are read from the stored samples.

-- Per chat, how often its counted messages changed other than by appending a
-- message after its latest one: an old message arriving late, a delete, an
-- update that changes what counts. A cached row may fold new messages in
-- only while this is what it was.
ALTER TABLE crm_chat_state ADD COLUMN rewrites bigint NOT NULL DEFAULT 0;

-- AFTER triggers run in name order: these run before crm_chat_state_*
-- (so the insert check sees the chat's latest message before the statement).
CREATE FUNCTION crm_chat_rewrite_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE crm_chat_state s SET rewrites = s.rewrites + 1
  FROM (SELECT chat_id, min(sent_at) AS first_at FROM added
        WHERE kind NOT IN ('reaction', 'edit', 'revoke', 'system', 'placeholder') AND deleted_at IS NULL
        GROUP BY chat_id) a
  -- New rows have higher ids: one at the very same instant still comes after.
  WHERE s.chat_id = a.chat_id AND a.first_at < s.last_at;
  RETURN NULL;
END $$;

CREATE FUNCTION crm_chat_rewrite_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE crm_chat_state s SET rewrites = s.rewrites + 1
  WHERE s.chat_id IN (
    SELECT unnest(ARRAY[o.chat_id, n.chat_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.kind, o.deleted_at, o.sent_at, o.from_me, o.chat_id)
          IS DISTINCT FROM (n.kind, n.deleted_at, n.sent_at, n.from_me, n.chat_id));
  RETURN NULL;
END $$;

CREATE FUNCTION crm_chat_rewrite_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE crm_chat_state s SET rewrites = s.rewrites + 1 WHERE s.chat_id IN (SELECT chat_id FROM removed);
  RETURN NULL;
END $$;

CREATE TRIGGER crm_chat_rewrite_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION crm_chat_rewrite_insert();
CREATE TRIGGER crm_chat_rewrite_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_chat_rewrite_update();
CREATE TRIGGER crm_chat_rewrite_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION crm_chat_rewrite_delete();

-- Where a cached row stands: the crm_chat_state.rewrites of its chats when
-- it was saved (same order as versions), its latest counted message, and
-- the run of messages in one direction still unanswered (its direction and
-- first message).
ALTER TABLE crm_stats_cache
  ADD COLUMN rewrites     bigint[],
  ADD COLUMN through_at   timestamptz,
  ADD COLUMN through_id   bigint,
  ADD COLUMN tail_from_me boolean,
  ADD COLUMN tail_at      timestamptz;

-- Rows from before this version have none of that: computed again once.
DELETE FROM crm_stats_cache;

-- Every reply-time sample of a cached row: the run of `from_me` answered after
-- `seconds` (from_me = true: their reply time to me).
CREATE TABLE crm_stats_replies (
  chat_ids  bigint[] NOT NULL,
  time_zone text NOT NULL,
  from_me   boolean NOT NULL,
  seconds   float8 NOT NULL,
  FOREIGN KEY (chat_ids, time_zone) REFERENCES crm_stats_cache (chat_ids, time_zone)
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX crm_stats_replies_key ON crm_stats_replies (chat_ids, time_zone, from_me, seconds);
