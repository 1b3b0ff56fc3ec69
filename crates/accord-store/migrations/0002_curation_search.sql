-- Version 2: people who sign in, their decisions and the audit log of them,
-- and the full-text search index.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    token_hash  TEXT NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf        TEXT NOT NULL,
    expires     INTEGER NOT NULL
);

-- Every change a person made: who, when, what, before and after (JSON).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    before      TEXT NOT NULL,
    after       TEXT NOT NULL
);
CREATE INDEX audit_log_by_target ON audit_log(target);

-- Human decisions about a field: applied after every ingest, so pages read
-- later never overwrite them.
CREATE TABLE institution_overrides (
    institution_id INTEGER NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('name', 'country', 'kind', 'city')),
    value       TEXT,
    PRIMARY KEY (institution_id, field)
);

CREATE TABLE event_overrides (
    event_id    INTEGER NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('type', 'date', 'status')),
    value       TEXT,
    PRIMARY KEY (event_id, field)
);

-- `confirmed` or `rejected` by an editor; NULL while nobody has looked.
ALTER TABLE events ADD COLUMN status TEXT;
ALTER TABLE institutions ADD COLUMN status TEXT;

-- One full-text index per kind of thing (institutions, events, people,
-- pages), so a search of one kind never wades through the others. Trigram
-- tokens match inside words, which suits Chinese (no spaces) and Russian
-- (inflected endings) as well as English; `grams` holds the title's Chinese
-- character pairs, each followed by a space, so that a two-character word
-- (three characters with its space) is found through the index too. Facet
-- values sit in unindexed columns.
CREATE VIRTUAL TABLE search_institutions USING fts5(
    title, body, grams,
    kind UNINDEXED, ref_id UNINDEXED, type UNINDEXED, country UNINDEXED,
    year UNINDEXED, lang UNINDEXED, fields UNINDEXED,
    tokenize = 'trigram'
);
CREATE VIRTUAL TABLE search_events USING fts5(
    title, body, grams,
    kind UNINDEXED, ref_id UNINDEXED, type UNINDEXED, country UNINDEXED,
    year UNINDEXED, lang UNINDEXED, fields UNINDEXED,
    tokenize = 'trigram'
);
CREATE VIRTUAL TABLE search_people USING fts5(
    title, body, grams,
    kind UNINDEXED, ref_id UNINDEXED, type UNINDEXED, country UNINDEXED,
    year UNINDEXED, lang UNINDEXED, fields UNINDEXED,
    tokenize = 'trigram'
);
CREATE VIRTUAL TABLE search_documents USING fts5(
    title, body, grams,
    kind UNINDEXED, ref_id UNINDEXED, type UNINDEXED, country UNINDEXED,
    year UNINDEXED, lang UNINDEXED, fields UNINDEXED,
    tokenize = 'trigram'
);

-- Entities whose search rows must be written again; filled by triggers,
-- emptied at the end of each ingest batch and each curation.
CREATE TABLE search_dirty (
    kind TEXT NOT NULL,
    id   INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TRIGGER org_mentions_dirty_ins AFTER INSERT ON org_mentions BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('institution', NEW.institution_id);
END;
CREATE TRIGGER org_mentions_dirty_del AFTER DELETE ON org_mentions BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('institution', OLD.institution_id);
END;
CREATE TRIGGER institutions_dirty_upd AFTER UPDATE ON institutions BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('institution', NEW.id);
END;
CREATE TRIGGER institutions_dirty_del AFTER DELETE ON institutions BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('institution', OLD.id);
END;
CREATE TRIGGER event_sources_dirty_ins AFTER INSERT ON event_sources BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('event', NEW.event_id);
END;
CREATE TRIGGER event_sources_dirty_del AFTER DELETE ON event_sources BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('event', OLD.event_id);
END;
CREATE TRIGGER events_dirty_upd AFTER UPDATE ON events BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('event', NEW.id);
END;
CREATE TRIGGER events_dirty_del AFTER DELETE ON events BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('event', OLD.id);
END;
CREATE TRIGGER person_mentions_dirty_ins AFTER INSERT ON person_mentions BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('person', NEW.person_id);
END;
CREATE TRIGGER person_mentions_dirty_del AFTER DELETE ON person_mentions BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('person', OLD.person_id);
END;
CREATE TRIGGER documents_dirty_ins AFTER INSERT ON documents BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('document', NEW.id);
END;
CREATE TRIGGER documents_dirty_del AFTER DELETE ON documents BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('document', OLD.id);
END;

-- A registry made by version 1 gets its search rows at the next write.
INSERT OR IGNORE INTO search_dirty SELECT 'institution', id FROM institutions;
INSERT OR IGNORE INTO search_dirty SELECT 'event', id FROM events;
INSERT OR IGNORE INTO search_dirty SELECT 'person', id FROM people;
INSERT OR IGNORE INTO search_dirty SELECT 'document', id FROM documents;
