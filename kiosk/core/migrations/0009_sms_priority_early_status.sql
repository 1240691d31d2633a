-- The dispatcher claims by class: due one-time codes first, then transactional messages,
-- then alerts, so a code queued at 09:05 does not wait behind a 09:00 digest run.
--
-- The due index gains the class between status and time: each class's claim, release and
-- expiry reads its own slice in due order. Same number of index entries per row as before
-- (the old one is dropped), a few bytes longer.
DROP INDEX sms_messages_due;
CREATE INDEX sms_messages_due ON sms_messages (status, kind, next_attempt_at);

-- Status callbacks that arrived before the dispatcher stored the message's SID (Twilio can
-- call back before its own API answer reaches us, and does not retry a callback we answered
-- 200). record_accepted() applies the furthest-forward one when it stores that SID, in the
-- same transaction, and deletes them; rows nobody claims are purged after a day.
CREATE TABLE sms_early_statuses (
    id           INTEGER PRIMARY KEY,
    sid          TEXT NOT NULL,
    status       TEXT NOT NULL,            -- Twilio's MessageStatus, lower case
    error_code   INTEGER,
    received_at  TEXT NOT NULL
);
CREATE INDEX sms_early_statuses_sid ON sms_early_statuses (sid);
CREATE INDEX sms_early_statuses_received ON sms_early_statuses (received_at);
