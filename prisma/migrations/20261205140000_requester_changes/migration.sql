-- Every write that can change what the per-request requester lookup returns (src/db/repositories/users.ts,
-- REQUESTER_SQL reads users and sessions) is announced on the channel "gateway_requester", with the user's id
-- as the payload ('*' after a TRUNCATE), whoever makes it: the gateway, a script, psql. Every gateway LISTENs
-- and drops its cached requester for that user (src/db/changes.ts, src/auth/requesterCache.ts). NOTIFY is sent
-- at commit, and not at all on rollback. Prisma's schema does not describe triggers: the drift test ignores them.
CREATE FUNCTION "gateway_requester_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('gateway_requester', '*');
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('gateway_requester', OLD.id::text);
    IF TG_OP = 'UPDATE' AND NEW.id IS DISTINCT FROM OLD.id THEN
      PERFORM pg_notify('gateway_requester', NEW.id::text);
    END IF;
  ELSE
    PERFORM pg_notify('gateway_requester', OLD.user_id::text);
    IF TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id THEN
      PERFORM pg_notify('gateway_requester', NEW.user_id::text);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "users_requester_changed" AFTER UPDATE OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "gateway_requester_changed"();
CREATE TRIGGER "users_requester_truncated" AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "gateway_requester_changed"();
CREATE TRIGGER "sessions_requester_changed" AFTER UPDATE OR DELETE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION "gateway_requester_changed"();
CREATE TRIGGER "sessions_requester_truncated" AFTER TRUNCATE ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION "gateway_requester_changed"();
