package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// The homes of the SE (My packs) and the SA (Inbox) are action-first
// (README.md): "Needs you" — the packs whose running clock the clock model says this
// person owes, soonest due first —, then "Waiting on others", then "Done",
// folded. Each section is its own keyset-paged list, its cursor in the URL
// under the section's key, so a page costs the same at any history.

// homePageSize is how many rows a page of a home section shows. Done, folded
// and seldom opened (its packs are all on the Packs list too), shows fewer,
// so the page spends its reads and its rendering on what needs the person.
func homePageSize(sec deadline.Section) int {
	if sec == deadline.SectionDone {
		return 10
	}
	return 25
}

// myPacks is the SE's home.
func (s *Server) myPacks(w http.ResponseWriter, r *http.Request) error {
	sections, total, err := s.homeSections(r, "/packs")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.MyPacks(web.MyPacksPage{Page: s.page(r, "My packs"), Sections: sections, Total: total}))
	return nil
}

// inbox is the SA's home.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	sections, total, err := s.homeSections(r, "/inbox")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Inbox(web.InboxPage{Page: s.page(r, "Inbox"), Sections: sections, Total: total}))
	return nil
}

// homeWords are each section's title, hint and empty line, by role.
func homeWords(sec deadline.Section, role handoff.Role) (title, hint, empty string) {
	switch sec {
	case deadline.SectionNeedsYou:
		hint = "Packs to finish, or to fix where the SA returned a document, soonest deadline first."
		if role == handoff.RoleSA {
			hint = "Review, decide big commitments, acknowledge at kickoff, lock the architecture, record first value, or hold a strategic account's pod review, soonest deadline first."
		}
		return "Needs you", hint, "Nothing needs you right now."
	case deadline.SectionWaiting:
		hint = "With the SA: in review until the kickoff, then until the architecture is locked and the customer reaches first value (and, on strategic accounts, the quarterly pod reviews)."
		if role == handoff.RoleSA {
			hint = "With the SE: still being prepared, or returned for changes."
		}
		return "Waiting on others", hint, "Nothing is waiting on others."
	}
	return "Done", "Architecture locked and first value reached, newest first.", "No finished packs yet."
}

// homeSections reads one page of each section of the current person's home
// at path, each after its own cursor in the query, in one round trip.
func (s *Server) homeSections(r *http.Request, path string) ([]web.HomeSection, int, error) {
	ctx := r.Context()
	actor := currentUser(r)
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return nil, 0, err
	}
	q := r.URL.Query()
	sections := deadline.Sections()
	filters := make([]postgres.HomeFilter, len(sections))
	for i, sec := range sections {
		filters[i] = postgres.HomeFilter{Person: actor, Section: sec, After: parseHomeCursor(q.Get(string(sec))),
			Limit: homePageSize(sec) + 1, Thresholds: settings.ApprovalThresholds}
	}
	pages, counts, err := s.db.HomePage(ctx, filters)
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	total := 0
	var out []web.HomeSection
	for i, sec := range sections {
		key, after, rows := string(sec), filters[i].After, pages[i]
		hs := web.HomeSection{Key: key, Count: min(counts[sec], postgres.CountCap), Capped: counts[sec] > postgres.CountCap,
			Collapsed: sec == deadline.SectionDone, Open: after != nil}
		hs.Title, hs.Hint, hs.Empty = homeWords(sec, actor.Role)
		total += counts[sec]
		if size := homePageSize(sec); len(rows) > size {
			rows = rows[:size]
			hs.NextURL = path + "?" + url.Values{key: {homeCursorOf(rows[len(rows)-1])}}.Encode() + "#" + key
		}
		if after != nil {
			hs.FirstURL = path + "#" + key
		}
		// Packs filters by status: Done links to its status there, which
		// holds exactly Done's packs when the status alone decides, and
		// otherwise more (locked packs still waiting for first value).
		if ts := deadline.SectionTerms(sec, actor.Role); sec == deadline.SectionDone && len(ts) == 1 {
			hs.AllURL = "/search?" + url.Values{"status": {string(ts[0].Status)}}.Encode()
			hs.AllText = "All of them in Packs"
			if !ts[0].Plain() {
				hs.AllText = "All " + strings.ToLower(ts[0].Status.Label()) + " packs in Packs"
			}
		}
		hs.Rows = make([]web.MyPacksRow, len(rows))
		for j, hr := range rows {
			hs.Rows[j] = homeRow(hr, actor.Role, cal, settings, now)
		}
		out = append(out, hs)
	}
	return out, total, nil
}

// homeRow is one pack as a home shows it.
func homeRow(hr postgres.HomeRow, role handoff.Role, cal *deadline.Calendar, settings handoff.Settings, now time.Time) web.MyPacksRow {
	p := hr.Pack
	cs := deadline.PackClocks(cal, settings, p, now)
	row := web.MyPacksRow{Head: packHead(p), Clocks: make([]web.ClockView, len(cs))}
	for i, c := range cs {
		row.Clocks[i] = clockCell(cal, c, p, now)
	}
	// After the lock the SA's step is the clock that runs soonest: first
	// value, or the pod review of a strategic account. Both homes say the
	// same one, each in its reader's words.
	after, running := soonestRunning(cs)
	if p.Status != handoff.StatusLocked {
		running = false
	}
	if role == handoff.RoleSA {
		row.Step = saStepWords(hr.Step)
		if running {
			row.Step = afterLockStep(after.Kind)
		}
		return row
	}
	row.Missing, row.Next, row.Returned = hr.Missing, nextStep(p), hr.Returned
	if running {
		row.Next = afterLockNext(after.Kind)
	}
	return row
}

// afterLockStep names the SA's step on a locked pack whose clock k runs.
func afterLockStep(k deadline.Kind) string {
	if k == deadline.KindPodReview {
		return "Hold the pod review"
	}
	return "Record first value"
}

// afterLockNext says, for the SE, what the SA does next on a locked pack
// whose clock k runs.
func afterLockNext(k deadline.Kind) string {
	if k == deadline.KindPodReview {
		return "Live; the SA holds the quarterly pod reviews."
	}
	return "Architecture locked; the SA records first value."
}

// saStepWords names the SA's next step on a pack.
func saStepWords(step handoff.SAStep) string {
	switch step {
	case handoff.SAStepReview:
		return "Review"
	case handoff.SAStepDecideCommitments:
		return "Decide commitments"
	case handoff.SAStepAcknowledge:
		return "Acknowledge at kickoff"
	case handoff.SAStepLock:
		return "Lock the architecture"
	case handoff.SAStepWaitingForSE:
		return "Waiting for the SE"
	}
	return "Done"
}

// homeCursorOf is the cursor after row: "2026-11-20.123" in a section sorted
// by due day, "123" in Done.
func homeCursorOf(row postgres.HomeRow) string {
	id := strconv.FormatInt(row.Pack.ID, 10)
	if row.NextDue.IsZero() {
		return id
	}
	return row.NextDue.Format(time.DateOnly) + "." + id
}

// parseHomeCursor reads a cursor; a bad one starts from the first page.
func parseHomeCursor(s string) *postgres.HomeCursor {
	if s == "" {
		return nil
	}
	due, idText, dated := strings.Cut(s, ".")
	if !dated {
		idText = due
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	c := &postgres.HomeCursor{PackID: id}
	if dated {
		if c.Due, err = time.Parse(time.DateOnly, due); err != nil {
			return nil
		}
	}
	return c
}
