-- wacrm schema, version 2: what the personal CRM (lib/crm, lib/store/pg/pg_crm_*)
-- needs on top of 001. Work in progress; filled in with the CRM queries.
SELECT 1;
