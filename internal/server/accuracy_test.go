package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// accuracyEnv is packEnv (today 2026-11-25, in 2026-Q4) with assessed packs:
// Sam's Acme, at the lock in Q4 and again at first value in Q4 (3 held of 4,
// 1 surfaced: 60%); Sam's Initech in 2026-Q2 (4 of 4); Priya's +Globex in Q4
// (1 of 2).
type accuracyEnv struct {
	*packEnv
	initech, globex int64
}

func newAccuracyEnv(t *testing.T) *accuracyEnv {
	t.Helper()
	e := &accuracyEnv{packEnv: newPackEnv(t)}
	e.initech = e.CreatePack("Initech", e.sam, e.alex, "2026-03-02")
	e.globex = e.CreatePack("+Globex", e.priya, e.jordan, "2026-10-01")
	e.assess(t, e.pack, handoff.StageLock, "2026-10-05", 1, 1, 1, 0)
	e.assess(t, e.pack, handoff.StageFirstValue, "2026-11-20", 3, 1, 0, 1)
	e.assess(t, e.initech, handoff.StageLock, "2026-05-04", 4, 0, 0, 0)
	e.assess(t, e.globex, handoff.StageLock, "2026-11-10", 1, 0, 1, 0)
	return e
}

// assess records the SA's assessment of pack at stage straight in the table:
// the accuracy stats read what is stored, whoever stored it.
func (e *accuracyEnv) assess(t *testing.T, pack int64, stage, on string, held, under, wrong, surfaced int) {
	t.Helper()
	if _, err := e.DB.Pool.Exec(context.Background(), `
		INSERT INTO handoff_assessments (pack_id, stage, data, held, under_scoped, wrong, surfaced, se_id, assessed_on, assessed_by, assessed_at)
		SELECT $1, $2, '{}', $3, $4, $5, $6, d.se_id, $7::date, $8, $7::date + time '15:00'
		FROM packs p JOIN deals d ON d.id = p.deal_id WHERE p.id = $1`,
		pack, stage, held, under, wrong, surfaced, on, e.alex.ID); err != nil {
		t.Fatal(err)
	}
}

// squash is s with its runs of white space made single spaces.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// seRows are the SE names of the per-SE table, in order.
func seRows(res *servertest.Response) []string {
	var names []string
	res.Doc().Find(`[data-testid="accuracy-by-se"] [data-testid="se-row"] th`).Each(func(_ int, s *goquery.Selection) {
		names = append(names, strings.TrimSpace(s.Text()))
	})
	return names
}

func TestAccuracyPage(t *testing.T) {
	t.Parallel()
	e := newAccuracyEnv(t)

	t.Run("AnSESeesTheirOwnFigureOnly", func(t *testing.T) {
		res := e.Login("sam@example.com").Get("/accuracy")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /accuracy as Sam = %d", res.StatusCode)
		}
		// Acme at first value (3 held of 4, 1 surfaced) and Initech (4 of 4):
		// 7 held of 8 items and 1 surfaced, 7 of 9.
		want := "78% held as handed off — 7 of 8 items; 1 surfaced that the packs missed; 2 packs"
		if got := squash(res.Text(`[data-testid="accuracy-headline"]`)); got != want {
			t.Errorf("headline = %q, want %q", got, want)
		}
		if got := seRows(res); !slices.Equal(got, []string{"Sam Rivera"}) {
			t.Errorf("per-SE rows = %v, want only Sam's", got)
		}
		if strings.Contains(res.Body, "Priya") || strings.Contains(res.Body, "Globex") {
			t.Error("Sam's page names Priya or her pack")
		}
		if got := res.Text(`nav [aria-current="page"]`); got != "Accuracy" {
			t.Errorf("current nav item = %q, want Accuracy", got)
		}
	})

	t.Run("AnSAIsNotFound", func(t *testing.T) {
		c := e.Login("alex@example.com")
		for _, path := range []string{"/accuracy", "/accuracy.csv"} {
			if res := c.Get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s as an SA = %d, want 404", path, res.StatusCode)
			}
		}
	})

	t.Run("AManagerSeesEverySEByName", func(t *testing.T) {
		res := e.Login("morgan@example.com").Get("/accuracy")
		if got := seRows(res); !slices.Equal(got, []string{"Priya Shah", "Sam Rivera"}) {
			t.Errorf("per-SE rows = %v, want Priya Shah, Sam Rivera", got)
		}
		// 8 held of 10 items, 1 surfaced: 8 of 11.
		if got := res.Text(`[data-testid="all-row"] [data-testid="accuracy"]`); got != "73%" {
			t.Errorf("everyone = %q, want 73%%", got)
		}
		if got := squash(res.Text(`h2#acc-trend-h`)); got != "The org's trend by quarter" {
			t.Errorf("trend heading = %q", got)
		}
	})

	t.Run("TrendShowsEightQuartersWithGaps", func(t *testing.T) {
		res := e.Login("morgan@example.com").Get("/accuracy?quarters=1")
		doc := res.Doc()
		if n := doc.Find(`[data-testid="accuracy-trend"] [data-testid="trend-bar"]`).Length(); n != 2 {
			t.Errorf("bars = %d, want 2 (2026-Q2 and 2026-Q4)", n)
		}
		if n := doc.Find(`[data-testid="accuracy-trend"] [data-testid="trend-gap"]`).Length(); n != 6 {
			t.Errorf("gaps = %d, want 6 quarters drawn as no data", n)
		}
		if desc := doc.Find(`[data-testid="accuracy-trend"] desc`).Text(); !strings.Contains(desc, "2026-Q3 no data; 2026-Q4 57%") {
			t.Errorf("chart description = %q, want Q3 as no data and Q4 at 57%%", desc)
		}
		var quarters []string
		doc.Find(`[data-testid="accuracy-quarters"] tbody tr`).Each(func(_ int, row *goquery.Selection) {
			quarters = append(quarters, strings.Join(row.Children().Map(func(_ int, cell *goquery.Selection) string { return squash(cell.Text()) }), " "))
		})
		if len(quarters) != 8 || quarters[6] != "2026-Q3 no handoffs assessed" || quarters[7] != "2026-Q4 2 6 4 1 57%" {
			t.Errorf("quarter table = %q", quarters)
		}
	})

	t.Run("ThisQuarterLeavesTheSecondQuarterOut", func(t *testing.T) {
		res := e.Login("sam@example.com").Get("/accuracy?quarters=1")
		want := "60% held as handed off — 3 of 4 items; 1 surfaced that the packs missed; 1 pack"
		if got := squash(res.Text(`[data-testid="accuracy-headline"]`)); got != want {
			t.Errorf("headline = %q, want %q", got, want)
		}
		if href, _ := res.Doc().Find(`[data-testid="csv"]`).Attr("href"); href != "/accuracy.csv?quarters=1" {
			t.Errorf("CSV link = %q, want the same period", href)
		}
	})

	t.Run("ABadPeriodFallsBackToTheDefault", func(t *testing.T) {
		c := e.Login("sam@example.com")
		for _, q := range []string{"3", "abc", "-4", "8.0"} {
			res := c.Get("/accuracy?quarters=" + q)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("quarters=%s = %d", q, res.StatusCode)
			}
			if got, _ := res.Doc().Find(`#quarters option[selected]`).Attr("value"); got != "4" {
				t.Errorf("quarters=%s selects %q, want 4", q, got)
			}
			if got := res.Text(`.flash`); !strings.Contains(got, "must be 1, 4 or 8 quarters") {
				t.Errorf("quarters=%s says %q, want why it shows the default", q, got)
			}
		}
	})

	t.Run("StatsCardForManagers", func(t *testing.T) {
		res := e.Login("morgan@example.com").Get("/stats")
		card := res.Doc().Find(`[data-testid="stat-accuracy"]`)
		if got := squash(card.Text()); !strings.HasPrefix(got, "73% Handoff accuracy, 2026-Q1 to 2026-Q4: held as handed off (8 of 10 items") {
			t.Errorf("stats card = %q", got)
		}
		if href, _ := card.Find("a").Attr("href"); href != "/accuracy" {
			t.Errorf("stats card links to %q, want /accuracy", href)
		}
	})
}

