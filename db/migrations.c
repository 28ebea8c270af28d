/* Numbered schema migrations. Migration N takes a database from user_version
 * N-1 to N; each runs in its own transaction together with the version bump,
 * so a crash mid-migration leaves the older schema intact. Never edit a
 * migration that has shipped: add the next one. */
#include "db_internal.h"

#include <errno.h>
#include <stdio.h>

static const char *const migrations[] = {
    /* 1: the runtime: update offset, people, the outbox and its failures. */
    "CREATE TABLE bot_state ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE TABLE users ("
    "  telegram_id INTEGER PRIMARY KEY,"
    "  first_name  TEXT,"
    "  username    TEXT,"
    "  tg_language TEXT,"          /* Telegram's language_code, as last seen */
    "  language    TEXT,"          /* chosen with /bahasa; wins over tg_language */
    "  reachable   INTEGER NOT NULL DEFAULT 1,"
    "  first_seen  INTEGER NOT NULL,"
    "  last_seen   INTEGER NOT NULL"
    ");"
    "CREATE TABLE officials ("
    "  telegram_id INTEGER PRIMARY KEY,"
    "  role        TEXT NOT NULL CHECK (role IN ('kadis','kabid','kasi','pelaksana')),"
    "  name        TEXT NOT NULL,"
    "  active      INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE TABLE outbox ("
    "  id         INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  chat_id    INTEGER NOT NULL,"
    "  method     TEXT NOT NULL,"
    "  payload    TEXT NOT NULL,"
    "  card_key   TEXT,"
    "  created_at INTEGER NOT NULL,"  /* ms since the epoch */
    "  not_before INTEGER NOT NULL,"  /* ms; later after a 429 or a network error */
    "  attempts   INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT"
    ");"
    "CREATE INDEX outbox_by_chat ON outbox(chat_id, id);"
    "CREATE TABLE outbox_failed ("
    "  id          INTEGER PRIMARY KEY,"
    "  chat_id     INTEGER NOT NULL,"
    "  method      TEXT NOT NULL,"
    "  payload     TEXT NOT NULL,"
    "  card_key    TEXT,"
    "  created_at  INTEGER NOT NULL,"
    "  failed_at   INTEGER NOT NULL,"
    "  error_code  INTEGER NOT NULL,"
    "  description TEXT"
    ");"
    "CREATE TABLE card_messages ("
    "  card_key   TEXT PRIMARY KEY,"
    "  chat_id    INTEGER NOT NULL,"
    "  message_id INTEGER NOT NULL"
    ");"
    "CREATE TABLE failed_updates ("
    "  update_id   INTEGER NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  raw         TEXT NOT NULL,"
    "  reason      TEXT NOT NULL"
    ");",

    /* 2: the SOP: applicant agencies and their operators, acting officials,
     * cases with their Buku Agenda entry, holders, files, dispositions,
     * checklist, audit trail, and the conversations that collect input. */
    "ALTER TABLE officials ADD COLUMN source TEXT NOT NULL DEFAULT 'config';"
    "CREATE TABLE agencies ("
    "  id     INTEGER PRIMARY KEY,"
    "  name   TEXT NOT NULL UNIQUE,"
    "  active INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE TABLE applicants ("
    "  telegram_id  INTEGER PRIMARY KEY,"
    "  agency_id    INTEGER NOT NULL REFERENCES agencies(id),"
    "  status       TEXT NOT NULL CHECK (status IN ('pending','approved','refused')),"
    "  requested_at INTEGER NOT NULL,"
    "  decided_by   INTEGER,"
    "  decided_at   INTEGER"
    ");"
    "CREATE TABLE plh ("
    "  id        INTEGER PRIMARY KEY,"
    "  role      TEXT NOT NULL CHECK (role IN ('kadis','kabid','kasi')),"
    "  acting_id INTEGER NOT NULL,"
    "  date_from TEXT NOT NULL,"      /* YYYY-MM-DD, WIB, inclusive */
    "  date_to   TEXT NOT NULL,"
    "  named_by  INTEGER NOT NULL,"
    "  named_at  INTEGER NOT NULL,"
    "  ended     INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE cases ("
    "  id                 INTEGER PRIMARY KEY,"
    "  number             TEXT NOT NULL UNIQUE,"
    "  agency_id          INTEGER NOT NULL REFERENCES agencies(id),"
    "  applicant_id       INTEGER NOT NULL,"
    "  state              TEXT NOT NULL,"
    "  version            INTEGER NOT NULL,"
    "  pelaksana_id       INTEGER,"
    "  checklist_complete INTEGER NOT NULL DEFAULT 0,"
    "  draft_ready        INTEGER NOT NULL DEFAULT 0,"
    "  files_confirmed    INTEGER NOT NULL DEFAULT 0,"
    "  draft_confirmed    INTEGER NOT NULL DEFAULT 0,"
    "  signed_uploaded    INTEGER NOT NULL DEFAULT 0,"
    "  bsre_outcome       TEXT,"
    "  session_at         INTEGER,"
    "  session_place      TEXT,"
    "  returned_from      TEXT,"
    "  letter_number      TEXT NOT NULL,"
    "  letter_date        TEXT NOT NULL,"
    "  subject            TEXT NOT NULL,"
    "  sifat              TEXT,"
    "  created_at         INTEGER NOT NULL,"  /* ms */
    "  state_since        INTEGER NOT NULL,"  /* ms */
    "  closed_at          INTEGER"
    ");"
    "CREATE INDEX cases_by_agency ON cases(agency_id, id);"
    "CREATE INDEX cases_by_state ON cases(state);"
    "CREATE TABLE agenda ("
    "  id            INTEGER PRIMARY KEY,"
    "  year          INTEGER NOT NULL,"
    "  number        INTEGER NOT NULL,"
    "  case_id       INTEGER NOT NULL UNIQUE REFERENCES cases(id),"
    "  received_at   INTEGER NOT NULL,"  /* ms */
    "  sender        TEXT NOT NULL,"
    "  letter_number TEXT NOT NULL,"
    "  letter_date   TEXT NOT NULL,"
    "  subject       TEXT NOT NULL,"
    "  UNIQUE (year, number)"
    ");"
    "CREATE TABLE case_holders ("
    "  id       INTEGER PRIMARY KEY,"
    "  case_id  INTEGER NOT NULL REFERENCES cases(id),"
    "  position INTEGER NOT NULL,"
    "  name     TEXT NOT NULL,"
    "  nip      TEXT NOT NULL,"
    "  jabatan  TEXT NOT NULL,"
    "  email    TEXT NOT NULL"
    ");"
    "CREATE INDEX holders_by_case ON case_holders(case_id, position);"
    /* Files of a case; case_id is NULL for a document the bot made for
     * someone (an export such as the Buku Agenda CSV). */
    "CREATE TABLE case_files ("
    "  id          INTEGER PRIMARY KEY,"
    "  case_id     INTEGER REFERENCES cases(id),"
    "  kind        TEXT NOT NULL,"   /* request_letter, applicant_document, draft, ... */
    "  file_id     TEXT,"            /* Telegram's, once known */
    "  file_name   TEXT NOT NULL,"
    "  mime_type   TEXT NOT NULL,"
    "  content     BLOB,"            /* generated by us, or downloaded */
    "  local_path  TEXT,"            /* the copy in documents_dir */
    "  uploaded_by INTEGER,"
    "  created_at  INTEGER NOT NULL"
    ");"
    "CREATE INDEX files_by_case ON case_files(case_id, kind, id);"
    "CREATE TABLE downloads ("
    "  file_row   INTEGER PRIMARY KEY REFERENCES case_files(id),"
    "  attempts   INTEGER NOT NULL DEFAULT 0,"
    "  not_before INTEGER NOT NULL,"
    "  last_error TEXT"
    ");"
    "CREATE TABLE dispositions ("
    "  id           INTEGER PRIMARY KEY,"
    "  case_id      INTEGER NOT NULL REFERENCES cases(id),"
    "  step         INTEGER NOT NULL,"
    "  author_id    INTEGER NOT NULL,"
    "  acted_as     TEXT NOT NULL,"
    "  via_plh      INTEGER NOT NULL,"
    "  instructions TEXT NOT NULL,"   /* comma-separated instruction keys */
    "  sifat        TEXT NOT NULL,"
    "  note         TEXT,"
    "  at           INTEGER NOT NULL"
    ");"
    "CREATE TABLE checklist ("
    "  case_id   INTEGER NOT NULL REFERENCES cases(id),"
    "  holder_id INTEGER NOT NULL REFERENCES case_holders(id),"
    "  item      TEXT NOT NULL,"
    "  status    TEXT NOT NULL CHECK (status IN ('ok','missing')),"
    "  note      TEXT,"
    "  PRIMARY KEY (case_id, holder_id, item)"
    ");"
    "CREATE TABLE audit ("
    "  id           INTEGER PRIMARY KEY,"
    "  case_id      INTEGER NOT NULL REFERENCES cases(id),"
    "  at           INTEGER NOT NULL,"  /* ms */
    "  actor_id     INTEGER NOT NULL,"
    "  acted_as     TEXT NOT NULL,"
    "  via_plh      INTEGER NOT NULL,"
    "  event        TEXT NOT NULL,"
    "  note         TEXT,"
    "  state_before TEXT NOT NULL,"
    "  state_after  TEXT NOT NULL"
    ");"
    "CREATE INDEX audit_by_case ON audit(case_id, id);"
    /* One open conversation per person: the intake draft, or a question the
     * bot asked (a note, a reason) that their next message answers. */
    "CREATE TABLE conversations ("
    "  telegram_id INTEGER PRIMARY KEY,"
    "  kind        TEXT NOT NULL,"
    "  data        TEXT NOT NULL,"    /* JSON */
    "  updated_at  INTEGER NOT NULL"
    ");"
    /* What a card's buttons are set to before the action (disposition
     * instructions, sifat): kept per case and step, not per message. */
    "CREATE TABLE card_drafts ("
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  step    INTEGER NOT NULL,"
    "  data    TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, step)"
    ");"
    /* The SOP's service standard per step, in office minutes ("1 day" is one
     * working day of 7.5 office hours); an admin may revise it, and a running
     * step keeps the standard it started with. */
    "CREATE TABLE step_standards ("
    "  step    INTEGER PRIMARY KEY CHECK (step BETWEEN 1 AND 7),"
    "  minutes INTEGER NOT NULL CHECK (minutes > 0)"
    ");"
    "INSERT INTO step_standards(step, minutes) VALUES "
    "  (1, 15), (2, 15), (3, 450), (4, 120), (5, 15), (6, 450), (7, 450);"
    "CREATE TABLE step_clocks ("
    "  id               INTEGER PRIMARY KEY,"
    "  case_id          INTEGER NOT NULL REFERENCES cases(id),"
    "  step             INTEGER NOT NULL,"
    "  standard_minutes INTEGER NOT NULL,"
    "  started_at       INTEGER NOT NULL,"  /* ms */
    "  paused_at        INTEGER,"           /* ms, while paused */
    "  paused_ms        INTEGER NOT NULL DEFAULT 0,"  /* office ms spent paused */
    "  deadline         INTEGER NOT NULL,"  /* ms; recomputed on resume */
    "  ended_at         INTEGER,"
    "  office_ms        INTEGER,"           /* office time used, once ended */
    "  breached         INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX clocks_by_case ON step_clocks(case_id, id);"
    "CREATE INDEX clocks_running ON step_clocks(deadline) WHERE ended_at IS NULL;",

    /* 3: reminders and the office calendar an admin keeps. Each running
     * clock knows its next reminder, so the scheduler needs one indexed look
     * for the earliest, whatever the number of open cases. */
    "ALTER TABLE step_clocks ADD COLUMN reminder_stage INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE step_clocks ADD COLUMN next_reminder INTEGER;"  /* ms; NULL: none */
    "CREATE INDEX clocks_next_reminder ON step_clocks(next_reminder) "
    "  WHERE next_reminder IS NOT NULL;"
    /* Days an admin added, corrected or removed (removed = 1 hides a shipped
     * holiday); they win over the shipped list. */
    "CREATE TABLE calendar_days ("
    "  date       TEXT PRIMARY KEY,"  /* YYYY-MM-DD */
    "  kind       TEXT NOT NULL CHECK (kind IN ('national','joint_leave','closure')),"
    "  name       TEXT NOT NULL,"
    "  removed    INTEGER NOT NULL DEFAULT 0,"
    "  changed_by INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL"
    ");",

    /* 4: the assisted login sessions (db_sessions.h): the slots offered, the
     * one chosen, its reminders. A Pelaksana is never booked twice: the
     * handlers check before they write, and these triggers refuse it. */
    "CREATE TABLE sessions ("
    "  id           INTEGER PRIMARY KEY,"
    "  case_id      INTEGER NOT NULL REFERENCES cases(id),"
    "  pelaksana_id INTEGER NOT NULL,"
    "  start_at     INTEGER NOT NULL,"  /* ms; [start_at, end_at) */
    "  end_at       INTEGER NOT NULL,"
    "  place        TEXT NOT NULL,"
    "  status       TEXT NOT NULL CHECK (status IN ('draft','offered','confirmed',"
    "                 'withdrawn','cancelled','done','no_show')),"
    "  sequence     INTEGER NOT NULL DEFAULT 0,"  /* the .ics SEQUENCE */
    "  remind_stage INTEGER NOT NULL DEFAULT 0,"
    "  next_due     INTEGER,"                     /* ms; NULL: nothing to send */
    "  created_by   INTEGER NOT NULL,"
    "  created_at   INTEGER NOT NULL,"
    "  updated_at   INTEGER NOT NULL,"
    "  CHECK (end_at > start_at)"
    ");"
    "CREATE INDEX sessions_by_case ON sessions(case_id, status, start_at);"
    "CREATE INDEX sessions_holding ON sessions(pelaksana_id, start_at) "
    "  WHERE status IN ('offered','confirmed');"
    "CREATE INDEX sessions_due ON sessions(next_due) WHERE next_due IS NOT NULL;"
    "CREATE TRIGGER sessions_no_double_booking_insert BEFORE INSERT ON sessions "
    "  WHEN NEW.status IN ('offered','confirmed') AND EXISTS (SELECT 1 FROM sessions o "
    "    WHERE o.pelaksana_id = NEW.pelaksana_id AND o.status IN ('offered','confirmed') "
    "    AND o.start_at < NEW.end_at AND NEW.start_at < o.end_at) "
    "BEGIN SELECT RAISE(ABORT, 'sessions: the Pelaksana is already booked then'); END;"
    "CREATE TRIGGER sessions_no_double_booking_update "
    "  BEFORE UPDATE OF status, start_at, end_at, pelaksana_id ON sessions "
    "  WHEN NEW.status IN ('offered','confirmed') AND EXISTS (SELECT 1 FROM sessions o "
    "    WHERE o.id != NEW.id AND o.pelaksana_id = NEW.pelaksana_id "
    "    AND o.status IN ('offered','confirmed') "
    "    AND o.start_at < NEW.end_at AND NEW.start_at < o.end_at) "
    "BEGIN SELECT RAISE(ABORT, 'sessions: the Pelaksana is already booked then'); END;",
    /* The letters' numbers and signature blocks: the officials' NIP,
     * pangkat/golongan and name with titles (from the config), and the
     * outgoing letters (surat keluar) with a number per kind per year, given
     * when the Kadis signs. */
    "ALTER TABLE officials ADD COLUMN nip TEXT;"
    "ALTER TABLE officials ADD COLUMN pangkat TEXT;"
    "ALTER TABLE officials ADD COLUMN title TEXT;"
    "CREATE TABLE outgoing_letters ("
    "  id          INTEGER PRIMARY KEY,"
    "  case_id     INTEGER NOT NULL REFERENCES cases(id),"
    "  kind        TEXT NOT NULL CHECK (kind IN ('recommendation','notification')),"
    "  year        INTEGER NOT NULL,"
    "  seq         INTEGER NOT NULL CHECK (seq > 0),"
    "  number      TEXT NOT NULL,"
    "  letter_date TEXT NOT NULL,"    /* YYYY-MM-DD, WIB */
    "  signed_at   INTEGER NOT NULL," /* ms */
    "  signer_id   INTEGER NOT NULL,"
    "  via_plh     INTEGER NOT NULL,"
    "  addressee   TEXT NOT NULL,"
    "  subject     TEXT NOT NULL,"
    "  UNIQUE (kind, year, seq)"
    ");"
    "CREATE INDEX outgoing_by_case ON outgoing_letters(case_id, kind, id);"
    "CREATE INDEX outgoing_by_time ON outgoing_letters(signed_at);",
    /* E-mail to BSrE (issue 11, sending side). mail_outbox is the durable
     * queue: a row is committed with the state change that asks for the mail
     * and deleted in the transaction that records the server's 250.
     * attachments is a JSON array of case_files ids; the message itself is
     * composed when it is first sent and kept in `message` so a retry sends
     * the same bytes (and the same Message-ID). case_mail_ids maps every
     * Message-ID the bot sent to its case, for matching BSrE's replies. */
    "CREATE TABLE mail_outbox ("
    "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  case_id     INTEGER NOT NULL REFERENCES cases(id),"
    "  message_id  TEXT NOT NULL UNIQUE,"  /* with the angle brackets */
    "  mail_from   TEXT NOT NULL,"
    "  mail_to     TEXT NOT NULL,"
    "  mail_cc     TEXT,"
    "  subject     TEXT NOT NULL,"
    "  body        TEXT NOT NULL,"
    "  attachments TEXT NOT NULL,"         /* JSON array of case_files ids */
    "  requested_by INTEGER NOT NULL,"     /* the Pelaksana who confirmed */
    "  message     BLOB,"                  /* the composed message, once built */
    "  created_at  INTEGER NOT NULL,"      /* ms */
    "  not_before  INTEGER NOT NULL,"      /* ms; later after a temporary failure */
    "  attempts    INTEGER NOT NULL DEFAULT 0,"
    "  last_error  TEXT"
    ");"
    "CREATE INDEX mail_outbox_due ON mail_outbox(not_before, id);"
    "CREATE TABLE mail_failed ("
    "  id         INTEGER PRIMARY KEY,"    /* the mail_outbox id it had */
    "  case_id    INTEGER NOT NULL REFERENCES cases(id),"
    "  message_id TEXT NOT NULL,"
    "  mail_to    TEXT NOT NULL,"
    "  subject    TEXT NOT NULL,"
    "  attempts   INTEGER NOT NULL,"
    "  error      TEXT NOT NULL,"          /* the server's text */
    "  created_at INTEGER NOT NULL,"
    "  failed_at  INTEGER NOT NULL"
    ");"
    "CREATE TABLE mail_sent ("
    "  message_id TEXT PRIMARY KEY,"
    "  case_id    INTEGER NOT NULL REFERENCES cases(id),"
    "  mail_to    TEXT NOT NULL,"
    "  eml_file   INTEGER REFERENCES case_files(id),"
    "  sent_at    INTEGER NOT NULL"
    ");"
    "CREATE TABLE case_mail_ids (message_id TEXT PRIMARY KEY, case_id INTEGER NOT NULL, "
    "created_at INTEGER NOT NULL);",

    /* The mail the bot reads by IMAP (db_inbox.h): per mailbox, the
     * UIDVALIDITY and the last UID handled, moved in the same transaction as
     * what a message caused, so a restart neither misses nor repeats one;
     * and every message handled, with its case once known. `raw` keeps an
     * unmatched message until the Kasi attaches it to a case or ignores it. */
    "CREATE TABLE inbox_state ("
    "  mailbox     TEXT PRIMARY KEY,"     /* email.imap_url */
    "  uidvalidity INTEGER NOT NULL,"
    "  last_uid    INTEGER NOT NULL,"
    "  updated_at  INTEGER NOT NULL"
    ");"
    "CREATE TABLE inbox_messages ("
    "  id          INTEGER PRIMARY KEY,"
    "  mailbox     TEXT NOT NULL,"
    "  uidvalidity INTEGER NOT NULL,"
    "  uid         INTEGER NOT NULL,"
    "  message_id  TEXT NOT NULL,"        /* without angle brackets; '' if none */
    "  mail_from   TEXT NOT NULL,"
    "  subject     TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL,"     /* ms, business time: when the bot read it */
    "  case_id     INTEGER REFERENCES cases(id),"
    "  status      TEXT NOT NULL,"        /* matched, unmatched, attached, ignored, duplicate */
    "  matched_by  TEXT,"                 /* in_reply_to, references, tag, kasi */
    "  eml_file    INTEGER REFERENCES case_files(id),"
    "  raw         BLOB,"
    "  decided_by  INTEGER,"
    "  UNIQUE (mailbox, uidvalidity, uid)"
    ");"
    "CREATE INDEX inbox_by_message_id ON inbox_messages(message_id);"
    "CREATE INDEX inbox_by_status ON inbox_messages(status, id);",

    /* Operations: the audit trail's hash chain (db_audit_chain.h; rows written
     * before it are sealed in id order by db_open, in one transaction) and
     * the mark retention leaves on a closed case whose personal data it
     * removed (ms; NULL: not removed). */
    "ALTER TABLE audit ADD COLUMN prev_hash TEXT;"
    "ALTER TABLE audit ADD COLUMN hash TEXT;"
    "ALTER TABLE cases ADD COLUMN personal_data_removed_at INTEGER;"
    "CREATE INDEX cases_closed ON cases(closed_at) "
    "  WHERE closed_at IS NOT NULL AND personal_data_removed_at IS NULL;",
    /* Plt. (pelaksana tugas, for a vacant post) beside Plh. (pelaksana
     * harian, for an absent official): the same routing, another title. */
    "ALTER TABLE plh ADD COLUMN kind TEXT NOT NULL DEFAULT 'plh' CHECK (kind IN ('plh','plt'));",
    /* A typed reply to a card finds the card by its message (card_reply.c). */
    "CREATE INDEX card_messages_by_message ON card_messages(chat_id, message_id);",
    /* The scheduler's quarantine (db_jobs.h): a job that failed, with its
     * error, when it may be tried again (business ms) and whether it was set
     * aside after too many tries. */
    "CREATE TABLE failed_jobs ("
    "  job             TEXT PRIMARY KEY,"   /* "clock:12", "session:3", ... */
    "  attempts        INTEGER NOT NULL,"
    "  first_failed_at INTEGER NOT NULL,"
    "  last_failed_at  INTEGER NOT NULL,"
    "  next_try_at     INTEGER NOT NULL,"
    "  set_aside       INTEGER NOT NULL DEFAULT 0,"
    "  error           TEXT NOT NULL"
    ");",
    /* The officials' daily digest (db_digests.h): the last day each one got
     * it, written with its outbox row, so a restart never sends it twice. */
    "CREATE TABLE digests ("
    "  user_id  INTEGER PRIMARY KEY,"
    "  day      TEXT NOT NULL,"
    "  sent_at  INTEGER NOT NULL,"
    "  items    INTEGER NOT NULL"
    ");",
    /* What survives a return: a tick remembers the newest file of its case
     * when it was made, so a return can tell whether the applicant sent
     * documents after it (db_checks_documents_newer). */
    "ALTER TABLE checklist ADD COLUMN files_seen INTEGER NOT NULL DEFAULT 0;",
    /* After the first certificate (db_certificates.h): a request is new or a
     * renewal, and the register of holders keeps one live row per holder per
     * agency (a revoked row stays as history; the holder may be registered
     * again, there or at another agency). */
    "ALTER TABLE cases ADD COLUMN kind TEXT NOT NULL DEFAULT 'baru' "
    "  CHECK (kind IN ('baru','perpanjangan'));"
    "CREATE TABLE certificates ("
    "  id              INTEGER PRIMARY KEY,"
    "  agency_id       INTEGER NOT NULL REFERENCES agencies(id),"
    "  nip             TEXT NOT NULL,"
    "  name            TEXT NOT NULL,"
    "  jabatan         TEXT NOT NULL,"
    "  email           TEXT NOT NULL,"
    "  case_id         INTEGER NOT NULL REFERENCES cases(id),"  /* issued or last renewed it */
    "  status          TEXT NOT NULL CHECK (status IN ('waiting','issued',"
    "                    'renewal_requested','expired','revoked')),"
    "  login_at        INTEGER,"   /* ms: the session saw the holder log in */
    "  valid_until     TEXT,"      /* YYYY-MM-DD, the last day it is valid */
    "  renewal_case_id INTEGER REFERENCES cases(id),"
    "  reminded_days   INTEGER,"   /* the nearest reminder sent for this valid_until */
    "  revoked_at      INTEGER,"   /* ms */
    "  revoke_reason   TEXT,"
    "  created_at      INTEGER NOT NULL,"
    "  updated_at      INTEGER NOT NULL"
    ");"
    "CREATE UNIQUE INDEX certificates_live ON certificates(agency_id, nip) "
    "  WHERE status != 'revoked';"
    "CREATE INDEX certificates_by_nip ON certificates(nip);"
    "CREATE INDEX certificates_by_end ON certificates(valid_until) "
    "  WHERE status IN ('issued','renewal_requested');",
    /* Second thoughts (workflow.h): an irreversible action may be undone
     * within a minute by whoever took it. `undo` keeps, per case, the last
     * such action and the case as it was before it (written in the action's
     * transaction); `outgoing_cancelled` the letters whose signature was
     * undone: the register's row stays, its number is not given again. */
    "CREATE TABLE undo ("
    "  case_id         INTEGER PRIMARY KEY REFERENCES cases(id),"
    "  actor_id        INTEGER NOT NULL,"
    "  event           TEXT NOT NULL,"
    "  outcome         TEXT NOT NULL,"
    "  version_after   INTEGER NOT NULL,"
    "  deadline        INTEGER NOT NULL,"  /* ms */
    "  chat_id         INTEGER NOT NULL,"
    "  message_id      INTEGER NOT NULL,"
    "  at              INTEGER NOT NULL,"
    "  state           TEXT NOT NULL,"
    "  version         INTEGER NOT NULL,"
    "  pelaksana_id    INTEGER NOT NULL,"
    "  flags           INTEGER NOT NULL,"
    "  bsre_outcome    TEXT NOT NULL,"
    "  session_at      INTEGER NOT NULL,"
    "  returned_from   TEXT NOT NULL,"
    "  state_since     INTEGER NOT NULL,"
    "  closed_at       INTEGER NOT NULL,"
    "  clock_max_id    INTEGER NOT NULL,"
    "  clock_id        INTEGER NOT NULL,"
    "  clock_paused_at INTEGER NOT NULL,"
    "  clock_paused_ms INTEGER NOT NULL,"
    "  clock_breached  INTEGER NOT NULL,"
    "  letter_id       INTEGER NOT NULL"
    ");"
    "CREATE TABLE outgoing_cancelled ("
    "  letter_id    INTEGER PRIMARY KEY REFERENCES outgoing_letters(id),"
    "  case_id      INTEGER NOT NULL REFERENCES cases(id),"
    "  cancelled_at INTEGER NOT NULL,"
    "  cancelled_by INTEGER NOT NULL"
    ");",
    /* After the first certificate, the flows beside the SOP (db_aftercare.h):
     * a revocation or a help request for one register row, its state as
     * core/aftercare.h names it, the Pelaksana named, the supporting letter
     * (a stored file not tied to a case) and the Message-ID of the e-mail to
     * BSrE, so the mail queue's outcome finds its request; a help request's
     * standard time and its next reminder. One open request of a kind per
     * row.
     * A help request's session is booked in `sessions` itself, so the
     * double-booking triggers and checks that guard a Pelaksana's step-7
     * sessions guard these too (a parallel table would need every check
     * twice). `sessions.case_id` was NOT NULL, which SQLite cannot relax in
     * place: the table is rebuilt with a nullable case_id and a help_id,
     * exactly one of them set, and its indexes and triggers made again. Its audit lines are its own: the cases' audit chain
     * is per case. */
    "CREATE TABLE aftercare_requests ("
    "  id             INTEGER PRIMARY KEY,"
    "  kind           TEXT NOT NULL CHECK (kind IN ('revoke','help')),"
    "  state          TEXT NOT NULL CHECK (state IN ('kasi','pelaksana','done','returned')),"
    "  version        INTEGER NOT NULL,"
    "  agency_id      INTEGER NOT NULL REFERENCES agencies(id),"
    "  certificate_id INTEGER NOT NULL REFERENCES certificates(id),"
    "  requested_by   INTEGER NOT NULL,"
    "  reason         TEXT NOT NULL,"
    "  event_date     TEXT,"       /* revoke: YYYY-MM-DD of the move, retirement, death */
    "  note           TEXT,"       /* help: what the operator wrote; the return's note */
    "  letter_file    INTEGER REFERENCES case_files(id),"
    "  pelaksana_id   INTEGER,"
    "  message_id     TEXT,"       /* the e-mail to BSrE, with angle brackets */
    "  mail_sent_at   INTEGER,"    /* ms: the server took it */
    "  standard_minutes INTEGER,"  /* help: its standard time when it was made */
    "  remind_stage   INTEGER NOT NULL DEFAULT 0,"  /* help: the next reminder (sla.h) */
    "  next_due       INTEGER,"    /* ms: when; NULL: nothing to send */
    "  office_ms      INTEGER,"    /* help: office time from the request to its report */
    "  created_at     INTEGER NOT NULL,"
    "  updated_at     INTEGER NOT NULL,"
    "  closed_at      INTEGER"
    ");"
    "CREATE UNIQUE INDEX aftercare_open ON aftercare_requests(certificate_id, kind) "
    "  WHERE state IN ('kasi','pelaksana');"
    "CREATE INDEX aftercare_by_message ON aftercare_requests(message_id) "
    "  WHERE message_id IS NOT NULL;"
    "CREATE INDEX aftercare_due ON aftercare_requests(next_due) WHERE next_due IS NOT NULL;"
    "CREATE TABLE aftercare_audit ("
    "  id           INTEGER PRIMARY KEY,"
    "  request_id   INTEGER NOT NULL REFERENCES aftercare_requests(id),"
    "  actor_id     INTEGER NOT NULL,"
    "  acted_as     TEXT,"
    "  via_plh      INTEGER NOT NULL,"
    "  event        TEXT,"        /* NULL: the request was made */
    "  state_before TEXT,"
    "  state_after  TEXT NOT NULL,"
    "  note         TEXT,"
    "  at           INTEGER NOT NULL"
    ");"
    "CREATE TABLE sessions_rebuilt ("
    "  id           INTEGER PRIMARY KEY,"
    "  case_id      INTEGER REFERENCES cases(id),"
    "  help_id      INTEGER REFERENCES aftercare_requests(id),"
    "  pelaksana_id INTEGER NOT NULL,"
    "  start_at     INTEGER NOT NULL,"
    "  end_at       INTEGER NOT NULL,"
    "  place        TEXT NOT NULL,"
    "  status       TEXT NOT NULL CHECK (status IN ('draft','offered','confirmed',"
    "                 'withdrawn','cancelled','done','no_show')),"
    "  sequence     INTEGER NOT NULL DEFAULT 0,"
    "  remind_stage INTEGER NOT NULL DEFAULT 0,"
    "  next_due     INTEGER,"
    "  created_by   INTEGER NOT NULL,"
    "  created_at   INTEGER NOT NULL,"
    "  updated_at   INTEGER NOT NULL,"
    "  CHECK (end_at > start_at),"
    "  CHECK ((case_id IS NULL) != (help_id IS NULL))"
    ");"
    "INSERT INTO sessions_rebuilt (id, case_id, pelaksana_id, start_at, end_at, place, status, "
    "  sequence, remind_stage, next_due, created_by, created_at, updated_at) "
    "  SELECT id, case_id, pelaksana_id, start_at, end_at, place, status, sequence, "
    "  remind_stage, next_due, created_by, created_at, updated_at FROM sessions;"
    "DROP TABLE sessions;"
    "ALTER TABLE sessions_rebuilt RENAME TO sessions;"
    "CREATE INDEX sessions_by_case ON sessions(case_id, status, start_at);"
    "CREATE INDEX sessions_by_help ON sessions(help_id, status) WHERE help_id IS NOT NULL;"
    "CREATE INDEX sessions_holding ON sessions(pelaksana_id, start_at) "
    "  WHERE status IN ('offered','confirmed');"
    "CREATE INDEX sessions_due ON sessions(next_due) WHERE next_due IS NOT NULL;"
    "CREATE TRIGGER sessions_no_double_booking_insert BEFORE INSERT ON sessions "
    "  WHEN NEW.status IN ('offered','confirmed') AND EXISTS (SELECT 1 FROM sessions o "
    "    WHERE o.pelaksana_id = NEW.pelaksana_id AND o.status IN ('offered','confirmed') "
    "    AND o.start_at < NEW.end_at AND NEW.start_at < o.end_at) "
    "BEGIN SELECT RAISE(ABORT, 'sessions: the Pelaksana is already booked then'); END;"
    "CREATE TRIGGER sessions_no_double_booking_update "
    "  BEFORE UPDATE OF status, start_at, end_at, pelaksana_id ON sessions "
    "  WHEN NEW.status IN ('offered','confirmed') AND EXISTS (SELECT 1 FROM sessions o "
    "    WHERE o.id != NEW.id AND o.pelaksana_id = NEW.pelaksana_id "
    "    AND o.status IN ('offered','confirmed') "
    "    AND o.start_at < NEW.end_at AND NEW.start_at < o.end_at) "
    "BEGIN SELECT RAISE(ABORT, 'sessions: the Pelaksana is already booked then'); END;",
    /* Retention of the after-certificate requests (db_retention.h): the mark
     * it leaves on a closed request whose note and letter it removed (ms;
     * NULL: not removed), and the index its due query walks. */
    "ALTER TABLE aftercare_requests ADD COLUMN personal_data_removed_at INTEGER;"
    "CREATE INDEX aftercare_closed ON aftercare_requests(closed_at) "
    "  WHERE closed_at IS NOT NULL AND personal_data_removed_at IS NULL;",
    /* BSrE's reply to a revocation's e-mail (handlers/revoke_mail.c): the
     * message read by IMAP names the request it answers, not a case, and
     * the .eml and attachments kept of it belong to the request (so its
     * retention removes them with the letter). NULL: not a request's. */
    "ALTER TABLE inbox_messages ADD COLUMN aftercare_id INTEGER "
    "  REFERENCES aftercare_requests(id);"
    "ALTER TABLE case_files ADD COLUMN aftercare_id INTEGER REFERENCES aftercare_requests(id);"
    "CREATE INDEX files_by_request ON case_files(aftercare_id) WHERE aftercare_id IS NOT NULL;",
    /* A revocation's e-mail to BSrE belongs to the revocation request, not
     * to the case that issued the certificate (it was queued under that
     * case: the case's export listed it, a revocation recorded by hand
     * withdrew every mail queued under that case, its copy was written in
     * the case's folder under the case's number). The queue, the failed and
     * the sent mails name exactly one owner: a case or a request. SQLite
     * cannot relax NOT NULL in place, so the three tables are rebuilt; the
     * queue keeps its AUTOINCREMENT counter (mail_failed.id and the .eml's
     * name reuse a queue id, so an id must never come back). Mails already
     * stored move to their request (found by the request's Message-ID), the
     * request's Message-ID leaves the cases' list (matching asks the
     * requests by their own column), and the copy of a sent one is linked
     * to the request as its file. */
    "CREATE TABLE mail_outbox_rebuilt ("
    "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  case_id     INTEGER REFERENCES cases(id),"
    "  aftercare_id INTEGER REFERENCES aftercare_requests(id),"
    "  message_id  TEXT NOT NULL UNIQUE,"
    "  mail_from   TEXT NOT NULL,"
    "  mail_to     TEXT NOT NULL,"
    "  mail_cc     TEXT,"
    "  subject     TEXT NOT NULL,"
    "  body        TEXT NOT NULL,"
    "  attachments TEXT NOT NULL,"
    "  requested_by INTEGER NOT NULL,"
    "  message     BLOB,"
    "  created_at  INTEGER NOT NULL,"
    "  not_before  INTEGER NOT NULL,"
    "  attempts    INTEGER NOT NULL DEFAULT 0,"
    "  last_error  TEXT,"
    "  CHECK ((case_id IS NULL) != (aftercare_id IS NULL))"
    ");"
    "INSERT INTO mail_outbox_rebuilt (id, case_id, aftercare_id, message_id, mail_from, mail_to, "
    "  mail_cc, subject, body, attachments, requested_by, message, created_at, not_before, "
    "  attempts, last_error) "
    "  SELECT o.id, CASE WHEN r.id IS NULL THEN o.case_id END, r.id, o.message_id, o.mail_from, "
    "  o.mail_to, o.mail_cc, o.subject, o.body, o.attachments, o.requested_by, o.message, "
    "  o.created_at, o.not_before, o.attempts, o.last_error FROM mail_outbox o "
    "  LEFT JOIN aftercare_requests r ON r.message_id = o.message_id AND r.kind = 'revoke';"
    "INSERT INTO sqlite_sequence(name, seq) SELECT 'mail_outbox_rebuilt', 0 WHERE NOT EXISTS "
    "  (SELECT 1 FROM sqlite_sequence WHERE name = 'mail_outbox_rebuilt');"
    "UPDATE sqlite_sequence SET seq = max(seq, "
    "  coalesce((SELECT max(seq) FROM sqlite_sequence WHERE name = 'mail_outbox'), 0), "
    "  coalesce((SELECT max(id) FROM mail_failed), 0)) WHERE name = 'mail_outbox_rebuilt';"
    "DROP TABLE mail_outbox;"
    "ALTER TABLE mail_outbox_rebuilt RENAME TO mail_outbox;"
    "CREATE INDEX mail_outbox_due ON mail_outbox(not_before, id);"
    "CREATE TABLE mail_failed_rebuilt ("
    "  id         INTEGER PRIMARY KEY,"
    "  case_id    INTEGER REFERENCES cases(id),"
    "  aftercare_id INTEGER REFERENCES aftercare_requests(id),"
    "  message_id TEXT NOT NULL,"
    "  mail_to    TEXT NOT NULL,"
    "  subject    TEXT NOT NULL,"
    "  attempts   INTEGER NOT NULL,"
    "  error      TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  failed_at  INTEGER NOT NULL,"
    "  CHECK ((case_id IS NULL) != (aftercare_id IS NULL))"
    ");"
    "INSERT INTO mail_failed_rebuilt (id, case_id, aftercare_id, message_id, mail_to, subject, "
    "  attempts, error, created_at, failed_at) "
    "  SELECT f.id, CASE WHEN r.id IS NULL THEN f.case_id END, r.id, f.message_id, f.mail_to, "
    "  f.subject, f.attempts, f.error, f.created_at, f.failed_at FROM mail_failed f "
    "  LEFT JOIN aftercare_requests r ON r.message_id = f.message_id AND r.kind = 'revoke';"
    "DROP TABLE mail_failed;"
    "ALTER TABLE mail_failed_rebuilt RENAME TO mail_failed;"
    "CREATE TABLE mail_sent_rebuilt ("
    "  message_id TEXT PRIMARY KEY,"
    "  case_id    INTEGER REFERENCES cases(id),"
    "  aftercare_id INTEGER REFERENCES aftercare_requests(id),"
    "  mail_to    TEXT NOT NULL,"
    "  eml_file   INTEGER REFERENCES case_files(id),"
    "  sent_at    INTEGER NOT NULL,"
    "  CHECK ((case_id IS NULL) != (aftercare_id IS NULL))"
    ");"
    "INSERT INTO mail_sent_rebuilt (message_id, case_id, aftercare_id, mail_to, eml_file, sent_at) "
    "  SELECT s.message_id, CASE WHEN r.id IS NULL THEN s.case_id END, r.id, s.mail_to, "
    "  s.eml_file, s.sent_at FROM mail_sent s "
    "  LEFT JOIN aftercare_requests r ON r.message_id = s.message_id AND r.kind = 'revoke';"
    "DROP TABLE mail_sent;"
    "ALTER TABLE mail_sent_rebuilt RENAME TO mail_sent;"
    "CREATE INDEX mail_sent_by_request ON mail_sent(aftercare_id) WHERE aftercare_id IS NOT NULL;"
    "DELETE FROM case_mail_ids WHERE message_id IN "
    "  (SELECT message_id FROM aftercare_requests WHERE message_id IS NOT NULL);"
    "UPDATE case_files SET aftercare_id = (SELECT s.aftercare_id FROM mail_sent s "
    "  WHERE s.eml_file = case_files.id) WHERE case_id IS NULL AND aftercare_id IS NULL "
    "  AND id IN (SELECT eml_file FROM mail_sent WHERE aftercare_id IS NOT NULL);",
};

