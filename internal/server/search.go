package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// searchPageSize is how many rows a page of the Packs list shows.
const searchPageSize = 25

// Search words: at least minSearchRunes characters each (shorter ones match
// too much to be worth reading, and the trigram index cannot narrow them), at
// most maxSearchWords of them.
const (
	minSearchRunes = 3
	maxSearchWords = 6
)

// searchStates are the clock states the Packs list filters by, as the
// manager's lists judge them.
var searchStates = []deadline.State{deadline.StateOverdue, deadline.StateAtRisk, deadline.StateOnTrack}

// packsQuery is the Packs list as its URL states it, so a search can be
// bookmarked and shared.
type packsQuery struct {
	Q      string
	Status handoff.Status
	Clock  deadline.Kind
	State  deadline.State
	After  *postgres.SearchCursor
}

func parsePacksQuery(q url.Values) packsQuery {
	pq := packsQuery{Q: strings.TrimSpace(q.Get("q"))}
	if len(pq.Q) > handoff.MaxShort {
		pq.Q = pq.Q[:handoff.MaxShort]
		for !utf8.ValidString(pq.Q) {
			pq.Q = pq.Q[:len(pq.Q)-1]
		}
	}
	if st := handoff.Status(q.Get("status")); slices.Contains(handoff.Statuses, st) {
		pq.Status = st
	}
	if kind, state, ok := strings.Cut(q.Get("clock"), "."); ok &&
		slices.Contains(deadline.Kinds(), deadline.Kind(kind)) && slices.Contains(searchStates, deadline.State(state)) {
		pq.Clock, pq.State = deadline.Kind(kind), deadline.State(state)
	}
	if date, id, ok := strings.Cut(q.Get("after"), "."); ok {
		d, err := time.Parse(time.DateOnly, date)
		n, nerr := strconv.ParseInt(id, 10, 64)
		if err == nil && nerr == nil && n > 0 {
			pq.After = &postgres.SearchCursor{ClosedWon: d, DealID: n}
		}
	}
	return pq
}

// words are the search words worth searching for, and whether some typed
// word was too short to count.
func (pq packsQuery) words() (words []string, short bool) {
	for _, w := range strings.Fields(pq.Q) {
		if utf8.RuneCountInString(w) < minSearchRunes {
			short = true
			continue
		}
		if len(words) < maxSearchWords && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	return words, short
}

// clockValue is the clock filter as its URL parameter: "kickoff.overdue".
func (pq packsQuery) clockValue() string {
	if pq.Clock == "" {
		return ""
	}
	return string(pq.Clock) + "." + string(pq.State)
}

// values writes the query back as URL parameters (without the cursor).
func (pq packsQuery) values() url.Values {
	v := url.Values{}
	if pq.Q != "" {
		v.Set("q", pq.Q)
	}
	if pq.Status != "" {
		v.Set("status", string(pq.Status))
	}
	if c := pq.clockValue(); c != "" {
		v.Set("clock", c)
	}
	return v
}

// clockOptions are the clock filters: each clock in each state.
func clockOptions() []handoff.Option {
	var out []handoff.Option
	for _, k := range deadline.Kinds() {
		for _, st := range searchStates {
			out = append(out, handoff.Option{Value: string(k) + "." + string(st), Label: k.Label() + ": " + strings.ToLower(st.Label())})
		}
	}
	return out
}

func statusOptions() []handoff.Option {
	out := make([]handoff.Option, len(handoff.Statuses))
	for i, st := range handoff.Statuses {
		out[i] = handoff.Option{Value: string(st), Label: st.Label()}
	}
	return out
}

// packsLead says whose packs the list holds.
func packsLead(role handoff.Role) string {
	switch role {
	case handoff.RoleSE:
		return "Every pack of yours, finished ones included. Search by account, opportunity, person or CRM id."
	case handoff.RoleSA:
		return "Every pack assigned to you, finished ones included. Search by account, opportunity, person or CRM id."
	}
	return "Every pack in the organisation. Search by account, opportunity, person (SE, SA, AE, CSM) or CRM id."
}

// packsList is the Packs list of every role (README.md): the packs the person
// may see, and only those, searched and filtered in PostgreSQL.
func (s *Server) packsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	today := cal.Today(now)
	pq := parsePacksQuery(r.URL.Query())
	words, short := pq.words()
	page := web.SearchPage{
		Page: s.page(r, "Packs"), Lead: packsLead(actor.Role), Q: pq.Q, Status: string(pq.Status), Clock: pq.clockValue(),
		Statuses: statusOptions(), Clocks: clockOptions(), FirstPage: pq.After == nil,
		Filtered: pq.Q != "" || pq.Status != "" || pq.Clock != "",
	}
	base := pq.values()
	page.FirstURL = "/search?" + base.Encode()
	if short && len(words) == 0 {
		page.Notice = "Type at least " + strconv.Itoa(minSearchRunes) + " letters of an account, opportunity, person or CRM id."
		s.render(w, r, http.StatusOK, web.Search(page))
		return nil
	}
	if short {
		page.Notice = "Words shorter than " + strconv.Itoa(minSearchRunes) + " letters were left out of the search."
	}
	f := postgres.SearchFilter{
		Scope: handoff.ScopeOf(actor), Words: words, Status: pq.Status, Clock: pq.Clock, State: string(pq.State),
		Today: today.Time(), RiskUntil: cal.RiskUntil(today).Time(), After: pq.After, Limit: searchPageSize + 1,
	}
	people, err := remember(ctx, s, "people.names", s.db.PeopleNames)
	if err != nil {
		return err
	}
	f.People = people.Named(words)
	res, err := s.db.SearchPage(ctx, f)
	if err != nil {
		return err
	}
	packs := res.Packs
	page.Count, page.Capped = res.Count, res.Capped
	if len(packs) > searchPageSize {
		packs = packs[:searchPageSize]
		last := packs[len(packs)-1].Deal
		next := pq.values()
		next.Set("after", last.ClosedWonOn.Format(time.DateOnly)+"."+strconv.FormatInt(last.ID, 10))
		page.NextURL = "/search?" + next.Encode()
	}
	for _, p := range packs {
		row := web.SearchRow{Head: packHead(p), CRMURL: handoff.CRMLink(settings.CRMURLTemplate, p.Deal.CRMOpportunityID)}
		if c, ok := soonestRunning(deadline.PackClocks(cal, settings, p, now)); ok {
			v := clockCell(cal, c, p, now)
			row.Next = &v
		}
		page.Rows = append(page.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.Search(page))
	return nil
}

// soonestRunning is the running clock due first, if any runs.
func soonestRunning(cs deadline.Clocks) (deadline.Clock, bool) {
	var best deadline.Clock
	found := false
	for _, c := range cs {
		if c.Open() && (!found || c.Due.Before(best.Due)) {
			best, found = c, true
		}
	}
	return best, found
}
