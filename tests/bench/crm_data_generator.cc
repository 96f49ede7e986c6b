#include "bench/crm_data_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace wacrm::bench {

namespace {

using store::pg_text;

// Real words for the most frequent ranks (so searches read naturally),
// a few with accents; synthetic syllable words below them.
constexpr const char* kCommonWords =
    "'ok','yes','the','you','and','haha','see','tomorrow','today','thanks','time','good','how','are','what',"
    "'when','dinner','lunch','coffee','call','later','home','work','house','blue','car','train','late','sorry',"
    "'love','weekend','monday','friday','party','birthday','kids','school','doctor','meeting','photo','video',"
    "'link','book','movie','beach','holiday','flight','hotel','café','zürich','münchen','crème','résumé','naïve',"
    "'garden','kitchen','rent','bill','money','bank','gym','run','bike','climbing','football','match','game',"
    "'music','concert','ticket','station','airport','bus','shop','market','bread','wine','beer','pizza','cake',"
    "'rain','sun','snow','cold','warm','tired','sick','better','great','nice','cool','sure','maybe','never','soon'";

constexpr const char* kFirstNames =
    "'Anna','Ben','Clara','David','Eva','Felix','Greta','Hugo','Ida','Jonas','Karla','Leon','Mia','Noah','Olga',"
    "'Paul','Rosa','Sam','Tina','Uwe','Vera','Wim','Xenia','Yusuf','Zoë','Ali','Bea','Chris','Dana','Emil','Fatma',"
    "'Gino','Hanna','Ivan','Jule','Kai','Lena','Max','Nina','Omar','Pia','Rene','Sara','Tom','Ute','Vito','Wanda',"
    "'José','Léa','Ayşe','Björn','Chloé','Dörte','Elif','Jürgen','Malte','Renée','Søren','Tomás','Zeynep'";

constexpr const char* kLastNames =
    "'Müller','Schmidt','Schneider','Fischer','Weber','Meyer','Wagner','Becker','Schulz','Hoffmann','Koch','Richter',"
    "'Klein','Wolf','Neumann','Schwarz','Braun','Zimmermann','Krüger','Hartmann','Lange','Werner','Krause','Lehmann',"
    "'Köhler','Herrmann','König','Walter','Mayer','Huber','Kaiser','Fuchs','Peters','Lang','Scholz','Möller','Weiß',"
    "'Jung','Hahn','Vogel','Friedrich','Keller','Günther','Frank','Berger','Roth','Beck','Lorenz','Baumann','Franke',"
    "'Albrecht','Schuster','Simon','Ludwig','Böhm','Winter','Kraus','Martin','Schumacher','Vogt','Stein','Jäger',"
    "'Otto','Sommer','Groß','Seidel','Heinrich','Brandt','Haas','Schreiber','Graf','Dietrich','Ziegler','Kuhn',"
    "'Silva','García','Rossi','Dubois','Nowak','Yılmaz'";

constexpr const char* kGroupNames =
    "'Family','Climbing','Book club','Neighbours','Work','School parents','Football','Choir','Trip','Flat',"
    "'Cousins','Uni friends','Band','Garden','Running'";

struct Sizes {
  std::int64_t people, groups, messages, lid_twins, phrases;
};

Sizes sizes_for(double scale) {
  auto at_least = [](double v, std::int64_t min) { return std::max<std::int64_t>(min, std::llround(v)); };
  return {at_least(5000 * scale, 5), at_least(300 * scale, 1), at_least(1'000'000 * scale, 100),
          at_least(100 * scale, 1), at_least(20000 * std::sqrt(scale), 200)};
}

}  // namespace

