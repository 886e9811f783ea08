package jobs_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// TestEverySurfaceTellsOneClockStory puts packs in every state, including an
// overdue architecture lock (a calendar-day clock), and checks that the pack
// page, the Overdue list, its CSV, the API, the reminder mail and the stats
// say the same due day, state, lateness (number and unit) and who it waits on
// as the clock model.
func TestEverySurfaceTellsOneClockStory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := servertest.New(t)
	if err := jobs.Migrate(ctx, e.DB.Pool); err != nil {
		t.Fatal(err)
	}
	se := e.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	sa := e.CreateUser("Alex Chen", "alex@example.com", handoff.RoleSA)
	morgan := e.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	manager := e.Login("morgan@example.com")
	_, token, err := e.DB.CreateToken(ctx, "consistency", 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	settings, err := e.DB.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	off, err := e.DB.DaysOff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := deadline.ForOrg(settings, off)
	if err != nil {
		t.Fatal(err)
	}
	rules := deadline.RulesOf(settings)
	day := func(s string) deadline.Day { d, _ := deadline.ParseDay(s); return d }

	// One pack per state, with the facts its status implies.
	type seed struct {
		account string
		status  handoff.Status
		cw      string
		kickoff string
		// strategic: the account is marked strategic, so a locked pack has
		// a pod review clock.
		strategic bool
	}
	seeds := []seed{
		{"Draft Co", handoff.StatusDraft, "2026-11-09", "", false},
		{"Returned Co", handoff.StatusChangesRequested, "2026-11-09", "", false},
		{"Submitted Co", handoff.StatusSubmitted, "2026-11-10", "", false},
		{"Kicked Off Co", handoff.StatusAcknowledged, "2026-09-28", "2026-10-05", false},
		{"Locked Co", handoff.StatusLocked, "2026-09-01", "2026-09-08", false},
		// Locked in July: first value and the pod review are overdue by now.
		{"Live Co", handoff.StatusLocked, "2026-06-01", "2026-06-08", true},
	}
	ids := map[string]int64{}
	for _, s := range seeds {
		id := e.CreatePack(s.account, se, sa, s.cw)
		ids[s.account] = id
		dues := cal.DueDates(rules, day(s.cw), day(s.kickoff))
		var kickoff, lockDue, fvDue, podDue *time.Time
		if s.kickoff != "" {
			k, l, f := day(s.kickoff).Time(), dues.Lock.Time(), dues.FirstValue.Time()
			kickoff, lockDue, fvDue = &k, &l, &f
		}
		submitted := day(s.cw).Time().Add(3*24*time.Hour + 15*time.Hour)
		var firstSub, locked *time.Time
		version := 0
		if s.status != handoff.StatusDraft {
			firstSub, version = &submitted, 1
		}
		if s.status == handoff.StatusLocked {
			l := day(s.kickoff).Time().Add(20*24*time.Hour + 15*time.Hour)
			locked = &l
			if pod := deadline.NextPodReview(s.strategic, s.status, deadline.DayOf(l, cal.Location()), deadline.Day{}); !pod.IsZero() {
				p := pod.Time()
				podDue = &p
			}
		}
		if _, err := e.DB.Pool.Exec(ctx, `UPDATE deals SET strategic_marked = $2 WHERE id = (SELECT deal_id FROM packs WHERE id = $1)`,
			id, s.strategic); err != nil {
			t.Fatal(err)
		}
		if _, err := e.DB.Pool.Exec(ctx, `
			UPDATE packs SET status = $2, submitted_version = $3, pack_due_on = $4, kickoff_due_on = $5, lock_due_on = $6,
			       first_submitted_at = $7, submitted_at = $7, kickoff_on = $8, locked_at = $9, first_value_due_on = $10,
			       pod_review_due_on = $11
			WHERE id = $1`, id, string(s.status), version, dues.Pack.Time(), dues.Kickoff.Time(), lockDue, firstSub, kickoff, locked,
			fvDue, podDue); err != nil {
			t.Fatal(err)
		}
	}

	// The mails of this instant, from a runner reading the same clock.
	now := servertest.Today()
	smtp := mailtest.New(t)
	sender, err := mail.NewSMTP(smtp.URL(), "Handoff <handoff@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(jobs.Config{DB: e.DB, Mail: sender, BaseURL: "http://127.0.0.1/", Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SweepEvery: -1, FetchPollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = runner.Stop(c)
	})
	if _, err := runner.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	mails := mailWhenIdle(t, e, smtp)

	csvRows := readCSV(t, manager.Get("/overdue.csv").Body)
	overdueByKind := map[deadline.Kind]int{}
	for _, s := range seeds {
		id := ids[s.account]
		p, err := e.DB.Pack(ctx, morgan, id)
		if err != nil {
			t.Fatal(err)
		}
		page := manager.Get("/packs/" + strconv.FormatInt(id, 10))
		var api struct {
			Clocks []struct {
				Kind, State, Unit, Relative string
				Due                         *string
				Late                        int
				OwedBy                      *string `json:"owed_by"`
			}
		}
		res := e.Client().Do(bearer(t, e.Server.URL+"/api/v1/packs/"+strconv.FormatInt(id, 10), token))
		if err := json.Unmarshal([]byte(res.Body), &api); err != nil {
			t.Fatalf("%s: API: %v\n%s", s.account, err, res.Body)
		}
		for i, c := range deadline.PackClocks(cal, settings, p, now) {
			where := s.account + " " + string(c.Kind)
			words, late := cal.Relative(c, now), cal.Late(c, now)
			owner, ownerName, ownerEmail := "", "", ""
			switch c.Owner {
			case handoff.RoleSE:
				owner, ownerName, ownerEmail = "Sam Rivera (SE)", "Sam Rivera", "sam@example.com"
			case handoff.RoleSA:
				owner, ownerName, ownerEmail = "Alex Chen (SA)", "Alex Chen", "alex@example.com"
			}
			// The pack page.
			card := page.Text("[data-testid=clock-" + string(c.Kind) + "]")
			if !c.Due.IsZero() && !strings.Contains(card, c.Due.String()) || !strings.Contains(card, words) || !strings.Contains(card, c.State.Label()) {
				t.Errorf("%s: pack page %q, model says %s, %q, %s", where, card, c.Due, words, c.State.Label())
			}
			if got := page.Text("[data-testid=owner-" + string(c.Kind) + "]"); (owner == "") != (got == "") || !strings.Contains(got, owner) {
				t.Errorf("%s: pack page waits on %q, model on %q", where, got, owner)
			}
			// The API.
			a := api.Clocks[i]
			if a.Kind != string(c.Kind) || a.State != string(c.State) || a.Late != late || a.Relative != words ||
				a.Unit != strings.ReplaceAll(c.Rule.Unit(), " ", "_") || (a.Due == nil) != c.Due.IsZero() || (a.OwedBy == nil) != (c.Owner == "") {
				t.Errorf("%s: API %+v, model %s %s late %d %s owed by %q", where, a, c.Due, c.State, late, c.Rule.Unit(), c.Owner)
			}
			if c.State != deadline.StateOverdue {
				continue
			}
			overdueByKind[c.Kind]++
			// The Overdue list, in the clock's lane.
			list := manager.Get(fmt.Sprintf("/overdue?clock=%s&owner=%s", c.Kind, c.Owner))
			row := list.Text("[data-testid=row-" + strconv.FormatInt(id, 10) + "]")
			if !strings.Contains(row, c.Due.String()) || !strings.Contains(row, words) || !strings.Contains(row, owner) {
				t.Errorf("%s: Overdue row %q, model %s, %q, %s", where, row, c.Due, words, owner)
			}
			// Its CSV.
			r, ok := csvRows[strconv.FormatInt(id, 10)+"/"+string(c.Kind)]
			if !ok || r["due"] != c.Due.String() || r["late"] != strconv.Itoa(late) || r["late_unit"] != c.Rule.Unit() ||
				r["state"] != string(c.State) || r["waiting_on"] != owner {
				t.Errorf("%s: CSV %v, model %s late %d %s, %q", where, r, c.Due, late, c.Rule.Unit(), owner)
			}
			// The reminder mail to whoever owes it (the SE of a draft is
			// reminded once, by the pack clock).
			if s.status == handoff.StatusDraft && c.Kind == deadline.KindKickoff {
				continue
			}
			m, ok := mailAbout(mails, s.account, c.Kind)
			if !ok || !strings.Contains(m.Text, c.Due.String()) || !strings.Contains(m.Text, words) ||
				!strings.Contains(m.Text, "Hello "+ownerName) || strings.Join(m.To, ",") != ownerEmail {
				t.Errorf("%s: reminder %q\n%s\nmodel %s, %q, owner %s", where, m.Subject, m.Text, c.Due, words, owner)
			}
		}
	}
	// The stats' "overdue now" counts, clock by clock.
	stats := manager.Get("/stats")
	for _, k := range deadline.Kinds() {
		got := stats.Text("[data-testid=now-" + string(k) + "]")
		if !strings.HasPrefix(got, strconv.Itoa(overdueByKind[k])+" ") {
			t.Errorf("stats say %q overdue for %s, the model %d", got, k, overdueByKind[k])
		}
	}
	if overdueByKind[deadline.KindLock] != 1 || overdueByKind[deadline.KindFirstValue] == 0 || overdueByKind[deadline.KindPodReview] != 1 {
		t.Fatalf("the seeds lost their overdue architecture lock, first value or pod review: %v", overdueByKind)
	}
}

