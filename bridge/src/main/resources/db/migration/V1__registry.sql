-- The registry of the Vigil bridge: robots, users and bearer tokens. Portable SQL: the same file
-- runs on the embedded SQLite and on PostgreSQL. Times are epoch milliseconds. Only hashes and
-- public keys are stored: nothing here lets anyone sign in or publish.

CREATE TABLE robots (
    id                    VARCHAR(64)  NOT NULL PRIMARY KEY,
    base_topic            VARCHAR(255) NOT NULL UNIQUE,
    relay                 VARCHAR(64)  NOT NULL,
    relay_path            VARCHAR(255) NOT NULL UNIQUE,
    -- Plain publish credentials (user + PBKDF2 hash), optional.
    publish_user          VARCHAR(64),
    publish_password_hash VARCHAR(255),
    -- The Ed25519 public key of its signed publish tokens (ed25519-pub:...).
    publish_key           VARCHAR(255),
    created_at            BIGINT       NOT NULL,
    updated_at            BIGINT       NOT NULL
);

CREATE TABLE users (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    password_hash VARCHAR(255) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    -- How many views it may hold open at once.
    max_views     INTEGER      NOT NULL,
    created_at    BIGINT       NOT NULL
);

CREATE TABLE tokens (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    hash       VARCHAR(255) NOT NULL UNIQUE,
    role       VARCHAR(16)  NOT NULL,
    max_views  INTEGER      NOT NULL,
    created_at BIGINT       NOT NULL
);

-- One row; every change of the tables above adds one, so that bridges notice it with one cheap read.
CREATE TABLE registry_version (
    id      INTEGER NOT NULL PRIMARY KEY,
    version BIGINT  NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 0);
