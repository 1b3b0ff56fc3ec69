-- The registry, version 1: documents as read, and the institutions, people
-- and events resolved across them, each fact tied to the document characters
-- that state it. Plain SQL types only, so a PostgreSQL schema can mirror it.
-- Entity ids are never reused (AUTOINCREMENT): an id in an audit entry or a
-- bookmark always means the same entity.

-- One row per distinct content: a page copied under another name is the
-- same document with a second location.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    doc         TEXT NOT NULL,
    language    TEXT,
    published   TEXT,
    title       TEXT,
    text        TEXT NOT NULL,
    record      TEXT NOT NULL
);

-- Where a document was read from: a path, and the URL it was scraped from.
CREATE TABLE document_locations (
    path        TEXT PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    source_url  TEXT
);
CREATE INDEX document_locations_by_document ON document_locations(document_id);

CREATE TABLE institutions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    kind        TEXT,
    country     TEXT,
    city        TEXT,
    ror_id      TEXT,
    ror_match   TEXT,
    ror_score   REAL
);
CREATE INDEX institutions_by_ror ON institutions(ror_id);
CREATE INDEX institutions_by_country ON institutions(country);

-- Every name an institution goes by, with the key names are compared by.
CREATE TABLE institution_names (
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    name        TEXT NOT NULL,
    key         TEXT NOT NULL,
    is_acronym  INTEGER NOT NULL,
    PRIMARY KEY (institution_id, key)
);
CREATE INDEX institution_names_by_key ON institution_names(key);

-- Each organization of a document's record, tied to the institution it was
-- resolved to, with the reason of that resolution.
CREATE TABLE org_mentions (
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    local_id       TEXT NOT NULL,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    name           TEXT NOT NULL,
    spans          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    PRIMARY KEY (document_id, local_id)
);
CREATE INDEX org_mentions_by_institution ON org_mentions(institution_id);

CREATE TABLE people (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    key            TEXT NOT NULL,
    institution_id INTEGER REFERENCES institutions(id)
);
CREATE INDEX people_by_key ON people(key);

CREATE TABLE person_mentions (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    name        TEXT NOT NULL,
    titles      TEXT NOT NULL,
    spans       TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX person_mentions_by_document ON person_mentions(document_id);
CREATE INDEX person_mentions_by_person ON person_mentions(person_id);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    type         TEXT NOT NULL,
    subtype      TEXT,
    date         TEXT,
    city         TEXT,
    country      TEXT,
    initiative   TEXT,
    mode         TEXT,
    participants TEXT
);
CREATE INDEX events_by_date ON events(date);

CREATE TABLE event_parties (
    event_id       INTEGER NOT NULL REFERENCES events(id),
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    PRIMARY KEY (event_id, institution_id)
);
CREATE INDEX event_parties_by_institution ON event_parties(institution_id);

CREATE TABLE event_fields (
    event_id INTEGER NOT NULL REFERENCES events(id),
    field    TEXT NOT NULL,
    PRIMARY KEY (event_id, field)
);

-- Each page that reports an event: the sentence that states it, and why the
-- page's event was taken for this one.
CREATE TABLE event_sources (
    event_id      INTEGER NOT NULL REFERENCES events(id),
    document_id   INTEGER NOT NULL REFERENCES documents(id),
    local_index   INTEGER NOT NULL,
    date          TEXT,
    evidence      TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end  INTEGER NOT NULL,
    signatories   TEXT NOT NULL,
    activities    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    PRIMARY KEY (document_id, local_index)
);
CREATE INDEX event_sources_by_event ON event_sources(event_id);

-- The ROR knowledge base, as imported from a ROR data dump.
CREATE TABLE ror_organizations (
    ror_id      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    country     TEXT,
    city        TEXT,
    types       TEXT NOT NULL,
    established INTEGER
);

CREATE TABLE ror_names (
    ror_id TEXT NOT NULL REFERENCES ror_organizations(ror_id),
    name   TEXT NOT NULL,
    key    TEXT NOT NULL,
    kind   TEXT NOT NULL,
    lang   TEXT
);
CREATE INDEX ror_names_by_key ON ror_names(key);
