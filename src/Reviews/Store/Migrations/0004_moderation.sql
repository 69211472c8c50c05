-- Moderation: a review is published, reported (hidden by PUT /reviews/{id}/report), pending (held for approval)
-- or removed (by the staff). `reported` stays what the public reads filter on and what the legacy files carry:
-- true exactly when the review is not published (the check ties the two), so the public queries, their indexes
-- and the legacy import and export are unchanged. Both columns are added without rewriting the table.
ALTER TABLE reviews
    ADD COLUMN state       text NOT NULL DEFAULT 'published',
    ADD COLUMN state_since timestamptz; -- null: since before moderation existed (an imported report)
UPDATE reviews SET state = 'reported' WHERE reported;
ALTER TABLE reviews ADD CONSTRAINT reviews_state
    CHECK (state IN ('published', 'reported', 'pending', 'removed') AND reported = (state <> 'published'));
-- The moderation queue, oldest first; published reviews (nearly all of them) are not in it.
CREATE INDEX reviews_moderation_queue ON reviews (state, state_since NULLS FIRST, id) WHERE reported;
-- Privacy requests find a reviewer's reviews by address, whatever its case.
CREATE INDEX reviews_reviewer_email ON reviews (lower(reviewer_email));
