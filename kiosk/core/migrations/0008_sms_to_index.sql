-- The outbox's recipient index keyed by the number alone, without created_at.
--
-- Every message adds an entry here, at a place set by a number that is in effect random, so
-- it is the dearest of the outbox's indexes to insert into; 20 fewer bytes an entry made
-- enqueue_many about 0.5 µs a message cheaper (docs/benchmarks.md, SMS section). Its
-- readers look a number up (cancel_to, forget_number, last_sent_to, the dev inbox) and
-- none of them orders by created_at within a number through this index.
DROP INDEX sms_messages_to;
CREATE INDEX sms_messages_to ON sms_messages (to_number);
