-- The last recording an operator asked for, per robot, shared by every bridge on this database: any
-- bridge shows, stops and renews a running one (ended_ms NULL), ends it when it is due, and a
-- restarted bridge leaves it running; once ended, the row says when and why. The view lease it holds
-- (lease_id) is a row of view_leases. Times are epoch milliseconds.

CREATE TABLE recordings (
    robot_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    lease_id   VARCHAR(64)  NOT NULL,
    asked_by   VARCHAR(200) NOT NULL,
    by_kind    VARCHAR(16)  NOT NULL,
    since_ms   BIGINT       NOT NULL,
    until_ms   BIGINT       NOT NULL,
    ended_ms   BIGINT,
    end_cause  VARCHAR(16),
    end_reason VARCHAR(500)
);