Result<GeneratorReport> generate_crm_data(store::PgConnection& conn, const GeneratorOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Sizes n = sizes_for(options.scale);
  GeneratorReport report;

  // Reproducible randomness needs one backend doing all the work.
  WACRM_TRY(conn.exec("SET max_parallel_workers_per_gather = 0"));
  WACRM_TRY(conn.exec(fmt::format("SELECT setseed({})", options.seed)));
  auto acc = WACRM_TRY(conn.exec(
      "INSERT INTO accounts (name, jid, push_name, link_state, linked_at) "
      "VALUES ($1, '491700000000:3@s.whatsapp.net', 'Me', 'linked', now() - interval '5 years') RETURNING id",
      {pg_text(options.account)}));
  const std::int64_t a = acc.int64(0, 0);
  report.account_id = a;

  std::vector<std::string> steps;
  // People (some without an address-book name, some with a cadence or
  // excluded), their twins (a second row under their LID, merged), groups.
  steps.push_back(fmt::format(R"(
    CREATE TEMP TABLE first_names AS SELECT ordinality::int AS idx, name FROM unnest(ARRAY[{first}]) WITH ORDINALITY t(name);
    CREATE TEMP TABLE last_names AS SELECT ordinality::int AS idx, name FROM unnest(ARRAY[{last}]) WITH ORDINALITY t(name);
    INSERT INTO contacts (account_id, jid, phone, full_name, first_name, push_name, cadence_days, attention_excluded,
                          created_at)
    SELECT {a}, (4915000000000 + i)::text || '@s.whatsapp.net', (4915000000000 + i)::text,
           CASE WHEN random() < 0.85 THEN f.name || ' ' || l.name END, f.name,
           CASE WHEN random() < 0.7 THEN f.name END,
           CASE WHEN random() < 0.1 THEN (ARRAY[3, 7, 14, 30, 90])[1 + floor(random() * 5)::int] END,
           random() < 0.02, now() - interval '5 years' - interval '30 days' * random()
    FROM generate_series(1, {people}) i
    JOIN first_names f ON f.idx = 1 + (i * 7919) % (SELECT count(*) FROM first_names)
    JOIN last_names l ON l.idx = 1 + (i * 104729) % (SELECT count(*) FROM last_names);
    INSERT INTO contacts (account_id, jid, lid, push_name, merged_into, created_at)
    SELECT {a}, (880000000 + c.id)::text || '@lid', (880000000 + c.id)::text || '@lid', c.first_name, c.id, c.created_at
    FROM (SELECT * FROM contacts WHERE account_id = {a} AND NOT is_group ORDER BY id LIMIT {twins}) c;
    INSERT INTO contacts (account_id, jid, is_group, created_at)
    SELECT {a}, '120363' || (100000000 + i)::text || '@g.us', true, now() - interval '5 years' * random()
    FROM generate_series(1, {groups}) i;
    INSERT INTO chats (account_id, jid, contact_id, is_group, subject)
    SELECT account_id, jid, id, is_group,
           CASE WHEN is_group THEN (ARRAY[{group_names}])[1 + id % 15] || ' ' || (id % 97)::text END
    FROM contacts WHERE account_id = {a};
    -- Popularity: a random order of chats; rank k gets a 1/k share.
    CREATE TEMP TABLE chat_rank AS
    SELECT row_number() OVER (ORDER BY random())::int AS rank, ch.id AS chat_id, ch.jid, ch.is_group, ch.contact_id
    FROM chats ch WHERE ch.account_id = {a};
    CREATE UNIQUE INDEX ON chat_rank (rank);
    ANALYZE chat_rank;
  )", fmt::arg("first", kFirstNames), fmt::arg("last", kLastNames), fmt::arg("group_names", kGroupNames),
      fmt::arg("a", a), fmt::arg("people", n.people), fmt::arg("twins", n.lid_twins), fmt::arg("groups", n.groups)));

  // Vocabulary (Zipf ranks) and phrases built from it.
  steps.push_back(fmt::format(R"(
    CREATE TEMP TABLE vocab AS
    SELECT ordinality::int AS rank, w AS word FROM unnest(ARRAY[{common}]) WITH ORDINALITY t(w);
    INSERT INTO vocab
    SELECT (SELECT count(*) FROM vocab)::int + 1 + i,
           s[1 + i % 37] || s[1 + (i / 37) % 37] || CASE WHEN i >= 1369 THEN s[1 + (i / 1369) % 37] ELSE '' END
    FROM generate_series(0, 19999 - (SELECT count(*) FROM vocab)::int) i,
         (SELECT ARRAY['ka','lo','mi','ne','ru','ta','zo','be','di','fu','ga','hi','jo','ku','la','mo','nu','pi',
                       'ro','sa','te','vu','wa','xi','yo','ze','bra','kle','pro','sta','tri','gno','phe','qua',
                       'shi','tho','vra'] AS s) syl;
    CREATE UNIQUE INDEX ON vocab (rank);
    ANALYZE vocab;
    CREATE TEMP TABLE phrases AS
    SELECT p AS id,
           (SELECT string_agg(v.word, ' ')
            FROM generate_series(1, 2 + (p * 31) % 9) k
            -- One draw per word (the lateral refers to k), then an index lookup.
            CROSS JOIN LATERAL (SELECT least(20000, floor(exp(random() * ln(20000)))::int + 0 * k) AS rank) d
            JOIN vocab v ON v.rank = d.rank) AS phrase
    FROM generate_series(1, {phrases}) p;
    CREATE UNIQUE INDEX ON phrases (id);
    ANALYZE phrases;
  )", fmt::arg("common", kCommonWords), fmt::arg("phrases", n.phrases)));

  // Messages: drop the indexes, load, rebuild them.
  steps.push_back(R"(
    CREATE TEMP TABLE saved_indexes AS
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' AND tablename = 'messages'
      AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'messages'::regclass);
    DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT indexname FROM saved_indexes LOOP EXECUTE 'DROP INDEX ' || quote_ident(r.indexname); END LOOP;
    END $$;
  )");
  steps.push_back(fmt::format(R"(
    INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, sender_contact_id, from_me, sent_at, received_at,
                          kind, body, file_name, target_wa_id, deleted_at, edited_at, status)
    SELECT {a}, c.chat_id, 'G' || r.i,
           CASE WHEN r.from_me THEN '491700000000:3@s.whatsapp.net' WHEN c.is_group THEN s.jid ELSE c.jid END,
           CASE WHEN r.from_me THEN NULL WHEN c.is_group THEN s.id ELSE c.contact_id END,
           r.from_me, r.sent_at, r.sent_at + interval '2 seconds', r.kind,
           CASE WHEN r.kind = 'text' THEN p1.phrase || CASE WHEN r.two THEN ' ' || p2.phrase ELSE '' END
                WHEN r.kind IN ('image', 'video', 'document') AND r.two THEN p1.phrase
                WHEN r.kind = 'reaction' THEN (ARRAY['👍','❤️','😂','😮','🙏'])[1 + r.i % 5]
                WHEN r.kind = 'system' THEN 'security code changed' END,
           CASE WHEN r.kind = 'document' THEN replace(p2.phrase, ' ', '-') || '.pdf' END,
           CASE WHEN r.kind = 'reaction' THEN 'G' || (r.i - 1) END,
           CASE WHEN r.flag < 0.003 THEN r.sent_at + interval '1 minute' END,
           CASE WHEN r.flag > 0.995 THEN r.sent_at + interval '5 minutes' END,
           CASE WHEN r.from_me THEN 'read' END
    FROM (
      SELECT i,
             least({chats}, floor(exp(random() * ln({chats} + 1)))::int) AS rank,
             random() < 0.45 AS from_me,
             now() - interval '5 years' * power(random(), 1.7) AS sent_at,
             CASE WHEN x < 0.85 THEN 'text' WHEN x < 0.91 THEN 'image' WHEN x < 0.93 THEN 'voice'
                  WHEN x < 0.94 THEN 'video' WHEN x < 0.95 THEN 'document' WHEN x < 0.98 THEN 'reaction'
                  WHEN x < 0.99 THEN 'sticker' WHEN x < 0.995 THEN 'system' ELSE 'location' END AS kind,
             1 + floor(random() * {phrases})::int AS p1, 1 + floor(random() * {phrases})::int AS p2,
             random() < 0.4 AS two, 1 + floor(random() * {people})::int AS speaker, random() AS flag
      FROM (SELECT i, random() AS x FROM generate_series(1, {messages}) i) g
    ) r
    JOIN chat_rank c ON c.rank = r.rank   -- one chat per contacts row: people, twins, groups
    JOIN phrases p1 ON p1.id = r.p1
    JOIN phrases p2 ON p2.id = r.p2
    -- People's ids are one consecutive range (inserted by one statement).
    LEFT JOIN contacts s ON c.is_group AND s.id = r.speaker - 1 +
      (SELECT min(id) FROM contacts WHERE account_id = {a} AND NOT is_group AND merged_into IS NULL);
  )", fmt::arg("a", a), fmt::arg("chats", n.people + std::min(n.lid_twins, n.people) + n.groups), fmt::arg("phrases", n.phrases), fmt::arg("people", n.people),
      fmt::arg("messages", n.messages)));
  // Real people answer: close 97 % of 1:1 conversations with my reply.
  steps.push_back(fmt::format(R"(
    INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, received_at, kind, body, status)
    SELECT {a}, l.chat_id, 'R' || l.chat_id, '491700000000:3@s.whatsapp.net', true,
           l.sent_at + interval '1 minute' * (1 + floor(random() * 240)), l.sent_at, 'text', 'ok, talk soon', 'read'
    FROM (SELECT DISTINCT ON (m.chat_id) m.chat_id, m.sent_at, m.from_me
          FROM messages m JOIN chats ch ON ch.id = m.chat_id
          WHERE m.account_id = {a} AND NOT ch.is_group ORDER BY m.chat_id, m.sent_at DESC) l
    WHERE NOT l.from_me AND random() < 0.97;
    UPDATE chats ch SET last_message_at = x.last
    FROM (SELECT chat_id, max(sent_at) AS last FROM messages WHERE account_id = {a} GROUP BY chat_id) x
    WHERE ch.id = x.chat_id;
  )", fmt::arg("a", a)));
  steps.push_back(R"(
    DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT indexdef FROM saved_indexes LOOP EXECUTE r.indexdef; END LOOP;
    END $$;
    DROP TABLE saved_indexes;
  )");
  // Tags, notes, reminders.
  steps.push_back(fmt::format(R"(
    INSERT INTO contact_tags (contact_id, tag)
    SELECT DISTINCT c.id, (ARRAY['family','friends','work','climbing','school','neighbours','football','uni',
                                 'doctor','band','choir','trip','book-club','garden','running'])[1 + floor(random() * 15)::int]
    FROM contacts c, generate_series(1, 3) k
    WHERE c.account_id = {a} AND NOT c.is_group AND c.merged_into IS NULL AND random() < 0.15;
    INSERT INTO contact_notes (contact_id, body, created_at)
    SELECT c.id, p.phrase, now() - interval '3 years' * random()
    FROM contacts c JOIN phrases p ON p.id = 1 + c.id % (SELECT count(*) FROM phrases)
    WHERE c.account_id = {a} AND NOT c.is_group AND random() < 0.05;
    INSERT INTO reminders (account_id, contact_id, body, due_at, done_at)
    SELECT {a}, c.id, 'follow up', now() + interval '30 days' * (random() - 0.3),
           CASE WHEN random() < 0.5 THEN now() - interval '1 day' END
    FROM contacts c WHERE c.account_id = {a} AND NOT c.is_group AND random() < 0.04;
    DROP TABLE first_names, last_names, chat_rank, vocab, phrases;
  )", fmt::arg("a", a)));

  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (auto done = conn.exec_script(steps[i]); !done)
      return make_error(done.error().code, fmt::format("generator step {}: {}", i + 1, done.error().message));
  }
  WACRM_TRY(conn.exec("VACUUM ANALYZE messages, contacts, chats, contact_tags, contact_notes, reminders"));

  auto counts = WACRM_TRY(conn.exec(R"(
    SELECT (SELECT count(*) FROM contacts WHERE account_id = $1 AND NOT is_group AND merged_into IS NULL),
           (SELECT count(*) FROM contacts WHERE account_id = $1 AND is_group),
           (SELECT count(*) FROM messages WHERE account_id = $1))", {store::pg_int(a)}));
  report.people = counts.int64(0, 0);
  report.groups = counts.int64(0, 1);
  report.messages = counts.int64(0, 2);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace wacrm::bench
