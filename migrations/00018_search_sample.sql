-- +goose Up
-- A sixteenth of deals, trigram-indexed on their own, for the Packs search
-- count (postgres.SearchCountSQL). A trigram index is read whole before it
-- returns a row, so counting a word in 4% of 1,000,000 deals reads 40,000
-- entries to stop at the 1,001st match. This sample holds as many of a
-- common word's matches as the cap in a sixteenth of the entries, however
-- large the table grows; rarer words are counted on the full index. The
-- predicate must read as the query's condition does (searchSample).
CREATE INDEX deals_search_text_sample_idx ON deals USING gin (search_text gin_trgm_ops) WHERE id % 16 = 0;

-- +goose Down
DROP INDEX deals_search_text_sample_idx;