func bearer(t *testing.T, url, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

// readCSV keys the Overdue CSV's rows by "pack_id/clock".
func readCSV(t *testing.T, body string) map[string]map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV: %v\n%s", err, body)
	}
	out := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out[row["pack_id"]+"/"+row["clock"]] = row
	}
	return out
}

// mailWhenIdle waits until no job is left to run and returns the mail they
// sent.
func mailWhenIdle(t *testing.T, e *servertest.Env, smtp *mailtest.Server) []mailtest.Message {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var pending int
		if err := e.DB.Pool.QueryRow(context.Background(), `
			SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			return smtp.Take()
		}
		if time.Now().After(end) {
			t.Fatalf("%d jobs still pending", pending)
		}
	}
}

// mailAbout finds the reminder about account's clock k.
func mailAbout(ms []mailtest.Message, account string, k deadline.Kind) (mailtest.Message, bool) {
	noun := map[deadline.Kind]string{deadline.KindPack: "handoff pack", deadline.KindKickoff: "kickoff", deadline.KindLock: "architecture lock",
		deadline.KindFirstValue: "first value", deadline.KindPodReview: "pod review"}[k]
	for _, m := range ms {
		if strings.Contains(m.Subject, account) && strings.Contains(strings.ToLower(m.Subject), noun) {
			return m, true
		}
	}
	return mailtest.Message{}, false
}
