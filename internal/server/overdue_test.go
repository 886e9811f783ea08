package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// setDue forces a pack's state and due dates, to put clocks exactly on the
// boundaries under test. servertest's clock reads Wednesday 2026-11-25, the
// day before Thanksgiving.
func setDue(t *testing.T, env *servertest.Env, pack int64, status, packDue, kickoffDue string) {
	t.Helper()
	sv, submitted := 0, any(nil)
	if status != "draft" {
		sv, submitted = 1, "2026-11-19 15:00Z" // submitted on time
	}
	if _, err := env.DB.Pool.Exec(context.Background(), `
		UPDATE packs SET status = $2, submitted_version = $3, pack_due_on = $4, kickoff_due_on = $5,
		       first_submitted_at = $6, submitted_at = $6 WHERE id = $1`,
		pack, status, sv, packDue, kickoffDue, submitted); err != nil {
		t.Fatal(err)
	}
}

func csvRows(t *testing.T, c *servertest.Client, path string) [][]string {
	t.Helper()
	res := c.Get(path)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET %s = %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:] // without the header
}

func TestOverdueBoundaries(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	env.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	mk := func(name, status, packDue, kickoffDue string) int64 {
		id := env.CreatePack(name, sam, nil, "2026-11-16")
		setDue(t, env, id, status, packDue, kickoffDue)
		return id
	}
	late := mk("Late Co", "draft", "2026-11-24", "2026-11-30")        // pack clock ended yesterday
	today := mk("Today Co", "draft", "2026-11-25", "2026-11-30")      // due today: at risk, not overdue
	friday := mk("Friday Co", "draft", "2026-11-27", "2026-11-30")    // next business day (Thanksgiving between): at risk
	mk("Monday Co", "draft", "2026-11-30", "2026-11-30")              // two business days out: neither
	kick := mk("Kickoff Co", "submitted", "2026-11-20", "2026-11-20") // pack met; kickoff 3 business days late
	m := env.Login("morgan@example.com")

	ids := func(path string) map[int64]string {
		out := map[int64]string{}
		m.Get(path).Doc().Find("[data-testid=overdue-list] tbody tr").Each(func(_ int, s *goqSel) {
			id, _ := strconv.ParseInt(strings.TrimPrefix(s.AttrOr("data-testid", ""), "row-"), 10, 64)
			out[id] += strings.TrimSpace(s.Find("td").Eq(1).Text()) + "|" + strings.TrimSpace(s.Find("td").Eq(2).Find(".badge").Text()) + ";"
		})
		return out
	}

	over := ids("/overdue?state=overdue")
	if len(over) != 2 || over[late] != "Pack due|1 business day overdue;" || over[kick] != "Kickoff due|3 business days overdue;" {
		t.Errorf("overdue rows = %v", over)
	}
	risk := ids("/overdue?state=at_risk&clock=pack")
	if len(risk) != 2 || risk[today] != "Pack due|due today;" || risk[friday] != "Pack due|due in 1 business day;" {
		t.Errorf("at-risk pack rows = %v", risk)
	}

	// Counts, list and CSV agree on the same data.
	page := m.Get("/overdue")
	for sel, want := range map[string]string{"count-pack-se-overdue": "1", "count-kickoff-sa-overdue": "1", "count-kickoff-se-overdue": "0",
		"count-lock-sa-overdue": "0", "count-pack-se-at_risk": "2"} {
		if got := strings.Fields(page.Text("[data-testid=" + sel + "]"))[0]; got != want {
			t.Errorf("%s = %s, want %s", sel, got, want)
		}
	}
	// The stats page quotes the same counts as the lists, and its on-time
	// rate counts the late draft as late and leaves the not-yet-due ones out.
	st := m.Get("/stats")
	for sel, want := range map[string]string{"now-pack": "1 Pack due", "now-kickoff": "1 Kickoff due", "now-lock": "0 Architecture lock due"} {
		if got := st.Text("[data-testid=" + sel + "]"); got != want {
			t.Errorf("stats %s = %q, want %q", sel, got, want)
		}
	}
	if got := st.Text("[data-testid=stat-ontime]"); !strings.Contains(got, "(1 of 2)") {
		t.Errorf("stats on-time = %q, want 1 of 2 decided (the late draft, the submitted pack)", got)
	}
	if st.Doc().Find("svg[data-testid=trend] rect").Length() != 1 {
		t.Error("the weekly trend has no bar for the decided week")
	}
	rows := csvRows(t, m, "/overdue.csv?state=overdue")
	if len(rows) != 2 || rows[0][0] != strconv.FormatInt(kick, 10) || rows[0][5] != "2026-11-20" || rows[0][6] != "3" || rows[1][3] != "pack" {
		t.Errorf("csv = %v", rows)
	}
}

