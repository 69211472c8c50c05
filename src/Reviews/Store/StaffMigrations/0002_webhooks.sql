-- Webhooks: who is told of what (subscriptions), what happened (events, written in the transaction of the change
-- they describe: the outbox), and each subscription's delivery of each event, tried until its receiver answers 2xx.
CREATE TABLE webhook_subscriptions (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url        text        NOT NULL,
    events     text[]      NOT NULL,
    secret     text        NOT NULL, -- whsec_…: the service signs with it, so it is kept (shown to the subscriber once)
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL
);

CREATE TABLE webhook_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type        text        NOT NULL,
    product_id  bigint      NOT NULL,
    review_id   bigint      NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    fanned_out  boolean     NOT NULL DEFAULT false
);
-- The events not yet turned into deliveries: few at any moment.
CREATE INDEX webhook_events_waiting ON webhook_events (id) WHERE NOT fanned_out;

CREATE TABLE webhook_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint      NOT NULL REFERENCES webhook_events (id),
    subscription_id bigint      NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- Taken by one instance until then (it is sending it); a killed instance's deliveries are taken again after.
    locked_until    timestamptz,
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    UNIQUE (event_id, subscription_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (id) WHERE state = 'dead';
