-- The staff's own records, in a schema of their own: an import (which swaps the reviews schema whole) must not
-- take them with it.

-- Every staff action, append-only: who (the token's subject), when, what, and the review's state before and after.
CREATE TABLE audit (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text        NOT NULL,
    action       text        NOT NULL,
    review_id    bigint,
    state_before text,
    state_after  text,
    detail       text
);
CREATE INDEX audit_review_id ON audit (review_id, id);

CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

-- Reviews erased by a privacy request: an import skips these ids (reporting each), so a legacy file cannot bring
-- one back, and new reviews are numbered past them. Ids only: nothing here identifies a person.
CREATE TABLE erased_reviews (
    review_id bigint      PRIMARY KEY,
    erased_at timestamptz NOT NULL DEFAULT now()
);
