-- Version 5: editors also decide an institution's status (confirmed after
-- review, or rejected as no institution at all) and an event's place,
-- fields and parties; a merged-away institution id leads to the one that
-- absorbed it. SQLite cannot change a CHECK, so the override tables are
-- made again with the fields they now accept.

CREATE TABLE institution_overrides_v5 (
    institution_id INTEGER NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('name', 'country', 'kind', 'city', 'status')),
    value       TEXT,
    PRIMARY KEY (institution_id, field)
);
INSERT INTO institution_overrides_v5 SELECT institution_id, field, value FROM institution_overrides;
DROP TABLE institution_overrides;
ALTER TABLE institution_overrides_v5 RENAME TO institution_overrides;

-- `fields` holds a JSON array of field names: the event's whole list.
CREATE TABLE event_overrides_v5 (
    event_id    INTEGER NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('type', 'date', 'status', 'city', 'country', 'fields')),
    value       TEXT,
    PRIMARY KEY (event_id, field)
);
INSERT INTO event_overrides_v5 SELECT event_id, field, value FROM event_overrides;
DROP TABLE event_overrides;
ALTER TABLE event_overrides_v5 RENAME TO event_overrides;

-- An institution an editor made a party of an event (present = 1) or took
-- out of it (present = 0), whatever the pages say.
CREATE TABLE event_party_overrides (
    event_id       INTEGER NOT NULL,
    institution_id INTEGER NOT NULL,
    present        INTEGER NOT NULL CHECK (present IN (0, 1)),
    PRIMARY KEY (event_id, institution_id)
);

-- Where an institution merged away now lives (chains are kept flat: every
-- row points at an institution that exists).
CREATE TABLE institution_redirects (
    from_id INTEGER PRIMARY KEY,
    to_id   INTEGER NOT NULL
);

CREATE INDEX audit_log_by_user ON audit_log(user_id);
