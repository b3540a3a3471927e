-- Reference data: regions, PPKS categories, programs, service points.
-- Written once for SQLite and PostgreSQL; {{ID}} is filled in per backend (src/server/db/migrate.rs).
-- Timestamps are ISO-8601 UTC text ('2026-11-23T08:00:00Z'), which sorts in time order on both.

-- Kepmendagri region codes, digits only ('32', '3276', '327601', '3276011001').
CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE regencies (
    code TEXT PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES provinces (code),
    name TEXT NOT NULL
);
CREATE INDEX regencies_by_province ON regencies (province_code, name);

CREATE TABLE districts (
    code TEXT PRIMARY KEY,
    regency_code TEXT NOT NULL REFERENCES regencies (code),
    name TEXT NOT NULL
);
CREATE INDEX districts_by_regency ON districts (regency_code, name);

CREATE TABLE villages (
    code TEXT PRIMARY KEY,
    district_code TEXT NOT NULL REFERENCES districts (code),
    name TEXT NOT NULL
);
CREATE INDEX villages_by_district ON villages (district_code, name);

-- Which version of an external dataset was loaded, and when.
CREATE TABLE reference_imports (
    dataset TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    imported_at TEXT NOT NULL
);

-- The PPKS categories (Permensos 8/2012, restated 5/2019). Kept as data: offices vary.
CREATE TABLE ppks_categories (
    code BIGINT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE programs (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    summary_id TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    deadline_working_days BIGINT NOT NULL CHECK (deadline_working_days BETWEEN 1 AND 90),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX programs_active ON programs (active, position);

-- Which PPKS categories a program serves.
CREATE TABLE program_ppks (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    ppks_code BIGINT NOT NULL REFERENCES ppks_categories (code),
    PRIMARY KEY (program_id, ppks_code)
);

-- The documents a program requires, in the order residents are asked for them.
CREATE TABLE program_documents (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    document_kind TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (program_id, document_kind)
);

-- Where residents can be served in person: Puskesos (village level), SLRT points, the office.
CREATE TABLE service_points (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('puskesos', 'slrt', 'dinas')),
    address TEXT NOT NULL,
    village_code TEXT NOT NULL REFERENCES villages (code),
    phone TEXT,
    opening_hours TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);
CREATE INDEX service_points_by_village ON service_points (village_code);
