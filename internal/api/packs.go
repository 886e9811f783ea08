package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Money is an amount in minor units with its ISO currency.
type Money struct {
	Amount   int64  `json:"amount"` // minor units
	Currency string `json:"currency"`
}

// Person is a user named on a deal: its SE or SA.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Contact is someone named on a deal who does not log in: its AE or CSM.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Deal is a deal's fields as the API shows them: inline in a pack of the
// API's answers, nested under the pack in webhooks (EventPack).
type Deal struct {
	CRMOpportunityID string  `json:"crm_opportunity_id"`
	AccountName      string  `json:"account_name"`
	OpportunityName  string  `json:"opportunity_name"`
	Segment          string  `json:"segment"`
	ARR              Money   `json:"arr"`
	ClosedWonDate    string  `json:"closed_won_date"`
	SE               Person  `json:"se"`
	SA               *Person `json:"sa"`
	AE               Contact `json:"ae"`
	CSM              Contact `json:"csm"`
}

// dealOf is p's deal as the API shows it.
func dealOf(p *handoff.Pack) Deal {
	d := p.Deal
	v := Deal{
		CRMOpportunityID: d.CRMOpportunityID, AccountName: d.AccountName, OpportunityName: d.OpportunityName,
		Segment: string(d.Segment), ARR: Money{d.ARR.Minor, d.ARR.Currency}, ClosedWonDate: d.ClosedWonOn.Format(time.DateOnly),
		SE: Person{d.SEID, d.SEName}, AE: Contact(d.AE), CSM: Contact(d.CSM),
	}
	if d.SAID != 0 {
		v.SA = &Person{d.SAID, d.SAName}
	}
	return v
}

// packURL is the address of pack id's page, or "" without a base URL.
func packURL(base *url.URL, id int64) string {
	if base == nil {
		return ""
	}
	return base.JoinPath("packs", strconv.FormatInt(id, 10)).String()
}

// packView is a deal and its pack: the answer of POST /deals and each item
// of GET /packs.
type packView struct {
	PackID int64   `json:"pack_id"`
	DealID int64   `json:"deal_id"`
	Status string  `json:"status"`
	Deal           // inline: the pack's answers have always listed the deal's fields at the top level
	Clocks []Clock `json:"clocks"`
	URL    string  `json:"url,omitempty"`
	// Strategic: the account gets quarterly pod reviews (the strategic
	// segment, or marked by a manager).
	Strategic  bool            `json:"strategic"`
	FirstValue *firstValueView `json:"first_value"` // null until the SA records it
}

// firstValueView is the SA's record of first value.
type firstValueView struct {
	Date string `json:"date"`
	What string `json:"what"`
}

func (a *api) packView(cal *deadline.Calendar, st handoff.Settings, p *handoff.Pack) packView {
	v := packView{PackID: p.ID, DealID: p.Deal.ID, Status: string(p.Status), Deal: dealOf(p),
		Clocks: ClocksOf(cal, st, p, a.Now()), URL: packURL(a.BaseURL, p.ID), Strategic: p.Deal.Strategic()}
	if fv := p.FirstValue; fv != nil {
		v.FirstValue = &firstValueView{Date: fv.On.Format(time.DateOnly), What: fv.What}
	}
	return v
}

// listItem is one late or at-risk clock of one pack.
type listItem struct {
	Clock string   `json:"clock"`
	Due   string   `json:"due"`
	State string   `json:"state"`
	Pack  packView `json:"pack"`
}

// maxLimit bounds a page of GET /packs.
const maxLimit = 200

