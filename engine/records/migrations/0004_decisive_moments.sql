-- The decisive moment of each finished play (engine.feedback.decisive), written when the
-- play ends, as JSON: the debrief's decisive moment ({"kind": "no_return" | "locked_in",
-- "turn", "node", "choice", "said", ...}), {"kind": "none"} when the play had none, or
-- {"kind": "unknown", "reason": ...} when it could not be worked out. NULL: the play is
-- unfinished, or was recorded before this column existed (the report says so).
ALTER TABLE plays ADD COLUMN decisive TEXT;
-- The report reads plays in the order they started: an index saves sorting them.
CREATE INDEX plays_started ON plays(started_at, id);
