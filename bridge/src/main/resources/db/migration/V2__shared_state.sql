-- What bridges behind one load balancer share besides the registry: view leases (and which robots
-- are being watched, so that any bridge renews their start and sends the stop after the linger),
-- the page's sessions and the failed-login counters. Times are epoch milliseconds.

CREATE TABLE view_leases (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    robot_id   VARCHAR(64)  NOT NULL,
    owner      VARCHAR(200) NOT NULL,
    -- SHA-256 of the relay read key; the key itself is never stored.
    key_hash   VARCHAR(80)  NOT NULL,
    until_ms   BIGINT       NOT NULL,
    ttl_ms     BIGINT       NOT NULL
);
CREATE INDEX view_leases_robot ON view_leases (robot_id, until_ms);
CREATE INDEX view_leases_owner ON view_leases (owner);
CREATE INDEX view_leases_key ON view_leases (key_hash);

-- A robot that has or had views: when its leased start is due again, and when it is to be stopped
-- (set once its last view ended; cleared by a new view). The bridge that claims a due row acts.
CREATE TABLE robot_watch (
    robot_id     VARCHAR(64) NOT NULL PRIMARY KEY,
    start_due_ms BIGINT      NOT NULL,
    stop_at_ms   BIGINT
);

CREATE TABLE sessions (
    token_hash VARCHAR(80)  NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    role       VARCHAR(16)  NOT NULL,
    kind       VARCHAR(16)  NOT NULL,
    max_views  INTEGER      NOT NULL,
    created_ms BIGINT       NOT NULL,
    expires_ms BIGINT       NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_ms);

CREATE TABLE login_failures (
    failure_key VARCHAR(300) NOT NULL PRIMARY KEY,
    failures    INTEGER      NOT NULL,
    last_ms     BIGINT       NOT NULL
);
