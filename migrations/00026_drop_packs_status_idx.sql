-- +goose Up
-- The index on packs.status alone pulled the homes off their own indexes:
-- "Needs you" of an SE joined it in a BitmapAnd, reading about 4,300 status
-- entries at 100,000 packs to find the SE's twenty, where
-- packs_se_needs_idx (migration 00010) holds exactly those in page order.
-- Every status a list filters by is also covered by a clock's partial index
-- (00005, 00019) or is most packs (locked), so a capped count by status
-- still reads an index or stops early: at 1,000,000 packs, counting
-- "changes requested" to 1,001 takes 0.9 ms instead of 0.3.
DROP INDEX packs_status_idx;

-- +goose Down
CREATE INDEX packs_status_idx ON packs (status);
