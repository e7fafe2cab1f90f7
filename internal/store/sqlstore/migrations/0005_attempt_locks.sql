CREATE TABLE attempt_locks (
    pool_id {{key}} NOT NULL,
    bucket  BIGINT NOT NULL,
    PRIMARY KEY (pool_id, bucket)
);
CREATE INDEX attempts_pool_at ON attempts (pool_id, at);