func TestAccuracyCSV(t *testing.T) {
	t.Parallel()
	e := newAccuracyEnv(t)
	read := func(t *testing.T, email, path string) [][]string {
		t.Helper()
		res := e.Login(email).Get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		records, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil {
			t.Fatalf("parse CSV: %v\n%s", err, res.Body)
		}
		return records
	}

	t.Run("HeaderAndNewestFirst", func(t *testing.T) {
		records := read(t, "morgan@example.com", "/accuracy.csv?quarters=4")
		wantHeader := []string{"pack_id", "account", "opportunity", "se", "sa", "stage", "assessed_on", "quarter",
			"held", "under_scoped", "wrong", "surfaced", "accuracy"}
		if len(records) != 4 || !slices.Equal(records[0], wantHeader) {
			t.Fatalf("CSV = %q, want the header and 3 packs", records)
		}
		acme := []string{strconv.FormatInt(e.pack, 10), "Acme Corp", "Acme Corp platform", "Sam Rivera", "Alex Chen", "first_value",
			"2026-11-20", "2026-Q4", "3", "1", "0", "1", "60.0"}
		if !slices.Equal(records[1], acme) {
			t.Errorf("newest row = %q, want %q", records[1], acme)
		}
		// A name a spreadsheet would run as a formula is defused.
		if records[2][1] != "'+Globex" || records[2][12] != "50.0" {
			t.Errorf("Globex row = %q", records[2])
		}
		if records[3][0] != strconv.FormatInt(e.initech, 10) || records[3][7] != "2026-Q2" {
			t.Errorf("oldest row = %q, want Initech in 2026-Q2", records[3])
		}
	})

	t.Run("AnSEGetsOnlyTheirOwn", func(t *testing.T) {
		records := read(t, "priya@example.com", "/accuracy.csv")
		if len(records) != 2 || records[1][0] != strconv.FormatInt(e.globex, 10) {
			t.Errorf("Priya's CSV = %q, want only +Globex", records)
		}
	})

	t.Run("FilenameCarriesThePeriod", func(t *testing.T) {
		res := e.Login("morgan@example.com").Get("/accuracy.csv?quarters=1")
		if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="handoff-accuracy-1q-2026-11-25.csv"` {
			t.Errorf("Content-Disposition = %q", cd)
		}
	})
}

func TestAccuracyEmptyState(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	res := e.Login("priya@example.com").Get("/accuracy")
	if h, p := res.Text(`.empty h2`), res.Text(`.empty p`); h != "No handoffs assessed in this period yet." || p != "The SA assesses each handoff after locking its architecture." {
		t.Errorf("empty state = %q %q", h, p)
	}
	if res.Doc().Find(`[data-testid="accuracy-trend"], [data-testid="accuracy-headline"]`).Length() != 0 {
		t.Error("an empty period still draws a chart or a headline figure")
	}
	if got := squash(e.Login("morgan@example.com").Get("/stats").Text(`[data-testid="stat-accuracy"]`)); !strings.Contains(got, "— Handoff accuracy") || !strings.Contains(got, "not enough data yet (0 packs assessed)") {
		t.Errorf("stats card with nothing assessed = %q, want — and not enough data", got)
	}
}
