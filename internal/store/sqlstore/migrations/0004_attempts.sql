CREATE TABLE attempts (
    pool_id  {{key}} NOT NULL,
    username {{key}} NOT NULL,
    action   {{key}} NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX attempts_user ON attempts (pool_id, username, action, at);
