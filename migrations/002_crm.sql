-- wacrm schema, version 2: what the personal CRM (lib/crm, lib/store/pg/pg_crm_*)
-- needs on top of 001: views that fold merged contacts into people, merge
-- invariants, pending-reply event bookkeeping and the indexes the CRM queries
-- plan on (checked with EXPLAIN ANALYZE on the tests/bench data set).

-- Suggestions for mistyped contact names (similarity()). A trusted extension:
-- the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- When an "overdue pending reply" event was last raised for this chat's
-- conversation; a new one is raised once per waiting period.
ALTER TABLE chats ADD COLUMN pending_notified_at timestamptz;

-- "Counted" messages (see lib/store/crm_store.h): the predicate below is
-- repeated verbatim in the CRM's queries (pg_crm_sql.h) so the planner can use
-- this partial index. The INCLUDE makes pending, attention and stats
-- index-only scans.
CREATE INDEX messages_chat_counted ON messages (chat_id, sent_at, id) INCLUDE (from_me)
  WHERE kind NOT IN ('reaction', 'edit', 'revoke', 'system', 'placeholder') AND deleted_at IS NULL;

-- Search over file names by their words: the parser reads "trip-photos.zip"
-- as one host-like token, so 001's column only found the exact whole name.
-- Index the name as written and once more with '.', '_' and '-' as spaces.
DROP INDEX messages_search;
ALTER TABLE messages DROP COLUMN search;
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
  to_tsvector('wacrm_search'::regconfig,
              coalesce(body, '') || ' ' || coalesce(file_name, '') || ' ' ||
              coalesce(translate(file_name, '._-', '   '), ''))) STORED;
CREATE INDEX messages_search ON messages USING gin (search);

-- Reminders whose due event has not been raised (the daemon polls this).
CREATE INDEX reminders_unnotified ON reminders (due_at)
  WHERE done_at IS NULL AND notified_at IS NULL;
CREATE INDEX reminders_contact ON reminders (contact_id) WHERE contact_id IS NOT NULL;

-- Merges are one level deep: a row merged into another points at a root, and
-- a row something is merged into is not itself merged. Both rows belong to
-- the same account and are people, not groups.
CREATE FUNCTION contacts_check_merge() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target contacts%ROWTYPE;
BEGIN
  IF NEW.merged_into IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT * INTO target FROM contacts WHERE id = NEW.merged_into;
  IF target.account_id <> NEW.account_id THEN
    RAISE EXCEPTION 'contact % cannot be merged into % of another account', NEW.id, target.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF target.merged_into IS NOT NULL THEN
    RAISE EXCEPTION 'contact % cannot be merged into %, which is itself merged into %',
      NEW.id, target.id, target.merged_into USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.is_group OR target.is_group THEN
    RAISE EXCEPTION 'groups cannot be merged (contacts % and %)', NEW.id, target.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM contacts WHERE merged_into = NEW.id) THEN
    RAISE EXCEPTION 'contact % has contacts merged into it and cannot be merged itself', NEW.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER contacts_check_merge BEFORE INSERT OR UPDATE OF merged_into ON contacts
  FOR EACH ROW EXECUTE FUNCTION contacts_check_merge();

-- The name the CRM shows for a contacts row: address book, push name,
-- business name, first name, +phone, then the JID's user part.
CREATE FUNCTION crm_contact_name(full_name text, push_name text, business_name text,
                                 first_name text, phone text, jid text)
  RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(full_name, ''), nullif(push_name, ''), nullif(business_name, ''),
                  nullif(first_name, ''), '+' || nullif(phone, ''), split_part(jid, '@', 1))
$$;