func TestOverduePagesByKeyset(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	priya := env.CreateUser("Priya Shah", "priya@example.com", handoff.RoleSE)
	env.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	var samPacks int
	for i := range 70 {
		se := sam
		if i%7 == 0 {
			se = priya
		} else {
			samPacks++
		}
		id := env.CreatePack("Co "+strconv.Itoa(i), se, nil, "2026-11-02")
		// Many share a due date, so the keyset's tie-break on id is exercised.
		setDue(t, env, id, "submitted", "2026-11-09", "2026-11-"+strconv.Itoa(10+i%5))
	}
	m := env.Login("morgan@example.com")
	seen := map[string]bool{}
	path := "/overdue?clock=kickoff&se=" + strconv.FormatInt(sam.ID, 10)
	pages := 0
	for path != "" {
		res := m.Get(path)
		pages++
		res.Doc().Find("[data-testid=overdue-list] tbody tr").Each(func(_ int, s *goqSel) {
			id := s.AttrOr("data-testid", "")
			if seen[id] {
				t.Errorf("%s shown twice", id)
			}
			seen[id] = true
			if !strings.Contains(s.Text(), "Sam Rivera") {
				t.Errorf("row of another SE under the SE filter: %s", s.Text())
			}
		})
		next, ok := res.Doc().Find("[data-testid=next]").Attr("href")
		if !ok {
			break
		}
		if !strings.Contains(next, "se="+strconv.FormatInt(sam.ID, 10)) || !strings.Contains(next, "after=") {
			t.Errorf("next link drops the filter or cursor: %s", next)
		}
		path = next
	}
	if len(seen) != samPacks || pages != 2 {
		t.Errorf("rows %d over %d pages, want %d over 2", len(seen), pages, samPacks)
	}
	if n := len(csvRows(t, m, "/overdue.csv?clock=kickoff&se="+strconv.FormatInt(sam.ID, 10))); n != samPacks {
		t.Errorf("csv rows = %d, want %d", n, samPacks)
	}
	// Sorting by ARR pages too, with every row once.
	seen = map[string]bool{}
	for path := "/overdue?clock=kickoff&sort=arr"; path != ""; {
		res := m.Get(path)
		res.Doc().Find("[data-testid=overdue-list] tbody tr").Each(func(_ int, s *goqSel) { seen[s.AttrOr("data-testid", "")] = true })
		path, _ = res.Doc().Find("[data-testid=next]").Attr("href")
	}
	if len(seen) != 70 {
		t.Errorf("ARR-sorted rows = %d, want 70", len(seen))
	}
}

type goqSel = goquery.Selection

func TestCSVDefusesFormulas(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	env.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	id := env.CreatePack(`=HYPERLINK("http://evil.example","x")`, sam, nil, "2026-11-02")
	setDue(t, env, id, "draft", "2026-11-09", "2026-11-09")
	rows := csvRows(t, env.Login("morgan@example.com"), "/overdue.csv?clock=pack")
	if len(rows) != 1 || !strings.HasPrefix(rows[0][1], "'=") {
		t.Errorf("csv = %v, want the formula defused with a leading apostrophe", rows)
	}
}
