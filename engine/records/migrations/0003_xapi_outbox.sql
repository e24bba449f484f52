-- The xAPI outbox (engine/records/outbox.py): statements wait here, in order, until the LRS
-- named by `lrs` (its endpoint) has taken them. One row per statement and LRS; sent_at is
-- set when the LRS accepted it, refused_at when it refused this statement for good.
CREATE TABLE xapi_outbox (
    id {pk},
    lrs TEXT NOT NULL,
    registration TEXT NOT NULL,
    statement_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    refused_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (lrs, statement_id)
);
CREATE INDEX xapi_outbox_waiting ON xapi_outbox(lrs, sent_at, refused_at, id);
