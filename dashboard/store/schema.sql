-- The store's tables. Applied on every open; each statement is idempotent.
-- Canonical rows only: the importer cleans values once, queries read these tables as they are.

CREATE SEQUENCE IF NOT EXISTS import_ids START 1;

CREATE TABLE IF NOT EXISTS consultations (
    consultation_id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    opens TIMESTAMPTZ NOT NULL,
    closes TIMESTAMPTZ NOT NULL,
    timezone VARCHAR NOT NULL,          -- zone of naive timestamps and of display
    languages VARCHAR[] NOT NULL,       -- ISO 639-1
    suppression_k INTEGER NOT NULL,
    definition_toml VARCHAR NOT NULL,   -- the definition as given, for download and edit
    added_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS themes (
    consultation_id VARCHAR NOT NULL,
    theme_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    labels JSON NOT NULL,               -- {"en": "...", "fr": "..."}
    PRIMARY KEY (consultation_id, theme_id)
);

CREATE TABLE IF NOT EXISTS questions (
    consultation_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    theme_id VARCHAR NOT NULL,          -- '' when the definition gives none
    position INTEGER NOT NULL,
    texts JSON NOT NULL,                -- {"en": "...", "fr": "..."}
    PRIMARY KEY (consultation_id, question_id)
);

CREATE TABLE IF NOT EXISTS imports (
    import_id BIGINT PRIMARY KEY DEFAULT nextval('import_ids'),
    consultation_id VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_size BIGINT NOT NULL,
    content_hash VARCHAR NOT NULL,      -- sha256 of the file's bytes
    platform VARCHAR NOT NULL,
    shape VARCHAR NOT NULL,             -- 'wide' or 'long'
    imported_at TIMESTAMPTZ NOT NULL,
    imported_by VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_refused BIGINT NOT NULL,
    respondents_loaded BIGINT NOT NULL,
    responses_loaded BIGINT NOT NULL,
    mapping_toml VARCHAR NOT NULL,
    report JSON NOT NULL,
    UNIQUE (consultation_id, content_hash)
);

-- One row per import whose answers are stored but not yet tagged and counted into the facts:
-- a large import commits its rows first and tags and counts them in a second transaction
-- (importer/pipeline.py, write_import), and one stopped between the two stays listed until
-- it is finished or undone. The pages say its answers are left out of the figures meanwhile.
CREATE TABLE IF NOT EXISTS uncounted_imports (
    import_id BIGINT PRIMARY KEY,
    consultation_id VARCHAR NOT NULL
);

-- One row per respondent id per import that named it: what each export said about them.
CREATE TABLE IF NOT EXISTS respondent_sources (
    consultation_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    import_id BIGINT NOT NULL,
    submitted_at TIMESTAMPTZ,           -- UTC; NULL where the export's time could not be read
    country_raw VARCHAR,                -- as written in the export
    country_iso3 VARCHAR,               -- NULL when unrecognised or blank
    region VARCHAR NOT NULL,            -- M49 region, or 'Unknown'
    subregion VARCHAR NOT NULL,         -- M49 sub-region, or 'Unknown'
    language_raw VARCHAR,
    language VARCHAR NOT NULL,          -- ISO 639-1, or 'und'
    stakeholder_type VARCHAR NOT NULL,  -- trimmed text, or 'Unknown'
    PRIMARY KEY (consultation_id, respondent_id, import_id)
);

-- One row per distinct respondent id of a consultation: their profile, kept up to date from
-- respondent_sources by every import and undo. Earliest submission time over all imports; each
-- attribute from the earliest import that knows it (a recognised country, a language, a type).
CREATE TABLE IF NOT EXISTS respondents (
    consultation_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    import_id BIGINT NOT NULL,          -- the first import that named them
    submitted_at TIMESTAMPTZ,
    country_raw VARCHAR,
    country_iso3 VARCHAR,
    region VARCHAR NOT NULL,
    subregion VARCHAR NOT NULL,
    language_raw VARCHAR,
    language VARCHAR NOT NULL,
    stakeholder_type VARCHAR NOT NULL,
    PRIMARY KEY (consultation_id, respondent_id)
);

-- One row per respondent's answer to one question (per export row): however many columns the
-- question spans (a select-all question's options, a matrix's rows), its non-blank cells make
-- one answer. In a long export, each row is one answer.
CREATE TABLE IF NOT EXISTS responses (
    consultation_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    answer_redacted VARCHAR NOT NULL,   -- e-mails, phones, handles replaced by placeholders
    -- The text as written (administrators only) is kept apart only where redaction changed it:
    -- nearly every answer has nothing to redact, and storing it twice made the table a third
    -- larger. `answer` reads as written everywhere; were `answer_written` ever missing, it would
    -- read the redacted text, never the other way round.
    answer_written VARCHAR,             -- as written, where it differs from answer_redacted
    answer VARCHAR GENERATED ALWAYS AS (coalesce(answer_written, answer_redacted)) VIRTUAL,
    submitted_at TIMESTAMPTZ,           -- UTC
    import_id BIGINT NOT NULL,
    -- The answer's row in the import, header = 1: with import_id and question_id, the answer's
    -- identity (response_codes, tag edits, codings). A batch of files numbers its rows on
    -- through its files, so that it stays unique; source_file and source_file_row say where.
    source_row BIGINT NOT NULL,
    source_file VARCHAR,                -- the export it came from (a batch's file)
    source_file_row BIGINT,             -- its row in that file, header = 1
    -- What the word search compares (dashboard/store/search_text.py, made at import): the
    -- redacted text folded (accents, case, Arabic letter forms, full-width forms), and the text
    -- as written folded, NULL where it is the redacted text (nothing was redacted).
    answer_search VARCHAR,
    answer_written_search VARCHAR,
    -- The language the answer is written in, detected at import (dashboard/store/
    -- answer_language.py): ISO 639-1, NULL where the answer is too short or no language is
    -- clearly ahead. Not the respondent's declared language (respondents.language).
    answer_language VARCHAR,
    -- A number for the answer, given at import in the order the rows are written (each import's
    -- after the last one's): the facts carry it, so a listing fetches its page of texts by it,
    -- and DuckDB reads only the blocks of rows whose range of numbers holds one (by the three
    -- columns above, it read every block: 149 ms against 16 ms for 25 texts at a million).
    response_key BIGINT
);
-- Stores made before batch imports: the columns are added empty (their imports were one file).
ALTER TABLE responses ADD COLUMN IF NOT EXISTS source_file VARCHAR;
ALTER TABLE responses ADD COLUMN IF NOT EXISTS source_file_row BIGINT;
-- Stores made before the folded search texts: the columns are added empty, and
-- dashboard/store/database.py fills them when the store is opened.
ALTER TABLE responses ADD COLUMN IF NOT EXISTS answer_search VARCHAR;
ALTER TABLE responses ADD COLUMN IF NOT EXISTS answer_written_search VARCHAR;
-- Stores made before the answer's language: the column is added empty, and
-- dashboard/store/database.py detects it when the store is opened for writing.
ALTER TABLE responses ADD COLUMN IF NOT EXISTS answer_language VARCHAR;
-- Stores made before the answers' numbers: the column is added empty, and
-- dashboard/store/database.py numbers the answers in the order they are stored.
ALTER TABLE responses ADD COLUMN IF NOT EXISTS response_key BIGINT;

-- One row per column the store derives with Python code that may change (the search texts'
-- fold): the version of the code that made it, so that a store opened by a newer version has
-- the column made again.
CREATE TABLE IF NOT EXISTS derived_versions (
    name VARCHAR PRIMARY KEY,
    version INTEGER NOT NULL
);

-- One row per option chosen in an answer to a question that spans several columns: what the
-- per-option counts (queries/by_option.sql) read, never counted as responses. An answer is
-- named as responses name it (import, row, question); written by the import, removed by undo.
CREATE TABLE IF NOT EXISTS response_options (
    consultation_id VARCHAR NOT NULL,
    import_id BIGINT NOT NULL,
    source_row BIGINT NOT NULL,
    respondent_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    option VARCHAR NOT NULL,            -- the column's option label (never the answer's text)
    position INTEGER NOT NULL           -- the column's place among the question's columns
);

-- Reference: ISO 3166-1 countries with their UN M49 region and UN regional group.
CREATE TABLE IF NOT EXISTS countries (
    iso3 VARCHAR PRIMARY KEY,
    iso2 VARCHAR NOT NULL,
    m49 VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    subregion VARCHAR NOT NULL,
    intermediate_region VARCHAR NOT NULL,
    un_group VARCHAR NOT NULL
);

-- One row per action worth accounting for: imports, undos, exports and unsuppressed views.
CREATE TABLE IF NOT EXISTS audit_log (
    happened_at TIMESTAMPTZ NOT NULL,
    who VARCHAR NOT NULL,
    action VARCHAR NOT NULL,            -- 'import', 'undo', 'export', 'exact_figures', ...
    consultation_id VARCHAR,
    details JSON NOT NULL               -- filters in force, file names, counts
);

-- One row per consultation with a codebook: the codebook as written, for download and edit.
CREATE TABLE IF NOT EXISTS codebooks (
    consultation_id VARCHAR PRIMARY KEY,
    codebook_toml VARCHAR NOT NULL,
    saved_at TIMESTAMPTZ NOT NULL,
    saved_by VARCHAR NOT NULL
);

-- One row per code of a consultation's codebook, in the codebook's order.
CREATE TABLE IF NOT EXISTS codes (
    consultation_id VARCHAR NOT NULL,
    code_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    theme_id VARCHAR NOT NULL,          -- '' when the code names no theme
    labels JSON NOT NULL,               -- {"en": "...", "fr": "..."}
    keywords VARCHAR[] NOT NULL,
    PRIMARY KEY (consultation_id, code_id)
);

-- One row per code an answer carries, found by a keyword of the codebook or given by an
-- analyst. Rebuilt for an import when it is loaded, for the whole consultation when the
-- codebook changes; an answer is named as responses name it (import, row, question).
CREATE TABLE IF NOT EXISTS response_codes (
    consultation_id VARCHAR NOT NULL,
    import_id BIGINT NOT NULL,
    source_row BIGINT NOT NULL,
    question_id VARCHAR NOT NULL,
    code_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,            -- 'keyword' or 'analyst'
    matched VARCHAR                     -- the keyword that found it; NULL for an analyst's tag
);

-- One row per analyst's decision on one code of one answer (the latest wins). An answer is
-- named by its respondent, question and text, not by import, so the decision outlives
-- re-tagging, undo and a re-import of the same file. Each change is in the audit log too.
CREATE TABLE IF NOT EXISTS tag_edits (
    consultation_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    answer_hash VARCHAR NOT NULL,       -- md5 of the answer as written
    code_id VARCHAR NOT NULL,
    applied BOOLEAN NOT NULL,           -- true: the answer has the code; false: it has not
    edited_by VARCHAR NOT NULL,
    edited_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consultation_id, respondent_id, question_id, answer_hash, code_id)
);

-- One row per automatic tag an analyst reviewed: was the keyword right? (precision per code)
CREATE TABLE IF NOT EXISTS tag_judgements (
    consultation_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    answer_hash VARCHAR NOT NULL,
    code_id VARCHAR NOT NULL,
    matched VARCHAR NOT NULL,           -- the keyword judged
    correct BOOLEAN NOT NULL,
    judged_by VARCHAR NOT NULL,
    judged_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consultation_id, respondent_id, question_id, answer_hash, code_id)
);

