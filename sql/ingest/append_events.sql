-- Load one Arrow batch (registered as the view "batch") into event_rows
-- when no other source has rows in the batch's time range, so nothing in
-- it can be loaded already (see insert_events.sql for the other case).
INSERT INTO event_rows SELECT * FROM batch
