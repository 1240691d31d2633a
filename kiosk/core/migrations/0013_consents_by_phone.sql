-- A text's 1 / 2 looks for the sender's appointments still to come, those waiting for their
-- consent included: the requests still unanswered, found by the number they went to.
CREATE INDEX appointment_consents_waiting ON appointment_consents (phone) WHERE phone IS NOT NULL;