-- Derived, for speed: what every figure filters and counts, one row per respondent and one per
-- response with its respondent's attributes, its theme, its period against the window and its
-- codes, so a page's query reads one narrow table instead of joining four. Rebuilt for a
-- consultation after every import, undo, definition or codebook change
-- (queries/store/*_facts.sql); respondent_key numbers the respondents of that build.
CREATE TABLE IF NOT EXISTS respondent_facts (
    consultation_id VARCHAR NOT NULL,
    respondent_key INTEGER NOT NULL,
    respondent_id VARCHAR NOT NULL,
    submitted_at TIMESTAMPTZ,
    country_raw VARCHAR,
    country_iso3 VARCHAR,
    region VARCHAR NOT NULL,
    subregion VARCHAR NOT NULL,
    language_raw VARCHAR,
    language VARCHAR NOT NULL,
    stakeholder_type VARCHAR NOT NULL,
    country VARCHAR NOT NULL,           -- country_iso3, or 'Unknown'
    period VARCHAR NOT NULL,            -- 'before', 'during', 'after' or 'unknown'
    record_key UBIGINT                  -- in [0, 2^32), from the store's secret: perturbation
);

CREATE TABLE IF NOT EXISTS response_facts (
    consultation_id VARCHAR NOT NULL,
    respondent_key INTEGER NOT NULL,
    question_id VARCHAR NOT NULL,
    theme_id VARCHAR NOT NULL,          -- 'Unknown' for a question no theme lists
    import_id BIGINT NOT NULL,
    source_row BIGINT NOT NULL,
    submitted_at TIMESTAMPTZ,
    period VARCHAR NOT NULL,
    respondent_submitted_at TIMESTAMPTZ,
    country_iso3 VARCHAR,
    region VARCHAR NOT NULL,
    subregion VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    stakeholder_type VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    codes VARCHAR[] NOT NULL,           -- the answer's codes, sorted; [] for none
    record_key UBIGINT,                 -- the respondent's (respondent_facts.record_key)
    answer_language VARCHAR,            -- responses.answer_language, 'und' for NULL
    response_key BIGINT                 -- responses.response_key
);

-- One row per analyst's verdict on whether one answer carries one code (issue 21): on an
-- automatic tag (was the keyword right? precision) or on an answer the keywords left without
-- that code (was it missed? recall). Several analysts may code the same answer blind to each
-- other (agreement); kept by answer (respondent, question, text) like tag_edits.
CREATE TABLE IF NOT EXISTS tag_codings (
    consultation_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    answer_hash VARCHAR NOT NULL,
    code_id VARCHAR NOT NULL,
    coder VARCHAR NOT NULL,             -- who judged (signed-in e-mail, or the name given)
    applies BOOLEAN NOT NULL,           -- true: the answer carries the code
    matched VARCHAR,                    -- the keyword shown when judged; NULL for an untagged one
    coded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consultation_id, respondent_id, question_id, answer_hash, code_id, coder)
);

-- One row per disagreement between analysts that someone settled: the reference verdict.
CREATE TABLE IF NOT EXISTS tag_settlements (
    consultation_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    answer_hash VARCHAR NOT NULL,
    code_id VARCHAR NOT NULL,
    applies BOOLEAN NOT NULL,
    settled_by VARCHAR NOT NULL,
    settled_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consultation_id, respondent_id, question_id, answer_hash, code_id)
);

-- Upgrade: judgements made before tag_codings existed become their judge's codings (once).
INSERT INTO tag_codings
SELECT j.consultation_id, j.respondent_id, j.question_id, j.answer_hash, j.code_id, j.judged_by,
    j.correct, j.matched, j.judged_at
FROM tag_judgements AS j
ANTI JOIN tag_codings AS c
    ON c.consultation_id = j.consultation_id
    AND c.respondent_id = j.respondent_id
    AND c.question_id = j.question_id
    AND c.answer_hash = j.answer_hash
    AND c.code_id = j.code_id
    AND c.coder = j.judged_by;

-- The store's secret, made once when the store is created and never shown: every respondent's
-- record key is derived from it (the facts tables' record_key), so no reader can
-- work out the noise that dashboard/protection/perturbation.py adds to a figure.
CREATE TABLE IF NOT EXISTS disclosure_secret (secret VARCHAR NOT NULL);
INSERT INTO disclosure_secret
SELECT gen_random_uuid()::VARCHAR
WHERE NOT EXISTS (SELECT 1 FROM disclosure_secret);
-- Stores made before record keys: the column is added empty, and stale_facts rebuilds them.
ALTER TABLE respondent_facts ADD COLUMN IF NOT EXISTS record_key UBIGINT;
ALTER TABLE response_facts ADD COLUMN IF NOT EXISTS record_key UBIGINT;
-- Stores made before the answer's language: added empty (NULL), and stale_facts rebuilds them.
ALTER TABLE response_facts ADD COLUMN IF NOT EXISTS answer_language VARCHAR;
-- Stores made before the answers' numbers: added empty, and stale_facts rebuilds them.
ALTER TABLE response_facts ADD COLUMN IF NOT EXISTS response_key BIGINT;

-- One row: the store's version, raised by every write (dashboard/store/database.transaction)
-- and read by every rerun of every session to key its cached figures; and the store's identity,
-- made once, so that a store made again at the same path never meets the keys of the old one.
CREATE TABLE IF NOT EXISTS store_version (
    version BIGINT NOT NULL,
    store_id VARCHAR NOT NULL
);
INSERT INTO store_version
SELECT 1, gen_random_uuid()::VARCHAR
WHERE NOT EXISTS (SELECT 1 FROM store_version);

-- The cube: pre-aggregated counts that answer a page whose filters are respondent attributes
-- only (region, country, language, stakeholder type; no theme, question, code, date or word
-- search), with the same figures as the statements over the facts (queries/cube/*.sql are the
-- twins; dashboard/store/queries.py picks them). Rebuilt with the facts (database.refresh_cube)
-- and, for codes, on an analyst's tag edit (database.refresh_answer_codes).
-- Respondents are counted per profile, the set of attributes a respondent filter can select
-- on: every respondent has exactly one profile, so the respondents of profiles add up
-- without double counting, and a filter selects whole profiles. Within a profile, a
-- respondent counted in a cell (a theme, a code, a day) is counted once there, exactly as the
-- pages count them; cells of different themes or codes never add up (no page adds them).
-- Record-key sums (for perturbation) are kept whole (HUGEINT) and reduced mod 2^32 when read.

-- One row per consultation with a cube: the zone its per-day code counts are in, and the
-- layout of the cube that built it (queries.CUBE_VERSION; another is built again on open).
CREATE TABLE IF NOT EXISTS cube_builds (
    consultation_id VARCHAR PRIMARY KEY,
    zone VARCHAR NOT NULL,
    layout INTEGER NOT NULL
);

-- One row per profile (distinct region, sub-region, country, language and stakeholder type
-- among the consultation's respondents): its respondents, their responses, and how many of the
-- respondents gave at least one response.
CREATE TABLE IF NOT EXISTS cube_profiles (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    region VARCHAR NOT NULL,
    subregion VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    country_iso3 VARCHAR,
    language VARCHAR NOT NULL,
    stakeholder_type VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    responses BIGINT NOT NULL,
    response_key_sum HUGEINT,
    answering BIGINT NOT NULL,          -- respondents with at least one response
    answering_key_sum HUGEINT
);

-- One row per respondent: their profile (for updating one profile's cells after a tag edit).
CREATE TABLE IF NOT EXISTS cube_respondents (
    consultation_id VARCHAR NOT NULL,
    respondent_key INTEGER NOT NULL,
    profile_id INTEGER NOT NULL
);

-- One row per profile and period against the window: respondents by their submission time,
-- responses by theirs.
CREATE TABLE IF NOT EXISTS cube_periods (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    period VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    responses BIGINT NOT NULL,
    response_key_sum HUGEINT
);

-- One row per profile and quarter hour (UTC epoch // 900; NULL for times that could not be
-- read): respondents by their submission time, responses by theirs. Every zone's offset is
-- whole quarters, so the timelines read these in any zone.
CREATE TABLE IF NOT EXISTS cube_quarters (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    quarter BIGINT,
    respondents BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    responses BIGINT NOT NULL,
    response_key_sum HUGEINT
);

-- One row per profile and theme, question, code ('(none)' for answers no code tags), or question
-- and option, with at least one response: responses, and the respondents with at least one.
CREATE TABLE IF NOT EXISTS cube_themes (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    theme_id VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    responses BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    response_key_sum HUGEINT
);

CREATE TABLE IF NOT EXISTS cube_questions (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    question_id VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    responses BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    response_key_sum HUGEINT
);

-- One row per profile and language detected in the answers ('und' where none was) with at least
-- one response: the Languages page's declared-against-detected table and the sidebar's choices.
CREATE TABLE IF NOT EXISTS cube_answer_languages (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    answer_language VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    responses BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    response_key_sum HUGEINT
);

CREATE TABLE IF NOT EXISTS cube_codes (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    code_id VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    responses BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    response_key_sum HUGEINT
);

CREATE TABLE IF NOT EXISTS cube_options (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    question_id VARCHAR NOT NULL,
    option VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    responses BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    response_key_sum HUGEINT
);

-- One row per profile, local day (in cube_builds.zone) and code with at least one tagged
-- response that day: responses, and the respondents with at least one such response that day.
CREATE TABLE IF NOT EXISTS cube_code_days (
    consultation_id VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL,
    bin_start TIMESTAMP NOT NULL,
    code_id VARCHAR NOT NULL,
    respondents BIGINT NOT NULL,
    responses BIGINT NOT NULL,
    respondent_key_sum HUGEINT,
    response_key_sum HUGEINT
);

-- One row per question and option of the multi-column questions: where the option stands
-- (the least column position, the question's theme and position), as queries/by_option.sql
-- places them.
CREATE TABLE IF NOT EXISTS cube_option_places (
    consultation_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    option VARCHAR NOT NULL,
    position INTEGER,
    theme_id VARCHAR NOT NULL,
    question_position INTEGER NOT NULL
);

-- One row per unfiltered view a page opens on (a cube twin's result with no filter, in the
-- consultation's zone and k; queries.VIEWS lists them): the frame itself, as an Arrow IPC
-- stream, made with the cube (database.refresh_cube) and after a tag edit. At a million
-- answers a twin still adds up thousands of profiles (30 ms for the codes per day); the page
-- reads its view in about a millisecond. Named by the twin and the parameters it reads (JSON).
CREATE TABLE IF NOT EXISTS cube_views (
    consultation_id VARCHAR NOT NULL,
    statement VARCHAR NOT NULL,
    parameters VARCHAR NOT NULL,
    frame BLOB NOT NULL
);

-- One row per answer an analyst pinned as a quote of a theme, a code or a topic (by its label) for
-- the report's "What respondents said". The answer is named by its respondent, question and
-- text (md5 of the answer as written), like tag_edits, so the pin outlives re-tagging, undo and
-- a re-import of the same file; the respondent id never leaves the store. Pins and unpins are
-- in the audit log too.
CREATE TABLE IF NOT EXISTS quote_pins (
    consultation_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- 'theme', 'code' or 'topic'
    subject_id VARCHAR NOT NULL,        -- the theme's or code's id, a topic's label (its terms)
    respondent_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    answer_hash VARCHAR NOT NULL,       -- md5 of the answer as written
    pinned_by VARCHAR NOT NULL,
    pinned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consultation_id, kind, subject_id, respondent_id, question_id, answer_hash)
);