// listPacks is the manager's overdue and at-risk lists, by due date, with
// keyset pagination: next_cursor is null on the last page.
func (a *api) listPacks(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	fe := handoff.FieldErrors{}
	for key := range q {
		switch key {
		case "clock", "state", "se", "sa", "segment", "owed_by", "cursor", "limit":
		default:
			fe.Add(key, "Unknown parameter.")
		}
	}
	cal, st, err := a.Calendar(ctx)
	if err != nil {
		return err
	}
	today := cal.Today(a.Now())
	f := postgres.OverdueFilter{Clock: q.Get("clock"), State: q.Get("state"), Segment: handoff.Segment(q.Get("segment")),
		Today: today.Time(), RiskUntil: cal.RiskUntil(today).Time(), Limit: 50}
	if _, ok := deadline.ParseKind(f.Clock); f.Clock != "" && !ok {
		fe.Add("clock", "Use pack, kickoff, lock, first_value or pod_review.")
	}
	switch f.State {
	case "":
		f.State = "overdue"
	case "overdue", "at_risk":
	default:
		fe.Add("state", "Use overdue or at_risk.")
	}
	switch r := handoff.Role(q.Get("owed_by")); r {
	case "":
	case handoff.RoleSE, handoff.RoleSA:
		f.Owner = r
	default:
		fe.Add("owed_by", "Use se or sa.")
	}
	if f.Segment != "" && !isSegment(f.Segment) {
		fe.Add("segment", "Use commercial, mid-market, enterprise or strategic.")
	}
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxLimit {
			fe.Add("limit", "Use a number from 1 to 200.")
		}
		f.Limit = n
	}
	if raw := q.Get("cursor"); raw != "" {
		if f.After = parseCursor(raw); f.After == nil {
			fe.Add("cursor", "Use the next_cursor of the previous page, unchanged.")
		}
	}
	if f.SEID, err = a.personFilter(r, q.Get("se"), handoff.RoleSE); err != nil {
		if handoff.ErrorCode(err) != handoff.EINVALID {
			return err
		}
		fe.Add("se", handoff.ErrorMessage(err))
	}
	if f.SAID, err = a.personFilter(r, q.Get("sa"), handoff.RoleSA); err != nil {
		if handoff.ErrorCode(err) != handoff.EINVALID {
			return err
		}
		fe.Add("sa", handoff.ErrorMessage(err))
	}
	if len(fe) > 0 {
		return &problemError{invalid(fe)}
	}

	rows, err := a.DB.Overdue(ctx, f)
	if err != nil {
		return err
	}
	out := struct {
		Items      []listItem `json:"items"`
		NextCursor *string    `json:"next_cursor"`
	}{Items: make([]listItem, len(rows))}
	for i, row := range rows {
		v := a.packView(cal, st, row.Pack)
		item := listItem{Clock: row.Clock, Due: row.Due.Format(time.DateOnly), State: f.State, Pack: v}
		for _, c := range v.Clocks {
			if c.Kind == row.Clock {
				item.State = c.State // the clock's own word, as of now
			}
		}
		out.Items[i] = item
	}
	if len(rows) == f.Limit {
		last := rows[len(rows)-1]
		c := last.Due.Format(time.DateOnly) + "." + last.Clock + "." + strconv.FormatInt(last.Pack.ID, 10)
		out.NextCursor = &c
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// parseCursor reads "2026-11-20.kickoff.123", or returns nil.
func parseCursor(s string) *postgres.Cursor {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil
	}
	due, err := time.Parse(time.DateOnly, parts[0])
	if err != nil {
		return nil
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id < 1 {
		return nil
	}
	if _, ok := deadline.ParseKind(parts[1]); !ok {
		return nil
	}
	return &postgres.Cursor{Due: due, Clock: parts[1], PackID: id}
}

func isSegment(s handoff.Segment) bool {
	for _, x := range handoff.Segments {
		if x == s {
			return true
		}
	}
	return false
}

// personFilter resolves the se/sa filter, an email address or a user id, to
// a user id (0 when absent).
func (a *api) personFilter(r *http.Request, raw string, role handoff.Role) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, nil
	}
	var (
		u   *handoff.User
		err error
	)
	if id, perr := strconv.ParseInt(raw, 10, 64); perr == nil {
		u, err = a.DB.User(r.Context(), id)
	} else {
		u, _, err = a.DB.UserByEmail(r.Context(), raw)
	}
	if handoff.ErrorCode(err) == handoff.ENOTFOUND || (err == nil && u.Role != role) {
		return 0, handoff.Errorf(handoff.EINVALID, "No %s has this email address or id.", role.Label())
	}
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}

// packDetail is GET /packs/{id}: the pack with its documents and versions
// and its closure matrix.
type packDetail struct {
	packView
	Version          int               `json:"version"`
	SubmittedVersion int               `json:"submitted_version"`
	Documents        handoff.Documents `json:"documents"`
	Versions         []versionView     `json:"versions"`
	ClosureMatrix    matrixView        `json:"closure_matrix"`
}

type versionView struct {
	Number      int       `json:"number"`
	SubmittedAt time.Time `json:"submitted_at"`
	SubmittedBy string    `json:"submitted_by"`
}

func (a *api) getPack(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	d, err := a.DB.PackDetail(ctx, integration, id)
	if err != nil {
		return err
	}
	cal, st, err := a.Calendar(ctx)
	if err != nil {
		return err
	}
	p := d.Pack
	out := packDetail{packView: a.packView(cal, st, p), Version: p.Version, SubmittedVersion: p.SubmittedVersion,
		Documents: d.Documents, Versions: make([]versionView, len(d.Versions))}
	for i, v := range d.Versions {
		out.Versions[i] = versionView{v.Number, v.SubmittedAt, v.SubmittedBy}
	}
	// The matrix only: no accuracy assessments. Handoff accuracy is
	// comp-sensitive and the product lets only the SE (their own) and
	// managers read it; an API token reads every pack as the org, so the
	// CRM does not get it.
	out.ClosureMatrix = matrixViewOf(d)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// matrixView is the pack's closure matrix: how each commitment and open risk
// of the accepted version is delivered, mitigated or ruled out of scope.
type matrixView struct {
	// State is handoff.MatrixState: draft while the SA closes rows, frozen
	// at the lock, not_kept for a pack locked before Handoff kept a matrix.
	State handoff.MatrixState `json:"state"`
	// Frozen is State == frozen: the rows no longer change and were closed.
	Frozen bool            `json:"frozen"`
	Rows   []matrixRowView `json:"rows"`
}

type matrixRowView struct {
	Key        string `json:"key"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	Detail     string `json:"detail"`
	Vetoed     bool   `json:"vetoed"`
	VetoReason string `json:"veto_reason"`
	// ClosedBy is the part named (or out_of_scope), null while none is:
	// a part without its note is named but does not close the row yet.
	ClosedBy      *string `json:"closed_by"`
	ClosedByLabel string  `json:"closed_by_label"`
	Note          string  `json:"note"`
	Open          bool    `json:"open"`
}

// matrixViewOf is d's closure matrix as the pack page shows it: frozen at
// the lock, else as the SA has closed it so far (all open when not kept).
func matrixViewOf(d *postgres.PackDetail) matrixView {
	m := d.Matrix()
	state := d.Architecture.MatrixState(d.Pack.Status)
	out := matrixView{State: state, Frozen: state == handoff.MatrixFrozen, Rows: make([]matrixRowView, len(m))}
	for i, r := range m {
		row := matrixRowView{Key: r.Key, Kind: r.Kind, Title: r.Title, Detail: r.Detail,
			Vetoed: r.Vetoed, VetoReason: r.Veto, Note: r.Closure.Note, Open: r.Open()}
		if part := r.Closure.Part; part != "" {
			row.ClosedBy = &part
			row.ClosedByLabel = handoff.OptionLabel(handoff.ClosureChoices(), part)
		}
		out.Rows[i] = row
	}
	return out
}
