-- Staff accounts, their roles and areas, sessions, and sign-in attempts.
-- Passwords are argon2id hashes; session tokens and nothing else identify a browser, and
-- only their SHA-256 is stored (as with drafts).

CREATE TABLE staff (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- domain::workflow::Role slugs (never 'pemohon').
CREATE TABLE staff_roles (
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (staff_id, role)
);

-- The areas a staff member works: a regency/city or a district code. Applications whose
-- address lies inside one of them are theirs to see.
CREATE TABLE staff_areas (
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL,
    PRIMARY KEY (staff_id, region_code)
);

CREATE TABLE staff_service_points (
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    service_point_id BIGINT NOT NULL REFERENCES service_points (id),
    PRIMARY KEY (staff_id, service_point_id)
);

-- Shared by every Layan instance, so a session works whichever instance answers.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    -- The sooner of idle timeout and absolute lifetime; moved on by each request.
    expires_at TEXT NOT NULL,
    absolute_expiry TEXT NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);

-- For rate limiting sign-in per account and per address (the IP is kept only here, briefly).
CREATE TABLE sign_in_attempts (
    id {{ID}},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX sign_in_attempts_by_username ON sign_in_attempts (username, at);
CREATE INDEX sign_in_attempts_by_ip ON sign_in_attempts (ip, at);
