package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// setStatus moves a pack to status with the facts the status implies, as the
// transitions would have written them (submitted 2026-11-20, kickoff
// 2026-11-23, locked 2026-12-01), so a test sets a scene in one statement.
func setStatus(t *testing.T, env *servertest.Env, id int64, status handoff.Status) {
	t.Helper()
	sql := map[handoff.Status]string{
		handoff.StatusSubmitted: `UPDATE packs SET status = 'submitted', submitted_version = 1,
			first_submitted_at = '2026-11-20 15:00Z', submitted_at = '2026-11-20 15:00Z' WHERE id = $1`,
		handoff.StatusAcknowledged: `UPDATE packs SET status = 'acknowledged', submitted_version = 1,
			first_submitted_at = '2026-11-20 15:00Z', submitted_at = '2026-11-20 15:00Z', acknowledged_at = '2026-11-23 15:00Z',
			kickoff_on = '2026-11-23', lock_due_on = '2026-12-23', first_value_due_on = '2027-02-21' WHERE id = $1`,
		handoff.StatusLocked: `UPDATE packs SET status = 'locked', submitted_version = 1,
			first_submitted_at = '2026-11-20 15:00Z', submitted_at = '2026-11-20 15:00Z', acknowledged_at = '2026-11-23 15:00Z',
			kickoff_on = '2026-11-23', lock_due_on = '2026-12-23', first_value_due_on = '2027-02-21', locked_at = '2026-12-01 15:00Z',
			first_value_on = '2026-12-01', first_value_what = 'Live', first_value_recorded_at = '2026-12-01 15:00Z' WHERE id = $1`,
	}[status]
	if _, err := env.DB.Pool.Exec(context.Background(), sql, id); err != nil {
		t.Fatalf("set pack %d %s: %v", id, status, err)
	}
}

// sectionRows lists the accounts of each home section, in page order.
func sectionRows(page *servertest.Response) map[string][]string {
	out := map[string][]string{}
	page.Doc().Find(`[data-testid^="section-"]`).Each(func(_ int, s *goquery.Selection) {
		key := strings.TrimPrefix(s.AttrOr("data-testid", ""), "section-")
		out[key] = []string{}
		s.Find("tbody tr").Each(func(_ int, row *goquery.Selection) {
			out[key] = append(out[key], strings.TrimSpace(row.Find("td a").First().Text()))
		})
	})
	return out
}

func sectionOrder(page *servertest.Response) []string {
	var out []string
	page.Doc().Find(`[data-testid^="section-"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimPrefix(s.AttrOr("data-testid", ""), "section-"))
	})
	return out
}

// TestSEHomeIsActionFirst: the pack due today comes first under "Needs
// you", above an older pack that waits on the SA; finished packs are folded
// away; another SE's pack is nowhere.
func TestSEHomeIsActionFirst(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t) // Acme Corp: won today, a draft due 2026-12-03
	waiting := e.CreatePack("Waiting Co", e.sam, e.alex, "2026-11-02")
	setStatus(t, e.Env, waiting, handoff.StatusSubmitted)
	e.CreatePack("Due Today Co", e.sam, e.alex, "2026-11-18") // pack due 2026-11-25, today
	done := e.CreatePack("Done Co", e.sam, e.alex, "2026-10-01")
	setStatus(t, e.Env, done, handoff.StatusLocked)
	e.CreatePack("Priya Co", e.priya, e.alex, "2026-11-18")

	page := e.Login("sam@example.com").Get("/packs")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("My packs = %d", page.StatusCode)
	}
	if got := strings.Join(sectionOrder(page), ","); got != "needs,waiting,done" {
		t.Errorf("sections = %s, want needs,waiting,done", got)
	}
	rows := sectionRows(page)
	if got := strings.Join(rows["needs"], ","); got != "Due Today Co,Acme Corp" {
		t.Errorf("needs you = %s, want the pack due today first", got)
	}
	if got := strings.Join(rows["waiting"], ","); got != "Waiting Co" {
		t.Errorf("waiting on others = %s", got)
	}
	if got := strings.Join(rows["done"], ","); got != "Done Co" {
		t.Errorf("done = %s", got)
	}
	doc := page.Doc()
	if d := doc.Find(`details[data-testid="section-done"]`); d.Length() != 1 {
		t.Error("Done is not a <details> element")
	} else if _, open := d.Attr("open"); open {
		t.Error("Done is unfolded on the first visit")
	}
	if href, _ := doc.Find(`[data-testid="section-done"] a[href^="/search"]`).Attr("href"); href != "/search?status=locked" {
		t.Errorf("Done links to %q, want the Packs list filtered to done", href)
	}
	if strings.Contains(page.Body, "Priya Co") {
		t.Error("another SE's pack is on Sam's home")
	}
	if got := doc.Find(`#needs-h`).Text(); !strings.Contains(got, "(2)") {
		t.Errorf("needs you heading = %q, want its count", got)
	}
}

