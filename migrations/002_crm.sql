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
