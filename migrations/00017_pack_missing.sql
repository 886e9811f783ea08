-- +goose Up
-- How many things a pack's working documents still miss
-- (handoff.Documents.MissingCount), stored at every save so an SE's home reads
-- one number per row instead of decoding five documents, and the version of
-- the rule it was counted under (handoff.CompletenessRule): the program
-- recounts open packs counted under another rule, or never counted, when it
-- starts (postgres.RecountMissing). Neither moves data_version: no kept list
-- shows them.
ALTER TABLE packs ADD COLUMN missing smallint, ADD COLUMN missing_rule smallint;

-- +goose Down
ALTER TABLE packs DROP COLUMN missing_rule, DROP COLUMN missing;
