-- The initial schema. {{key}} is byte-wise ordered text, {{bytes}} binary
-- (see dialect.go). Times are BIGINT microseconds since the Unix epoch.
-- No foreign keys: memberships may name users and groups that do not
-- exist, and cascades are done by the store, the same on every engine.

CREATE TABLE pools (
    id   {{key}} PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE clients (
    id            {{key}} PRIMARY KEY,
    pool_id       {{key}} NOT NULL,
    data          TEXT NOT NULL,
    secret_sealed {{bytes}}
);
CREATE INDEX clients_pool ON clients (pool_id, id);

CREATE TABLE users (
    pool_id               {{key}} NOT NULL,
    username              {{key}} NOT NULL,
    sub                   {{key}} NOT NULL,
    status                {{key}} NOT NULL,
    enabled               BOOLEAN NOT NULL,
    failed_attempts       BIGINT NOT NULL,
    created               BIGINT NOT NULL,
    modified              BIGINT NOT NULL,
    password_set_at       BIGINT NOT NULL,
    tokens_valid_after    BIGINT NOT NULL,
    locked_until          BIGINT NOT NULL,
    credential            {{bytes}},
    extra                 {{bytes}},
    -- attributes, pending attributes and aliases, as JSON
    data                  TEXT NOT NULL,
    -- lower-cased copies of the searchable attributes (NULL when absent)
    status_lc             {{key}} NOT NULL,
    email_lc              {{key}},
    phone_number_lc       {{key}},
    name_lc               {{key}},
    given_name_lc         {{key}},
    family_name_lc        {{key}},
    preferred_username_lc {{key}},
    PRIMARY KEY (pool_id, username)
);
CREATE UNIQUE INDEX users_sub ON users (pool_id, sub);
CREATE INDEX users_status ON users (pool_id, status_lc, username);
CREATE INDEX users_enabled ON users (pool_id, enabled, username);
CREATE INDEX users_email ON users (pool_id, email_lc, username);
CREATE INDEX users_phone_number ON users (pool_id, phone_number_lc, username);
CREATE INDEX users_name ON users (pool_id, name_lc, username);
CREATE INDEX users_given_name ON users (pool_id, given_name_lc, username);
CREATE INDEX users_family_name ON users (pool_id, family_name_lc, username);
CREATE INDEX users_preferred_username ON users (pool_id, preferred_username_lc, username);

-- Who holds which alias: the uniqueness of User.Aliases.
CREATE TABLE user_aliases (
    pool_id  {{key}} NOT NULL,
    kind     {{key}} NOT NULL,
    value    {{key}} NOT NULL,
    username {{key}} NOT NULL,
    PRIMARY KEY (pool_id, kind, value)
);
CREATE INDEX user_aliases_user ON user_aliases (pool_id, username);

CREATE TABLE user_groups (
    pool_id {{key}} NOT NULL,
    name    {{key}} NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE memberships (
    pool_id    {{key}} NOT NULL,
    group_name {{key}} NOT NULL,
    username   {{key}} NOT NULL,
    PRIMARY KEY (pool_id, group_name, username)
);
CREATE INDEX memberships_user ON memberships (pool_id, username, group_name);

CREATE TABLE codes (
    pool_id  {{key}} NOT NULL,
    username {{key}} NOT NULL,
    purpose  {{key}} NOT NULL,
    hash     {{bytes}},
    expires  BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    created  BIGINT NOT NULL,
    PRIMARY KEY (pool_id, username, purpose)
);

CREATE TABLE refresh_tokens (
    id          {{key}} PRIMARY KEY,
    pool_id     {{key}} NOT NULL,
    client_id   {{key}} NOT NULL,
    username    {{key}} NOT NULL,
    secret_hash {{bytes}},
    auth_time   BIGINT NOT NULL,
    created     BIGINT NOT NULL,
    expires     BIGINT NOT NULL,
    revoked     BOOLEAN NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, username);

CREATE TABLE crypto_keys (
    id         {{key}} PRIMARY KEY,
    pool_id    {{key}} NOT NULL,
    key_use    {{key}} NOT NULL,
    material   {{bytes}},
    public_key {{bytes}},
    created    BIGINT NOT NULL,
    not_before BIGINT NOT NULL,
    expires    BIGINT NOT NULL
);
CREATE INDEX crypto_keys_pool ON crypto_keys (pool_id, key_use, created, id);

-- The outbox. It outlives pools and users on purpose.
CREATE TABLE messages (
    id          {{key}} PRIMARY KEY,
    pool_id     {{key}} NOT NULL,
    username    {{key}} NOT NULL,
    destination TEXT NOT NULL,
    medium      TEXT NOT NULL,
    action      TEXT NOT NULL,
    code        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created     BIGINT NOT NULL
);
CREATE INDEX messages_created ON messages (created, id);
CREATE INDEX messages_pool ON messages (pool_id, username, created, id);
