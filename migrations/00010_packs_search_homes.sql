-- +goose Up
-- Packs for every role and action-first homes (DESIGN §6), each list paged by
-- keyset over an index, so its cost follows the page, not the table or a
-- person's history (DESIGN §9).

-- Search by account, opportunity, CRM id and the AE and CSM names: one
-- generated text per deal, in lower case so a search is a plain LIKE (far
-- cheaper per row than ILIKE), trigram-indexed for substring search. SE and
-- SA names live on users and are matched there. Finer statistics let the
-- planner tell a word in 4% of deals from one in 0.01%, which decides between
-- reading the index and walking the newest deals.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE deals ADD COLUMN search_text text GENERATED ALWAYS AS (lower(
    account_name || ' ' || opportunity_name || ' ' || coalesce(crm_opportunity_id, '') || ' ' || ae_name || ' ' || csm_name
)) STORED;
ALTER TABLE deals ALTER COLUMN search_text SET STATISTICS 1000;
CREATE INDEX deals_search_text_idx ON deals USING gin (search_text gin_trgm_ops);
-- The Packs list, newest Closed-Won first: for everyone, one SE, one SA.
CREATE INDEX deals_closed_won_id_idx ON deals (closed_won_on, id);
CREATE INDEX deals_se_closed_won_idx ON deals (se_id, closed_won_on, id);
CREATE INDEX deals_sa_closed_won_idx ON deals (sa_id, closed_won_on, id) WHERE sa_id IS NOT NULL;

-- A home lists one person's packs by what the clock model says of them
-- (status), so the pack row carries its deal's SE and SA: an index then holds
-- exactly one person's open packs, or their finished ones. Triggers keep the
-- copies equal to the deal's, whatever writes either table.
ALTER TABLE packs ADD COLUMN se_id bigint, ADD COLUMN sa_id bigint;
UPDATE packs p SET se_id = d.se_id, sa_id = d.sa_id FROM deals d WHERE d.id = p.deal_id;
ALTER TABLE packs ALTER COLUMN se_id SET NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION handoff_pack_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT d.se_id, d.sa_id INTO NEW.se_id, NEW.sa_id FROM deals d WHERE d.id = NEW.deal_id;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER packs_people BEFORE INSERT OR UPDATE OF deal_id, se_id, sa_id ON packs
    FOR EACH ROW EXECUTE FUNCTION handoff_pack_people();

-- +goose StatementBegin
CREATE FUNCTION handoff_deal_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE packs SET se_id = NEW.se_id, sa_id = NEW.sa_id WHERE deal_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER deals_people AFTER UPDATE OF se_id, sa_id ON deals
    FOR EACH ROW WHEN (OLD.se_id IS DISTINCT FROM NEW.se_id OR OLD.sa_id IS DISTINCT FROM NEW.sa_id)
    EXECUTE FUNCTION handoff_deal_people();

-- "Needs you" and "Waiting on others": one person's packs whose running
-- clocks wait on the SE (draft, changes requested) or on the SA (submitted,
-- acknowledged), by the due day of the soonest running clock. The statuses
-- and the expression are the clock model's (deadline.SectionStatuses,
-- deadline.RunningIn) written out; the queries build both from the model
-- (internal/postgres/homes.go), and TestHomeQueriesReadTheirIndexes proves the
-- planner reads these indexes in page order.
CREATE INDEX packs_se_needs_idx ON packs (se_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('draft', 'changes_requested');
CREATE INDEX packs_se_waiting_idx ON packs (se_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('submitted', 'acknowledged');
CREATE INDEX packs_sa_needs_idx ON packs (sa_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('submitted', 'acknowledged') AND sa_id IS NOT NULL;
CREATE INDEX packs_sa_waiting_idx ON packs (sa_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('draft', 'changes_requested') AND sa_id IS NOT NULL;
-- "Done": the rest of a person's history, newest first, a page at a time.
CREATE INDEX packs_se_done_idx ON packs (se_id, id) WHERE status = 'locked';
CREATE INDEX packs_sa_done_idx ON packs (sa_id, id) WHERE status = 'locked' AND sa_id IS NOT NULL;

-- Where a CRM id links to: '' (no links) or an https URL with {id} in it.
ALTER TABLE org_settings ADD COLUMN crm_url_template text NOT NULL DEFAULT ''
    CHECK (crm_url_template = '' OR (crm_url_template LIKE 'https://%' AND strpos(crm_url_template, '{id}') > 0
                                     AND length(crm_url_template) <= 500));

-- +goose Down
ALTER TABLE org_settings DROP COLUMN crm_url_template;
DROP INDEX packs_sa_done_idx;
DROP INDEX packs_se_done_idx;
DROP INDEX packs_sa_waiting_idx;
DROP INDEX packs_sa_needs_idx;
DROP INDEX packs_se_waiting_idx;
DROP INDEX packs_se_needs_idx;
DROP TRIGGER deals_people ON deals;
DROP FUNCTION handoff_deal_people();
DROP TRIGGER packs_people ON packs;
DROP FUNCTION handoff_pack_people();
ALTER TABLE packs DROP COLUMN sa_id, DROP COLUMN se_id;
DROP INDEX deals_sa_closed_won_idx;
DROP INDEX deals_se_closed_won_idx;
DROP INDEX deals_closed_won_id_idx;
DROP INDEX deals_search_text_idx;
ALTER TABLE deals DROP COLUMN search_text;
DROP EXTENSION IF EXISTS pg_trgm;