-- People: the roots of merge groups, with the name every view shows (a
-- group's subject when the address book has none).
CREATE VIEW crm_people AS
SELECT c.id, c.account_id, c.jid, c.phone, c.is_group, c.cadence_days, c.attention_excluded,
       c.created_at,
       CASE WHEN c.is_group
            THEN coalesce(nullif(c.full_name, ''), nullif(g.subject, ''), split_part(c.jid, '@', 1))
            ELSE crm_contact_name(c.full_name, c.push_name, c.business_name, c.first_name, c.phone, c.jid)
       END AS name
FROM contacts c
LEFT JOIN chats g ON c.is_group AND g.account_id = c.account_id AND g.jid = c.jid
WHERE c.merged_into IS NULL;

-- Which person each chat belongs to: chats.contact_id when the session set
-- it, else the contacts row with the chat's JID (as primary JID or as LID).
-- person_id is NULL for a chat nobody's contacts row describes.
CREATE VIEW crm_chat_owners AS
SELECT ch.id AS chat_id, ch.account_id, ch.jid, ch.is_group, ch.subject,
       ch.pending_dismissed_at, ch.pending_notified_at,
       coalesce(c1.merged_into, c1.id, c2.merged_into, c2.id, c3.merged_into, c3.id) AS person_id
FROM chats ch
LEFT JOIN contacts c1 ON c1.id = ch.contact_id
LEFT JOIN contacts c2 ON ch.contact_id IS NULL AND c2.account_id = ch.account_id AND c2.jid = ch.jid
LEFT JOIN contacts c3 ON ch.contact_id IS NULL AND c2.id IS NULL
                      AND c3.account_id = ch.account_id AND c3.lid = ch.jid;

-- Instants cross libpq as microseconds since the Unix epoch (bigint), which
-- needs no text parsing on either side and is exact.
CREATE FUNCTION crm_epoch_us(t timestamptz) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;
CREATE FUNCTION crm_from_epoch_us(us bigint) RETURNS timestamptz
  LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT 'epoch'::timestamptz + us * interval '1 microsecond' $$;

-- Per chat, its latest counted message overall, inbound and outbound. Kept
-- current by the statement-level triggers below, so pending replies,
-- attention and the dashboard read one row per chat instead of probing
-- every chat's messages (5,000 index probes per query on a large account).
CREATE TABLE crm_chat_state (
  chat_id      bigint PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
  last_at      timestamptz,   -- latest counted message (sent_at, id), either direction
  last_id      bigint,
  last_from_me boolean,
  last_in_at   timestamptz,   -- latest counted inbound message
  last_in_id   bigint,
  last_out_at  timestamptz,   -- latest counted outbound message
  last_out_id  bigint,
  -- Bumped by every change to the chat's counted messages (any insert, an
  -- update that changes what counts, a delete): what crm_stats_cache keys on.
  version      bigint NOT NULL DEFAULT 1
);

-- Recomputes the state of the given chats from their messages (three index
-- steps per chat on messages_chat_counted).
CREATE FUNCTION crm_refresh_chat_state(chat_ids bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO crm_chat_state AS s
    (chat_id, last_at, last_id, last_from_me, last_in_at, last_in_id, last_out_at, last_out_id)
  SELECT ch.id, l.sent_at, l.id, l.from_me, li.sent_at, li.id, lo.sent_at, lo.id
  FROM chats ch
  LEFT JOIN LATERAL (
    SELECT m.sent_at, m.id, m.from_me FROM messages m
    WHERE m.chat_id = ch.id
      AND m.kind NOT IN ('reaction', 'edit', 'revoke', 'system', 'placeholder') AND m.deleted_at IS NULL
    ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) l ON true
  LEFT JOIN LATERAL (
    SELECT m.sent_at, m.id FROM messages m
    WHERE m.chat_id = ch.id AND NOT m.from_me
      AND m.kind NOT IN ('reaction', 'edit', 'revoke', 'system', 'placeholder') AND m.deleted_at IS NULL
    ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) li ON true
  LEFT JOIN LATERAL (
    SELECT m.sent_at, m.id FROM messages m
    WHERE m.chat_id = ch.id AND m.from_me
      AND m.kind NOT IN ('reaction', 'edit', 'revoke', 'system', 'placeholder') AND m.deleted_at IS NULL
    ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) lo ON true
  WHERE ch.id = ANY(chat_ids)
  ON CONFLICT (chat_id) DO UPDATE SET
    last_at = EXCLUDED.last_at, last_id = EXCLUDED.last_id, last_from_me = EXCLUDED.last_from_me,
    last_in_at = EXCLUDED.last_in_at, last_in_id = EXCLUDED.last_in_id,
    last_out_at = EXCLUDED.last_out_at, last_out_id = EXCLUDED.last_out_id,
    version = s.version + 1
$$;

-- New messages can only move a chat's latest forward: merge the newest
-- counted rows of the statement into the state, no message lookups.
CREATE FUNCTION crm_chat_state_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH c AS (
    SELECT chat_id, sent_at, id, from_me FROM added
    WHERE kind NOT IN ('reaction', 'edit', 'revoke', 'system', 'placeholder') AND deleted_at IS NULL
  ),
  l AS (SELECT DISTINCT ON (chat_id) chat_id, sent_at, id, from_me FROM c ORDER BY chat_id, sent_at DESC, id DESC),
  li AS (SELECT DISTINCT ON (chat_id) chat_id, sent_at, id FROM c WHERE NOT from_me
         ORDER BY chat_id, sent_at DESC, id DESC),
  lo AS (SELECT DISTINCT ON (chat_id) chat_id, sent_at, id FROM c WHERE from_me
         ORDER BY chat_id, sent_at DESC, id DESC)
  INSERT INTO crm_chat_state AS s
    (chat_id, last_at, last_id, last_from_me, last_in_at, last_in_id, last_out_at, last_out_id)
  SELECT l.chat_id, l.sent_at, l.id, l.from_me, li.sent_at, li.id, lo.sent_at, lo.id
  FROM l LEFT JOIN li USING (chat_id) LEFT JOIN lo USING (chat_id)
  ORDER BY l.chat_id   -- a fixed lock order between concurrent writers
  ON CONFLICT (chat_id) DO UPDATE SET
    version = s.version + 1,
    last_from_me = CASE WHEN s.last_at IS NULL OR (EXCLUDED.last_at, EXCLUDED.last_id) > (s.last_at, s.last_id)
                        THEN EXCLUDED.last_from_me ELSE s.last_from_me END,
    last_id = CASE WHEN s.last_at IS NULL OR (EXCLUDED.last_at, EXCLUDED.last_id) > (s.last_at, s.last_id)
                   THEN EXCLUDED.last_id ELSE s.last_id END,
    last_at = CASE WHEN s.last_at IS NULL OR (EXCLUDED.last_at, EXCLUDED.last_id) > (s.last_at, s.last_id)
                   THEN EXCLUDED.last_at ELSE s.last_at END,
    last_in_id = CASE WHEN EXCLUDED.last_in_at IS NOT NULL AND (s.last_in_at IS NULL
                        OR (EXCLUDED.last_in_at, EXCLUDED.last_in_id) > (s.last_in_at, s.last_in_id))
                      THEN EXCLUDED.last_in_id ELSE s.last_in_id END,
    last_in_at = CASE WHEN EXCLUDED.last_in_at IS NOT NULL AND (s.last_in_at IS NULL
                        OR (EXCLUDED.last_in_at, EXCLUDED.last_in_id) > (s.last_in_at, s.last_in_id))
                      THEN EXCLUDED.last_in_at ELSE s.last_in_at END,
    last_out_id = CASE WHEN EXCLUDED.last_out_at IS NOT NULL AND (s.last_out_at IS NULL
                         OR (EXCLUDED.last_out_at, EXCLUDED.last_out_id) > (s.last_out_at, s.last_out_id))
                       THEN EXCLUDED.last_out_id ELSE s.last_out_id END,
    last_out_at = CASE WHEN EXCLUDED.last_out_at IS NOT NULL AND (s.last_out_at IS NULL
                         OR (EXCLUDED.last_out_at, EXCLUDED.last_out_id) > (s.last_out_at, s.last_out_id))
                       THEN EXCLUDED.last_out_at ELSE s.last_out_at END;
  RETURN NULL;
END $$;

-- An update that changes what counts (a revoke marking its target deleted,
-- a placeholder decrypted later, a moved timestamp) or a delete can move the
-- latest back: recompute those chats. Status and body updates change nothing.
CREATE FUNCTION crm_chat_state_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_refresh_chat_state(array_agg(DISTINCT x.chat_id ORDER BY x.chat_id))
  FROM (SELECT o.chat_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.kind, o.deleted_at, o.sent_at, o.from_me, o.chat_id)
              IS DISTINCT FROM (n.kind, n.deleted_at, n.sent_at, n.from_me, n.chat_id)
        UNION ALL
        SELECT n.chat_id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.chat_id <> n.chat_id) x
  HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION crm_chat_state_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_refresh_chat_state(array_agg(DISTINCT chat_id ORDER BY chat_id)) FROM removed HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION crm_chat_state_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM crm_chat_state;
  RETURN NULL;
