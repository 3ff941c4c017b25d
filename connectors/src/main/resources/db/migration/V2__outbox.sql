-- Events a back-office application writes in the same transaction as its change. The CDC connector routes
-- each to the topic of its aggregate type; rows may be deleted right after insert, the event is in the WAL.
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    aggregatetype text NOT NULL,
    aggregateid   text NOT NULL,
    type          text NOT NULL,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Written by the connector's heartbeat so the replication slot moves on while the captured tables are idle.
CREATE TABLE cdc_heartbeat (
    id      integer PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
