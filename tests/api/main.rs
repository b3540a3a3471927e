//! Integration tests: the production router over a real database, one fresh database per
//! test. SQLite by default; `LAYAN_TEST_BACKEND=postgres` with `LAYAN_TEST_POSTGRES_URL`
//! runs the same tests on PostgreSQL (the test command does both).

mod cluster;
mod fixtures;
mod garage;
mod helpers;
mod journey;
mod kannel;

mod admin;
mod apply;
mod breach;
mod binary;
mod burst;

mod casework;
mod check;
mod complaints;
mod data_rights;
mod drafts;
mod guessing;
mod health;
mod home;
mod instances;
mod letters;
mod memory;
mod notify;
mod phone_recovery;
mod queues;
mod reference_data;
mod reports;
mod retention;
mod security;
mod shared_rules;
mod sms;
mod staff;
mod staff_functions;
mod storage;
mod tracking;