END $$;

CREATE TRIGGER crm_chat_state_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION crm_chat_state_insert();
CREATE TRIGGER crm_chat_state_update AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_chat_state_update();
CREATE TRIGGER crm_chat_state_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION crm_chat_state_delete();
CREATE TRIGGER crm_chat_state_truncate AFTER TRUNCATE ON messages
  FOR EACH STATEMENT EXECUTE FUNCTION crm_chat_state_truncate();

-- Messages stored before this migration.
SELECT crm_refresh_chat_state(array_agg(id)) FROM chats HAVING count(*) > 0;

-- Contact statistics that depend only on a conversation's messages (hour
-- and weekday histograms in a time zone, all-time counts, first and last
-- message, reply times), computed once per change: a row is valid while
-- the crm_chat_state versions of its chats are those in `versions`. Reading
-- a busy conversation's statistics (80,000 messages: ~200 ms of window
-- functions) then costs one lookup until its next message.
CREATE TABLE crm_stats_cache (
  chat_ids      bigint[] NOT NULL,   -- ascending
  time_zone     text NOT NULL,
  versions      bigint[] NOT NULL,   -- crm_chat_state.version per chat, same order
  computed_at   timestamptz NOT NULL DEFAULT now(),
  by_hour       bigint[] NOT NULL,
  by_weekday    bigint[] NOT NULL,
  sent          bigint NOT NULL,
  received      bigint NOT NULL,
  first_at      timestamptz,
  last_at       timestamptz,
  my_samples    bigint NOT NULL,
  my_average    float8 NOT NULL,
  my_median     float8 NOT NULL,
  their_samples bigint NOT NULL,
  their_average float8 NOT NULL,
  their_median  float8 NOT NULL,
  PRIMARY KEY (chat_ids, time_zone)
);