const int db_migration_count = (int)(sizeof migrations / sizeof migrations[0]);

const char *db_migration_sql(int number)
{
    return number >= 1 && number <= db_migration_count ? migrations[number - 1] : NULL;
}

static int run(struct db *db, const char *sql, char *err, size_t err_size, int target)
{
    char *msg = NULL;
    if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_size, "database: migration to schema %d failed: %s", target,
                 msg ? msg : "unknown error");
        sqlite3_free(msg);
        return -EIO;
    }
    return 0;
}

int db_migrate(struct db *db, char *err, size_t err_size)
{
    int version = db_schema_version(db);
    if (version < 0) {
        snprintf(err, err_size, "database: cannot read its schema version: %s",
                 sqlite3_errmsg(db->conn));
        return -EIO;
    }
    if (version > db_migration_count) {
        snprintf(err, err_size,
                 "database: schema %d is newer than this sertibot knows (%d); "
                 "run the newer sertibot or restore a backup",
                 version, db_migration_count);
        return -EPROTO;
    }
    for (int next = version + 1; next <= db_migration_count; next++) {
        char bump[48];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", next);
        int rc = run(db, "BEGIN IMMEDIATE", err, err_size, next);
        if (!rc)
            rc = run(db, migrations[next - 1], err, err_size, next);
        if (!rc)
            rc = run(db, bump, err, err_size, next);
        if (!rc)
            rc = run(db, "COMMIT", err, err_size, next);
        if (rc) {
            sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return 0;
}
