-- Series breaks, policy events, publishers' remarks on changes, published margins, and a short
-- caveat per series on how its figures are made.

ALTER TABLE series ADD COLUMN caveat_nl TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN caveat_en TEXT NOT NULL DEFAULT '';

ALTER TABLE observations ADD COLUMN lower REAL;
ALTER TABLE observations ADD COLUMN upper REAL;

CREATE TABLE series_breaks (
    series_id     TEXT NOT NULL REFERENCES series (id),
    before_period TEXT NOT NULL,
    after_period  TEXT NOT NULL,
    reason_nl     TEXT NOT NULL,
    reason_en     TEXT NOT NULL,
    source_url    TEXT NOT NULL,
    PRIMARY KEY (series_id, after_period)
);

CREATE TABLE events (
    id        TEXT PRIMARY KEY,
    date      TEXT NOT NULL,
    title_nl  TEXT NOT NULL,
    title_en  TEXT NOT NULL,
    url       TEXT NOT NULL,
    series_id TEXT REFERENCES series (id)
);

CREATE TABLE change_notes (
    series_id  TEXT NOT NULL REFERENCES series (id),
    period     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    text_nl    TEXT NOT NULL,
    text_en    TEXT NOT NULL,
    source_url TEXT NOT NULL,
    PRIMARY KEY (series_id, period, kind)
);
