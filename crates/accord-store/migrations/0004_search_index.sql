-- Search moves to a tantivy index beside the registry (`FILE.search/`),
-- rebuilt from these tables. The FTS5 tables go; `search_dirty` stays the
-- list of entities to write again into the index, now a rowid table without
-- a key: a mark made while a sync runs gets a higher rowid than every mark
-- that sync read, so emptying "rowid <= the last read" never loses it.
DROP TABLE search_institutions;
DROP TABLE search_events;
DROP TABLE search_people;
DROP TABLE search_documents;
DROP TABLE search_dirty;
CREATE TABLE search_dirty (
    kind TEXT NOT NULL,
    id   INTEGER NOT NULL
);
INSERT INTO search_dirty SELECT 'institution', id FROM institutions;
INSERT INTO search_dirty SELECT 'event', id FROM events;
INSERT INTO search_dirty SELECT 'person', id FROM people;
INSERT INTO search_dirty SELECT 'document', id FROM documents;

-- What the index shows of an entity also comes from these tables.
CREATE TRIGGER event_parties_dirty_ins AFTER INSERT ON event_parties BEGIN
    INSERT INTO search_dirty VALUES ('event', NEW.event_id);
END;
CREATE TRIGGER event_parties_dirty_del AFTER DELETE ON event_parties BEGIN
    INSERT INTO search_dirty VALUES ('event', OLD.event_id);
END;
CREATE TRIGGER event_fields_dirty_ins AFTER INSERT ON event_fields BEGIN
    INSERT INTO search_dirty VALUES ('event', NEW.event_id);
END;
CREATE TRIGGER event_fields_dirty_del AFTER DELETE ON event_fields BEGIN
    INSERT INTO search_dirty VALUES ('event', OLD.event_id);
END;
CREATE TRIGGER institution_names_dirty_ins AFTER INSERT ON institution_names BEGIN
    INSERT INTO search_dirty VALUES ('institution', NEW.institution_id);
END;
CREATE TRIGGER people_dirty_upd AFTER UPDATE ON people BEGIN
    INSERT INTO search_dirty VALUES ('person', NEW.id);
END;
CREATE TRIGGER people_dirty_del AFTER DELETE ON people BEGIN
    INSERT INTO search_dirty VALUES ('person', OLD.id);
END;
CREATE TRIGGER documents_dirty_upd AFTER UPDATE ON documents BEGIN
    INSERT INTO search_dirty VALUES ('document', NEW.id);
END;
