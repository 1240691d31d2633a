-- SMS: the outbox, the opt-out registry and stored inbound texts.
-- Instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ'. Phone numbers are E.164 ('+821012345678').

-- One row per message JobStop means to send. enqueue() is the only writer of new rows;
-- the dedupe key makes "the same message twice" impossible at the constraint level.
CREATE TABLE sms_messages (
    id              INTEGER PRIMARY KEY,
    to_number       TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- The value checks are OR chains on purpose: SQLite evaluates `x IN (list)` in a CHECK by
    -- building a small temporary index for every row, which halved the enqueue rate.
    kind            TEXT NOT NULL CHECK (kind = 'otp' OR kind = 'transactional' OR kind = 'alert'),
    dedupe_key      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status = 'queued' OR status = 'held' OR status = 'sending'
                                         OR status = 'sent' OR status = 'delivered' OR status = 'undelivered'
                                         OR status = 'failed' OR status = 'expired' OR status = 'cancelled'),
    reason          TEXT,                   -- why it was not sent: opted_out, cancelled, expired, ...
    language        TEXT NOT NULL DEFAULT 'ko',
    night_ok        INTEGER NOT NULL DEFAULT 0 CHECK (night_ok = 0 OR night_ok = 1),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,          -- not before this instant (queued: due; held: window opens)
    valid_until     TEXT,                   -- never sent after this instant: becomes 'expired'
    lease_token     TEXT,                   -- the dispatcher pass that claimed it ('sending')
    lease_until     TEXT,                   -- after this a 'sending' row is re-examined
    transport       TEXT,                   -- 'twilio' or 'dev'
    twilio_sid      TEXT,                   -- set the moment the provider accepted it (unique, below)
    error_code      INTEGER,
    error_text      TEXT,
    segments        INTEGER NOT NULL,
    encoding        TEXT NOT NULL CHECK (encoding = 'GSM-7' OR encoding = 'UCS-2'),
    seeker_id       INTEGER,                -- seekers arrive in 0004; no FOREIGN KEY on purpose
    opening_id      INTEGER REFERENCES openings (id) ON DELETE SET NULL,
    appointment_id  INTEGER,                -- appointments arrive in 0006; no FOREIGN KEY on purpose
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT,                   -- the provider accepted it
    delivered_at    TEXT                    -- the carrier reported it delivered
);

-- The dispatcher's claim (due rows by status and time); also finds 'sending' rows with stale leases.
CREATE INDEX sms_messages_due ON sms_messages (status, next_attempt_at);
-- Status callbacks by SID. Partial: a queued row has none, and inserts stay cheap.
CREATE UNIQUE INDEX sms_messages_sid ON sms_messages (twilio_sid) WHERE twilio_sid IS NOT NULL;
-- "What did we last send this number", the opt-out cancellation, the development inbox.
CREATE INDEX sms_messages_to ON sms_messages (to_number, created_at);
CREATE INDEX sms_messages_appointment ON sms_messages (appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX sms_messages_seeker ON sms_messages (seeker_id) WHERE seeker_id IS NOT NULL;

-- The opt-out registry, keyed by number: STOP / 수신거부 or Twilio's 21610 put a number here.
CREATE TABLE sms_optouts (
    phone       TEXT PRIMARY KEY,
    opted_out   INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
    source      TEXT NOT NULL,              -- 'keyword', 'twilio_21610', 'kiosk', 'console', ...
    changed_at  TEXT NOT NULL
);

-- Every text received. A repeated MessageSid (Twilio retries a webhook) is handled once.
CREATE TABLE sms_inbound (
    id           INTEGER PRIMARY KEY,
    message_sid  TEXT NOT NULL UNIQUE,
    from_number  TEXT NOT NULL,
    to_number    TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    handled_by   TEXT,                      -- the reply handler that answered: optout, help, ...
    reply        TEXT                       -- the TwiML reply text (NULL: none, e.g. rate-limited)
);
CREATE INDEX sms_inbound_from ON sms_inbound (from_number, received_at);
CREATE INDEX sms_inbound_received ON sms_inbound (received_at);