// TestInboxFoldsDone: the SA's finished packs are folded, below what waits
// on the SE.
func TestInboxFoldsDone(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	setStatus(t, e.Env, e.CreatePack("Done Co", e.sam, e.alex, "2026-10-01"), handoff.StatusLocked)
	setStatus(t, e.Env, e.CreatePack("Kickoff Co", e.sam, e.alex, "2026-11-02"), handoff.StatusAcknowledged)
	e.CreatePack("Jordan Co", e.sam, e.jordan, "2026-11-02")
	page := e.Login("alex@example.com").Get("/inbox")
	rows := sectionRows(page)
	if strings.Join(rows["needs"], ",") != "Kickoff Co" || strings.Join(rows["waiting"], ",") != "Acme Corp" || strings.Join(rows["done"], ",") != "Done Co" {
		t.Errorf("inbox sections = %v", rows)
	}
	if _, open := page.Doc().Find(`details[data-testid="section-done"]`).Attr("open"); open {
		t.Error("Done is unfolded")
	}
	if strings.Contains(page.Body, "Jordan Co") {
		t.Error("another SA's pack is in Alex's inbox")
	}
}

// TestHomeSectionsPageByKeyset: a section shows 25 rows and links to the
// next page, which continues where the first ended; the other sections keep
// their first page.
func TestHomeSectionsPageByKeyset(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	for i := range 26 {
		e.CreatePack("Bulk "+strconv.Itoa(100+i), e.sam, e.alex, "2026-11-24")
	}
	sam := e.Login("sam@example.com")
	first := sam.Get("/packs")
	rows := sectionRows(first)["needs"]
	if len(rows) != 25 {
		t.Fatalf("first page has %d rows, want 25", len(rows))
	}
	next, ok := first.Doc().Find(`[data-testid="next-needs"]`).Attr("href")
	if !ok || !strings.HasPrefix(next, "/packs?needs=") {
		t.Fatalf("next link = %q", next)
	}
	second := sam.Get(next)
	more := sectionRows(second)["needs"]
	if len(more) != 2 {
		t.Fatalf("second page has %d rows (%v), want 2", len(more), more)
	}
	seen := map[string]bool{}
	for _, a := range append(rows, more...) {
		if seen[a] {
			t.Errorf("%s is on both pages", a)
		}
		seen[a] = true
	}
	if len(seen) != 27 {
		t.Errorf("%d packs over both pages, want 27", len(seen))
	}
	if got := second.Doc().Find(`#needs .pager a`).First().AttrOr("href", ""); got != "/packs#needs" {
		t.Errorf("first-page link = %q", got)
	}
	// Done, folded, pages by 10.
	for i := range 12 {
		id := e.CreatePack("Finished "+strconv.Itoa(100+i), e.sam, e.alex, "2026-10-01")
		if _, err := e.DB.Pool.Exec(t.Context(), `UPDATE packs SET status = 'locked', submitted_version = 1,
			first_submitted_at = '2026-10-05', submitted_at = '2026-10-05', kickoff_on = '2026-10-09', acknowledged_at = '2026-10-09',
			lock_due_on = '2026-11-08', locked_at = '2026-11-01', first_value_due_on = '2027-01-07',
			first_value_on = '2026-11-20', first_value_what = 'Live', first_value_recorded_at = '2026-11-20 15:00Z' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
	}
	withDone := sam.Get("/packs")
	done := sectionRows(withDone)["done"]
	if len(done) != 10 || withDone.Text(`[data-testid="section-done"] summary`) != "Done (12)" {
		t.Fatalf("Done shows %d rows under %q, want 10 under Done (12)", len(done), withDone.Text(`[data-testid="section-done"] summary`))
	}
	nextDone, ok := withDone.Doc().Find(`[data-testid="next-done"]`).Attr("href")
	if !ok {
		t.Fatal("Done has no link to its next page")
	}
	if rest := sectionRows(sam.Get(nextDone))["done"]; len(rest) != 2 {
		t.Fatalf("Done's second page has %d rows, want 2", len(rest))
	}

	// A forged cursor starts from the first page, never fails.
	if res := sam.Get("/packs?needs=bogus&done=-1&waiting=2026-99-01.5"); res.StatusCode != http.StatusOK || len(sectionRows(res)["needs"]) != 25 {
		t.Errorf("bad cursors = %d with %d rows", res.StatusCode, len(sectionRows(res)["needs"]))
	}
}
