-- PostgreSQL's triggers for 0005_scheduler.sql: they replace what follows that file's line
-- "Each engine's own from here" (its tables and view are shared; see it for what each is for).

CREATE FUNCTION alert_keys_rebuild(seeker BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM alert_keys WHERE seeker_id = seeker;
    INSERT INTO alert_keys SELECT * FROM alert_key_rows WHERE seeker_id = seeker;
$$;

CREATE FUNCTION alert_keys_prefs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM alert_keys_rebuild(OLD.seeker_id);
    ELSE
        PERFORM alert_keys_rebuild(NEW.seeker_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER alert_keys_prefs_insert AFTER INSERT ON seeker_prefs
FOR EACH ROW WHEN (NEW.kind IN ('occupation', 'region', 'employment_type'))
EXECUTE FUNCTION alert_keys_prefs_changed();
CREATE TRIGGER alert_keys_prefs_delete AFTER DELETE ON seeker_prefs
FOR EACH ROW WHEN (OLD.kind IN ('occupation', 'region', 'employment_type'))
EXECUTE FUNCTION alert_keys_prefs_changed();

CREATE FUNCTION alert_keys_seeker_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM alert_keys_rebuild(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER alert_keys_seeker_insert AFTER INSERT ON seekers
FOR EACH ROW EXECUTE FUNCTION alert_keys_seeker_changed();
CREATE TRIGGER alert_keys_seeker_update AFTER UPDATE OF phone, alert_frequency, alerts_consent,
    alerts_paused, min_hourly_wage, status ON seekers
FOR EACH ROW EXECUTE FUNCTION alert_keys_seeker_changed();

CREATE FUNCTION alert_keys_optout_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE seekers SET phone = phone WHERE phone = NEW.phone;
    RETURN NULL;
END $$;
CREATE TRIGGER alert_keys_optout_insert AFTER INSERT ON sms_optouts
FOR EACH ROW EXECUTE FUNCTION alert_keys_optout_changed();
CREATE TRIGGER alert_keys_optout_update AFTER UPDATE OF opted_out ON sms_optouts
FOR EACH ROW EXECUTE FUNCTION alert_keys_optout_changed();
