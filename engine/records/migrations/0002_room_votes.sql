-- Room mode keeps the room's vote counts per option (JSON object, NULL outside room mode).
ALTER TABLE steps ADD COLUMN votes TEXT;
