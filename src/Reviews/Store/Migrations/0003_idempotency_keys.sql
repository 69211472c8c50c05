-- POST /reviews with an Idempotency-Key header: the key, a SHA-256 of the body it came with, and the review it
-- created, written in the same statement as the review. A client that retries after a lost answer gets that
-- review back, from any instance, instead of a second one. Kept at least 24 hours (the service deletes older).
CREATE TABLE idempotency_keys (
    key        text        PRIMARY KEY,
    request    bytea       NOT NULL,
    review_id  bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
