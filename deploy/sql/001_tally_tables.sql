-- Tally's tables. Applied by the pipelines at every start (and by docker-compose and Kubernetes when the
-- database is created): every statement must be safe to run again. Tables go into the connection's current
-- schema (e.g. jdbc:postgresql://host/tally?currentSchema=x).
--
-- Text columns never hold U+0000 (PostgreSQL text cannot): writers replace it by U+FFFD.

-- Counts per event-time window, user and event type. A re-run overwrites event_count, and moves updated_at
-- only when the count changed.
CREATE TABLE IF NOT EXISTS user_event_counts (
  window_start timestamptz NOT NULL,
  window_end   timestamptz NOT NULL,
  user_id      text        NOT NULL,
  event_type   text        NOT NULL,
  event_count  bigint      NOT NULL CHECK (event_count >= 0),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, window_end, user_id, event_type)
);

-- Valid, de-duplicated events go to user_events, whose columns are the event schema's fields (--schema): the
-- pipelines create it at start from the schema (see UserEventsTable), so it is not declared here.

-- Records that could not become valid events, kept whole for inspection and replay. dead_letter_id is the
-- SHA-256 (hex) of source, a newline and raw (before any U+0000 replacement), so re-reading the same file
-- line stores nothing new. run_id is the run that stored the row first.
CREATE TABLE IF NOT EXISTS dead_letters (
  dead_letter_id text        PRIMARY KEY,
  raw            text        NOT NULL,
  source         text        NOT NULL,
  stage          text        NOT NULL,
  reason         text        NOT NULL,
  message        text        NOT NULL,
  failed_at      timestamptz NOT NULL,
  run_id         text        NOT NULL
);

CREATE INDEX IF NOT EXISTS dead_letters_reason ON dead_letters (reason);

-- One row per pipeline run: RUNNING when it starts, then DONE with the run's counters, or FAILED with a
-- message. read = valid + duplicates + dead_letters holds for every DONE row.
CREATE TABLE IF NOT EXISTS pipeline_runs (
  run_id                 text        PRIMARY KEY,
  runner                 text        NOT NULL,
  input                  text        NOT NULL,
  output                 text,
  started_at             timestamptz NOT NULL,
  finished_at            timestamptz,
  status                 text        NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
  read                   bigint,
  valid                  bigint,
  duplicates             bigint,
  dead_letters           bigint,
  dead_letters_by_reason jsonb,
  count_rows             bigint,
  message                text
);

-- Which Kafka records the streaming sinks have stored, as runs of offsets (first..last) per consumer group and
-- topic-partition, written in the same transaction as the rows they produced. A restart resumes each partition at
-- the first offset not covered (ResumeFromStoredOffsets); rows below the resume point are then deleted.
CREATE TABLE IF NOT EXISTS kafka_stored_offsets (
  consumer_group  text    NOT NULL,
  topic           text    NOT NULL,
  kafka_partition integer NOT NULL,
  first_offset    bigint  NOT NULL,
  last_offset     bigint  NOT NULL CHECK (last_offset >= first_offset)
);

CREATE INDEX IF NOT EXISTS kafka_stored_offsets_position
  ON kafka_stored_offsets (consumer_group, topic, kafka_partition, first_offset);
