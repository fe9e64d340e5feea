-- user_events for the default event schema (--schema=default), exactly what the pipelines create from it
-- (UserEventsTable; UserEventsSqlFileTest keeps the two equal). Created here so that a least-privilege pipeline
-- role (010_pipeline_role.sql) needs no CREATE right. Another event schema's table is created by the pipeline
-- itself on its first run as a role that may create tables (or write its DDL here, in its own schema).
CREATE TABLE IF NOT EXISTS user_events (
  "event_id" text NOT NULL,
  "user_id" text NOT NULL,
  "event_type" text NOT NULL,
  "event_time" timestamptz NOT NULL,
  "product_id" text,
  "category" text,
  "price" numeric(18,4) CHECK ("price" >= 0),
  "currency" text,
  "device" text,
  "location" text,
  "session_id" text,
  "tally_source" text,
  PRIMARY KEY ("event_id")
);

ALTER TABLE user_events ADD COLUMN IF NOT EXISTS "tally_source" text;

CREATE INDEX IF NOT EXISTS user_events_user_time ON user_events ("user_id", "event_time");
