-- +goose Up
-- One approval threshold per currency the org sells in (DESIGN §3). Amounts
-- are never compared across currencies, so a single threshold let GBP 24,000
-- pass under "USD 25,000" by number alone. A currency with no row here always
-- needs the SA's decision. Money is integer hundredths of the major unit for
-- every currency: USD 25,000.00 is 2500000, JPY 30,000 is 3000000.
CREATE TABLE approval_thresholds (
    currency     text   PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0)
);

-- The single threshold becomes the first row of the list.
INSERT INTO approval_thresholds (currency, amount_minor)
SELECT approval_threshold_currency, approval_threshold_minor FROM org_settings;

ALTER TABLE org_settings
    DROP COLUMN approval_threshold_minor,
    DROP COLUMN approval_threshold_currency;

-- +goose Down
ALTER TABLE org_settings
    ADD COLUMN approval_threshold_minor    bigint NOT NULL DEFAULT 2500000 CHECK (approval_threshold_minor >= 0),
    ADD COLUMN approval_threshold_currency text   NOT NULL DEFAULT 'USD' CHECK (approval_threshold_currency ~ '^[A-Z]{3}$');

-- Keep the USD threshold if there is one, else the first by currency.
UPDATE org_settings s SET approval_threshold_minor = t.amount_minor, approval_threshold_currency = t.currency
FROM (SELECT currency, amount_minor FROM approval_thresholds
      ORDER BY currency <> 'USD', currency LIMIT 1) t;

DROP TABLE approval_thresholds;
