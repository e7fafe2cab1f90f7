CREATE TABLE invocations (
    id       {{key}} PRIMARY KEY,
    pool_id  {{key}} NOT NULL,
    trigger_name {{key}} NOT NULL,
    created  BIGINT NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX invocations_pool ON invocations (pool_id, created, id);
CREATE INDEX invocations_created ON invocations (created, id);
