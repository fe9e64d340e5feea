-- The pipelines' least-privilege login role: it may write and read rows of Tally's four tables in this schema,
-- and nothing else (no CREATE, DROP, TRUNCATE, DELETE, no other table). Run by psql (PostgreSQL 15+) as the
-- owner of the tables, after 001 and 002, in the database and schema the pipelines use; re-runnable.
--   TALLY_PIPELINE_PASSWORD=... psql -v ON_ERROR_STOP=1 -f deploy/sql/010_pipeline_role.sql
-- The password comes from the environment variable TALLY_PIPELINE_PASSWORD (\getenv), never from argv or this
-- file; the role is tally_pipeline unless psql is given -v pipeline_role=NAME. docker-compose and Kubernetes run
-- it as a PostgreSQL init script with that variable set.
\set ON_ERROR_STOP 1
\getenv pipeline_password TALLY_PIPELINE_PASSWORD
\if :{?pipeline_role}
\else
  \set pipeline_role tally_pipeline
\endif
\if :{?pipeline_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'TALLY_PIPELINE_PASSWORD is not set: export the pipeline role''s password first'; END $$;
\endif

-- A new role gets PostgreSQL's defaults: no superuser, no CREATEDB, no CREATEROLE.
SELECT format('CREATE ROLE %I LOGIN', :'pipeline_role')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'pipeline_role') \gexec
-- Not echoed (\gexec runs it without printing it); the server logs it only with log_statement = ddl or all.
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L',
  :'pipeline_role', :'pipeline_password') \gexec

SELECT format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), :'pipeline_role') \gexec
-- Counts are upserted (INSERT ... ON CONFLICT DO UPDATE reads the old count); runs are inserted, then updated.
SELECT format('GRANT SELECT, INSERT, UPDATE ON user_event_counts, pipeline_runs TO %I', :'pipeline_role') \gexec
-- Events and dead letters are only inserted (ON CONFLICT DO NOTHING); SELECT is for the reports and dashboard.
SELECT format('GRANT SELECT, INSERT ON user_events, dead_letters TO %I', :'pipeline_role') \gexec
-- The streaming job records the Kafka offsets it stored and, at each start, forgets those below where it resumes.
SELECT format('GRANT SELECT, INSERT, DELETE ON kafka_stored_offsets TO %I', :'pipeline_role') \gexec
