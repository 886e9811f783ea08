-- +goose Up
-- Time to first value on the stats page (internal/postgres/firstvalue_stats.go)
-- reads the packs whose first value fell in the window. This index holds
-- only packs with a first value, by its day, with every column the pack and
-- lock clocks' verdicts read, so the window is one range of it and no pack
-- row: with no first value yet the answer costs nothing, and with a year of
-- them the rows it reads are the window's.
CREATE INDEX packs_first_value_on_idx ON packs (first_value_on)
    INCLUDE (deal_id, pack_due_on, first_submitted_at, kickoff_on, lock_due_on, locked_at)
    WHERE first_value_on IS NOT NULL;

-- +goose Down
DROP INDEX packs_first_value_on_idx;
