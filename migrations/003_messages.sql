-- wacrm schema, version 3: what receiving messages needs on top of 001/002
-- (lib/wa/message_handler, lib/store/pg/pg_message_repository).

-- Retry receipts sent for an undecryptable message (notes 02 §1.7). Kept on
-- its placeholder row so the count survives a restart: the handler stops
-- asking after the reference clients' limit, and the placeholder stays.
ALTER TABLE messages ADD COLUMN decrypt_retries integer NOT NULL DEFAULT 0
  CHECK (decrypt_retries >= 0);
