-- ROR's relationships between organizations, as the dump gives them
-- (`parent`, `child`, `related`, `predecessor`, `successor`): an
-- institution's page shows its parents and children. `label` is the name
-- the dump gives the related organization, when it gives one.
CREATE TABLE ror_relationships (
    ror_id     TEXT NOT NULL REFERENCES ror_organizations(ror_id),
    related_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    label      TEXT
);
CREATE INDEX ror_relationships_by_org ON ror_relationships(ror_id);
CREATE INDEX ror_relationships_by_related ON ror_relationships(related_id);
