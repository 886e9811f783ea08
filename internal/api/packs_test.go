package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

type listJSON struct {
	Items []struct {
		Clock string
		Due   string
		State string
		Pack  packJSON
	}
	NextCursor *string `json:"next_cursor"`
}

func TestListPacks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	// Five enterprise packs of Sam won on 1 October, long overdue, and one
	// commercial pack of Kim won a few days later.
	var sams []int64
	for _, acct := range []string{"A", "B", "C", "D", "E"} {
		sams = append(sams, e.CreatePack(acct, e.se, e.sa, "2026-10-01"))
	}
	kim := e.CreateUser("Kim SE", "kim@acme.example", handoff.RoleSE)
	body := strings.NewReplacer(`"se@acme.example"`, `"kim@acme.example"`, `"enterprise"`, `"commercial"`, `"2026-11-25"`, `"2026-10-05"`).Replace(closedWon)
	res := e.do(t, http.MethodPost, "/deals", e.token, body)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var kims packJSON
	res.decode(t, &kims)

	list := func(t *testing.T, query string) listJSON {
		t.Helper()
		res := e.do(t, http.MethodGet, "/packs?"+query, e.token, "")
		if res.status != http.StatusOK {
			t.Fatalf("GET /packs?%s: %d %s", query, res.status, res.body)
		}
		var l listJSON
		res.decode(t, &l)
		return l
	}
	packsOf := func(l listJSON) []int64 {
		var ids []int64
		for _, it := range l.Items {
			ids = append(ids, it.Pack.PackID)
		}
		return ids
	}

	t.Run("AllOverdueClocks", func(t *testing.T) {
		l := list(t, "")
		if len(l.Items) != 12 || l.NextCursor != nil { // pack and kickoff clocks of six packs
			t.Fatalf("items = %d, next = %v; want 12, null", len(l.Items), l.NextCursor)
		}
		for i, it := range l.Items {
			if it.State != "overdue" || (i > 0 && it.Due < l.Items[i-1].Due) {
				t.Errorf("item %d = %+v, want overdue in due order", i, it)
			}
		}
	})
	t.Run("FilterBySEEmailAndId", func(t *testing.T) {
		for _, q := range []string{"se=kim@acme.example", "se=" + itoa(kim.ID), "segment=commercial", "clock=pack&segment=commercial&sa=sa@acme.example"} {
			ids := packsOf(list(t, q))
			want := []int64{kims.PackID, kims.PackID}
			if strings.Contains(q, "clock=pack") {
				want = want[:1]
			}
			if !slices.Equal(ids, want) {
				t.Errorf("%s: packs %v, want %v", q, ids, want)
			}
		}
	})
	t.Run("AtRiskIsEmpty", func(t *testing.T) {
		if l := list(t, "state=at_risk"); len(l.Items) != 0 {
			t.Errorf("at risk: %d items, want 0", len(l.Items))
		}
	})
	t.Run("CursorPaging", func(t *testing.T) {
		var ids []int64
		q := "clock=pack&se=se@acme.example&limit=2"
		for page := 0; ; page++ {
			if page > 5 {
				t.Fatal("paging does not end")
			}
			l := list(t, q)
			ids = append(ids, packsOf(l)...)
			if l.NextCursor == nil {
				break
			}
			q = "clock=pack&se=se@acme.example&limit=2&cursor=" + url.QueryEscape(*l.NextCursor)
		}
		if !slices.Equal(ids, sams) {
			t.Errorf("paged packs = %v, want %v", ids, sams)
		}
	})
	t.Run("BadFiltersAre422", func(t *testing.T) {
		res := e.do(t, http.MethodGet, "/packs?clock=x&state=late&segment=huge&limit=500&cursor=zz&se=nobody@acme.example&sa=se@acme.example&sort=arr", e.token, "")
		var p problemJSON
		res.decode(t, &p)
		want := []string{"clock", "cursor", "limit", "sa", "se", "segment", "sort", "state"}
		if res.status != 422 || !slices.Equal(p.fields(), want) {
			t.Errorf("status %d, fields %v; want 422 %v", res.status, p.fields(), want)
		}
	})
}

func TestGetPack(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	id := e.CreatePack("Acme", e.se, nil, "2026-11-20")
	res := e.do(t, http.MethodGet, "/packs/"+itoa(id), e.token, "")
	if res.status != http.StatusOK {
		t.Fatalf("status %d %s", res.status, res.body)
	}
	var p struct {
		packJSON
		Version   int
		Documents map[string]any
		Versions  []any
	}
	res.decode(t, &p)
	if p.PackID != id || p.Status != "draft" || p.SA != nil || p.Version != 1 || len(p.Clocks) != 5 || p.Clocks[0].Due == nil || p.Versions == nil {
		t.Errorf("pack = %+v", p)
	}
	for _, k := range []string{"meddpicc", "poc", "commitments", "stakeholders", "risks"} {
		if _, ok := p.Documents[k]; !ok {
			t.Errorf("documents lack %s: %s", k, res.body)
		}
	}
	for _, path := range []string{"/packs/999999", "/packs/abc"} {
		if res := e.do(t, http.MethodGet, path, e.token, ""); res.status != http.StatusNotFound || res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: status %d, want 404 problem+json", path, res.status)
		}
	}
}

// TestOpenAPIDescribesEveryRoute fails when a route of the API router is
// missing from openapi.json, or the document names a route that is gone.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	res := e.do(t, http.MethodGet, "/openapi.json", "", "")
	if res.status != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d", res.status)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Servers []struct{ URL string }               `json:"servers"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	res.decode(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Fatalf("openapi %q, servers %v", doc.OpenAPI, doc.Servers)
	}
	seen := map[string]bool{}
	err := chi.Walk(e.h, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		key := strings.ToLower(method) + " " + route
		seen[key] = true
		if _, ok := doc.Paths[route][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json does not describe %s %s", method, route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if !seen[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which the router does not serve", method, path)
			}
			if _, ok := op["responses"]; !ok {
				t.Errorf("%s %s has no responses", method, path)
			}
		}
	}
	if _, ok := doc.Paths["/deals"]; !ok {
		t.Error("no /deals in the document")
	}
}

// handedOff is a complete pack of documents: commitments and risks are
// the caller's.
func handedOff(commitments handoff.Commitments, risks handoff.Risks) handoff.Documents {
	champ, eb := handoff.NewRowID(), handoff.NewRowID()
	rows := map[string]handoff.MEDDPICCRow{}
	for _, el := range handoff.MEDDPICCElements {
		rows[el.Value] = handoff.MEDDPICCRow{Status: "confirmed", Notes: el.Label + " notes"}
	}
	rows["champion"] = handoff.MEDDPICCRow{Status: "confirmed", PersonID: champ}
	rows["economic_buyer"] = handoff.MEDDPICCRow{Status: "confirmed", PersonID: eb}
	return handoff.Documents{
		MEDDPICC: handoff.MEDDPICC{Rows: rows},
		POC: handoff.POC{Summary: "Prove the SAP sync.", StartOn: "2026-10-05", EndOn: "2026-11-05",
			Criteria: []handoff.Criterion{{ID: handoff.NewRowID(), Promised: "Sync 1M rows nightly", Outcome: "met"}}},
		Commitments: commitments,
		Stakeholders: handoff.Stakeholders{People: []handoff.Stakeholder{
			{ID: champ, Name: "Chris Champion", Role: "champion"}, {ID: eb, Name: "Erin Buyer", Role: "economic_buyer"},
			{ID: handoff.NewRowID(), Name: "Tara Tech", Role: "technical_buyer"}, {ID: handoff.NewRowID(), Name: "Bo Business", Role: "business_buyer"},
		}},
		Risks: risks,
	}
}

// acknowledged takes a new pack of Sam's through submission of docs, the
// SA's acceptance of every document, a decision on each big commitment
// (vetoed when veto names a reason for it, else approved) and the kickoff, through
// the storage calls the pages make.
func (e *env) acknowledged(t *testing.T, docs handoff.Documents, veto map[string]string) int64 {
	t.Helper()
	ctx, now := context.Background(), servertest.Today()
	id := e.CreatePack("Acme", e.se, e.sa, "2026-11-20")
	p, err := e.DB.Pack(ctx, e.se, id)
	if err != nil {
		t.Fatal(err)
	}
	v := p.Version
	for _, k := range handoff.DocKinds {
		if v, err = e.DB.SaveDocument(ctx, e.se, id, v, k, docs, now); err != nil {
			t.Fatalf("save %s: %v", k, err)
		}
	}
	if _, err := e.DB.SubmitPack(ctx, e.se, id, v, nil, now); err != nil {
		t.Fatalf("submit: %v", err)
	}
	for _, k := range handoff.DocKinds {
		if err := e.DB.ReviewDocument(ctx, e.sa, id, 1, k, handoff.DecisionAccepted, "", nil, now); err != nil {
			t.Fatalf("accept %s: %v", k, err)
		}
	}
	st, err := e.DB.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range docs.Commitments.Items {
		if !handoff.NeedsDecision(c, st.ApprovalThresholds) {
			continue
		}
		reason, vetoed := veto[c.ID]
		if err := e.DB.DecideCommitment(ctx, e.sa, id, 1, c.ID, !vetoed, reason, now); err != nil {
			t.Fatalf("decide %s: %v", c.Description, err)
		}
	}
	kickoff := time.Date(2026, time.November, 24, 0, 0, 0, 0, time.UTC)
	if err := e.DB.Acknowledge(ctx, e.sa, id, 1, kickoff, kickoff.AddDate(0, 0, 30), kickoff.AddDate(0, 0, 90), kickoff.AddDate(0, 0, 1), false, now); err != nil {
		t.Fatalf("acknowledge: %v", err)
	}
	return id
}

// saveArchitecture saves a complete, signed-off architecture closing the
// rows in closures, at the pack's version.
func (e *env) saveArchitecture(t *testing.T, id int64, closures map[string]handoff.Closure) {
	t.Helper()
	ctx := context.Background()
	p, err := e.DB.Pack(ctx, e.sa, id)
	if err != nil {
		t.Fatal(err)
	}
	a := handoff.Architecture{Summary: "Lakehouse fed by CDC.", SignOffName: "Rita Architect", SignOffTitle: "Enterprise Architect",
		SignOffOn: "2026-11-25", Closures: closures}
	for _, part := range handoff.ArchParts {
		a.Part(part.Value).Notes = part.Label + ": agreed."
	}
	if err := e.DB.SaveArchitecture(ctx, e.sa, id, p.Version, a, servertest.Today()); err != nil {
		t.Fatalf("save architecture: %v", err)
	}
}

// lock locks the pack's architecture at its version.
func (e *env) lock(t *testing.T, id int64) {
	t.Helper()
	ctx := context.Background()
	p, err := e.DB.Pack(ctx, e.sa, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.LockArchitecture(ctx, e.sa, id, p.Version, servertest.Today(), servertest.Today()); err != nil {
		t.Fatalf("lock: %v", err)
	}
}

// assess records the SA's assessment at its stage, at the pack's version.
func (e *env) assess(t *testing.T, id int64, a handoff.Assessment) {
	t.Helper()
	ctx := context.Background()
	p, err := e.DB.Pack(ctx, e.sa, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.SaveAssessment(ctx, e.sa, id, p.Version, a, servertest.Today(), servertest.Today()); err != nil {
		t.Fatalf("assess %s: %v", a.Stage, err)
	}
}

type matrixRowJSON struct {
	Key, Kind, Title, Detail string
	Vetoed                   bool
	VetoReason               string  `json:"veto_reason"`
	ClosedBy                 *string `json:"closed_by"`
	ClosedByLabel            string  `json:"closed_by_label"`
	Note                     string
	Open                     bool
}

type packMatrixJSON struct {
	ClosureMatrix struct {
		State  string
		Frozen bool
		Rows   []matrixRowJSON
	} `json:"closure_matrix"`
}

// getPackJSON reads GET /packs/{id} into v and returns the raw body.
func (e *env) getPackJSON(t *testing.T, id int64, v any) []byte {
	t.Helper()
	res := e.do(t, http.MethodGet, "/packs/"+itoa(id), e.token, "")
	if res.status != http.StatusOK {
		t.Fatalf("GET /packs/%d: %d %s", id, res.status, res.body)
	}
	res.decode(t, v)
	return res.body
}

func TestGetPackClosureMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	usd := func(n int64) handoff.Money { return handoff.Money{Minor: n * 100, Currency: "USD"} }
	sync := handoff.Commitment{ID: handoff.NewRowID(), Kind: "integration", Description: "Nightly SAP sync", Evidence: "in_writing",
		EvidenceDetail: "Email of 3 Nov", Value: usd(40_000)}
	dash := handoff.Commitment{ID: handoff.NewRowID(), Kind: "custom_feature", Description: "Custom dashboard", Evidence: "in_writing", Value: usd(30_000)}
	limits := handoff.Risk{ID: handoff.NewRowID(), Category: "integration_unknown", Description: "SAP API rate limits unknown",
		Severity: "high", Mitigation: "Load test in week 2", Status: "open"}
	sso := handoff.Risk{ID: handoff.NewRowID(), Category: "security_review", Description: "SSO review", Severity: "low", Status: "mitigated"}
	docs := handedOff(handoff.Commitments{Items: []handoff.Commitment{sync, dash}}, handoff.Risks{Items: []handoff.Risk{limits, sso}})
	id := e.acknowledged(t, docs, map[string]string{dash.ID: "Not in the contract; CS will scope it."})
	syncKey, dashKey := handoff.ItemKey(handoff.ItemCommitment, sync.ID), handoff.ItemKey(handoff.ItemCommitment, dash.ID)
	limitsKey, ssoKey := handoff.ItemKey(handoff.ItemRisk, limits.ID), handoff.ItemKey(handoff.ItemRisk, sso.ID)

	type matrix struct {
		state  string
		frozen bool
		byKey  map[string]matrixRowJSON
		keys   []string
	}
	read := func(t *testing.T, id int64) matrix {
		t.Helper()
		var p packMatrixJSON
		e.getPackJSON(t, id, &p)
		m := matrix{state: p.ClosureMatrix.State, frozen: p.ClosureMatrix.Frozen, byKey: map[string]matrixRowJSON{}}
		for _, r := range p.ClosureMatrix.Rows {
			m.byKey[r.Key] = r
			m.keys = append(m.keys, r.Key)
		}
		return m
	}

	t.Run("DraftIsAnEmptyDraftMatrix", func(t *testing.T) {
		draft := e.CreatePack("Globex", e.se, e.sa, "2026-11-20")
		var raw struct {
			ClosureMatrix map[string]json.RawMessage `json:"closure_matrix"`
		}
		body := e.getPackJSON(t, draft, &raw)
		if string(raw.ClosureMatrix["rows"]) != "[]" || string(raw.ClosureMatrix["state"]) != `"draft"` || string(raw.ClosureMatrix["frozen"]) != "false" {
			t.Errorf("a draft's matrix should be an empty array of rows, state draft, not frozen: %s", body)
		}
	})

	t.Run("RowsOpenUntilClosed", func(t *testing.T) {
		m := read(t, id)
		if m.state != "draft" || m.frozen || !slices.Equal(m.keys, []string{syncKey, dashKey, limitsKey}) {
			t.Fatalf("state %q, frozen %v, rows %v; want an unfrozen draft: the two commitments then the open risk (not the mitigated one)", m.state, m.frozen, m.keys)
		}
		if r := m.byKey[syncKey]; r.Kind != "commitment" || r.Title != "Integration: Nightly SAP sync" || r.Detail != "In writing (email/slide) — Email of 3 Nov" ||
			r.Vetoed || r.ClosedBy != nil || r.ClosedByLabel != "" || !r.Open {
			t.Errorf("approved commitment = %+v; want open, closed by nothing", r)
		}
		if r := m.byKey[dashKey]; !r.Vetoed || r.VetoReason != "Not in the contract; CS will scope it." || r.Open || r.ClosedBy != nil {
			t.Errorf("vetoed commitment = %+v; want vetoed with its reason, not open", r)
		}
		if r := m.byKey[limitsKey]; r.Kind != "risk" || r.Title != "High risk (Integration unknown): SAP API rate limits unknown" ||
			r.Detail != "Load test in week 2" || !r.Open {
			t.Errorf("open risk = %+v", r)
		}
	})

	t.Run("APartWithoutItsNoteStaysOpen", func(t *testing.T) {
		e.saveArchitecture(t, id, map[string]handoff.Closure{syncKey: {Part: "integrations"}})
		m := read(t, id)
		if r := m.byKey[syncKey]; r.ClosedBy == nil || *r.ClosedBy != "integrations" || r.ClosedByLabel != "Integration list" || !r.Open {
			t.Errorf("row with a part and no note = %+v; want the part named, still open", r)
		}
	})

	closures := map[string]handoff.Closure{
		syncKey:   {Part: "integrations", Note: "The SAP connector runs nightly."},
		limitsKey: {Part: handoff.OutOfScope, Note: "The customer's SAP team owns the limits."},
	}
	t.Run("ClosedByTheArchitecture", func(t *testing.T) {
		e.saveArchitecture(t, id, closures)
		m := read(t, id)
		if m.state != "draft" || m.frozen {
			t.Errorf("an acknowledged pack's matrix: state %q, frozen %v; want draft, not frozen", m.state, m.frozen)
		}
		if r := m.byKey[syncKey]; r.ClosedBy == nil || *r.ClosedBy != "integrations" || r.ClosedByLabel != "Integration list" ||
			r.Note != "The SAP connector runs nightly." || r.Open {
			t.Errorf("closed commitment = %+v", r)
		}
		if r := m.byKey[limitsKey]; r.ClosedBy == nil || *r.ClosedBy != "out_of_scope" || r.ClosedByLabel != "Out of scope" ||
			r.Note != "The customer's SAP team owns the limits." || r.Open {
			t.Errorf("risk out of scope = %+v", r)
		}
	})

	t.Run("LockedIsFrozen", func(t *testing.T) {
		e.lock(t, id)
		m := read(t, id)
		if m.state != "frozen" || !m.frozen || len(m.keys) != 3 || m.byKey[syncKey].Open || m.byKey[limitsKey].Open || !m.byKey[dashKey].Vetoed {
			t.Errorf("locked matrix: state %q, frozen %v, rows %+v; want frozen, every row closed", m.state, m.frozen, m.byKey)
		}
	})

	t.Run("NoAccuracyAssessments", func(t *testing.T) {
		// Handoff accuracy is comp-sensitive: the token reads every pack as
		// the org, so the API never answers it, assessed or not.
		e.assess(t, id, handoff.Assessment{Stage: handoff.StageLock, Marks: map[string]handoff.Mark{
			syncKey: {Verdict: "held"}, dashKey: {Verdict: "under_scoped", Note: "They need it for the board."},
			limitsKey: {Verdict: "wrong", Note: "The limits were the SAP team's, not ours."}, ssoKey: {Verdict: "held"}}})
		var whole map[string]json.RawMessage
		body := e.getPackJSON(t, id, &whole)
		if _, ok := whole["accuracy_assessments"]; ok {
			t.Errorf("the pack answers accuracy_assessments: %s", body)
		}
		for _, w := range []string{"accuracy", "under_scoped", "They need it for the board."} {
			if strings.Contains(string(body), w) {
				t.Errorf("the pack's answer mentions %q: %s", w, body)
			}
		}
	})

	t.Run("LockedBeforeMatricesWereKept", func(t *testing.T) {
		// A pack locked before Handoff kept a closure matrix froze none: its
		// rows were never closed, so the answer must not call them frozen.
		old := e.acknowledged(t, handedOff(handoff.Commitments{Items: []handoff.Commitment{sync}}, handoff.Risks{Items: []handoff.Risk{limits}}), nil)
		e.saveArchitecture(t, old, closures)
		e.lock(t, old)
		if _, err := e.DB.Pool.Exec(context.Background(),
			`UPDATE reference_architectures SET data = data - 'locked_matrix' - 'closures' WHERE pack_id = $1`, old); err != nil {
			t.Fatal(err)
		}
		m := read(t, old)
		if m.state != "not_kept" || m.frozen {
			t.Errorf("state %q, frozen %v; want not_kept, not frozen", m.state, m.frozen)
		}
		if len(m.keys) != 2 || !m.byKey[syncKey].Open || !m.byKey[limitsKey].Open || m.byKey[syncKey].ClosedBy != nil {
			t.Errorf("rows %+v; want the commitment and the risk, both open, closed by nothing", m.byKey)
		}
	})
}

// TestOpenAPIDescribesTheClosureMatrix fails when the pack's closure matrix
// answers with keys other than those the document requires, or when its
// enums drift from the domain's.
func TestOpenAPIDescribesTheClosureMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	var doc map[string]any
	e.do(t, http.MethodGet, "/openapi.json", "", "").decode(t, &doc)
	const (
		matrix = "components.schemas.ClosureMatrix."
		row    = matrix + "properties.rows.items."
	)
	// strs reads the list of strings at a dotted path, sorted.
	strs := func(path string) []string {
		t.Helper()
		var v any = doc
		for _, p := range strings.Split(path, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("openapi.json has no %s", path)
			}
			v = m[p]
		}
		list, ok := v.([]any)
		if !ok {
			t.Fatalf("openapi.json: %s is not a list", path)
		}
		var out []string
		for _, x := range list {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		slices.Sort(out)
		return out
	}
	values := func(opts []handoff.Option) []string {
		var out []string
		for _, o := range opts {
			out = append(out, o.Value)
		}
		slices.Sort(out)
		return out
	}
	states := []string{string(handoff.MatrixDraft), string(handoff.MatrixFrozen), string(handoff.MatrixNotKept)}
	slices.Sort(states)
	for path, domain := range map[string][]string{
		row + "properties.closed_by.enum": values(handoff.ClosureChoices()),
		matrix + "properties.state.enum":  states,
	} {
		if got := strs(path); !slices.Equal(got, domain) {
			t.Errorf("openapi.json lists %s as %v; the domain has %v", path, got, domain)
		}
	}
	if _, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)["AccuracyAssessment"]; ok {
		t.Error("openapi.json still describes AccuracyAssessment, which the API does not answer")
	}

	sla := handoff.Commitment{ID: handoff.NewRowID(), Kind: "sla", Description: "99.9% uptime", Evidence: "in_contract", EvidenceDetail: "§4.2"}
	slaKey := handoff.ItemKey(handoff.ItemCommitment, sla.ID)
	id := e.acknowledged(t, handedOff(handoff.Commitments{Items: []handoff.Commitment{sla}}, handoff.Risks{NoKnownRisks: true}), nil)
	e.saveArchitecture(t, id, map[string]handoff.Closure{slaKey: {Part: "scale", Note: "Multi-AZ."}})
	e.lock(t, id)
	type object = map[string]any
	var p struct {
		ClosureMatrix struct {
			Rows []object
		} `json:"closure_matrix"`
	}
	body := e.getPackJSON(t, id, &p)
	var whole struct {
		ClosureMatrix object `json:"closure_matrix"`
	}
	if err := json.Unmarshal(body, &whole); err != nil {
		t.Fatal(err)
	}
	if len(p.ClosureMatrix.Rows) != 1 {
		t.Fatalf("want one row: %s", body)
	}
	for path, got := range map[string]object{
		matrix: whole.ClosureMatrix,
		row:    p.ClosureMatrix.Rows[0],
	} {
		var keys []string
		for k := range got {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := strs(path + "required"); !slices.Equal(keys, want) {
			t.Errorf("the answer has keys %v where openapi.json (%s) requires %v", keys, path, want)
		}
	}
}

// TestGetPackAfterTheLock: the API shows the clocks after the lock as the
// pack page does, the first value the SA recorded, and whether the account
// is strategic.
func TestGetPackAfterTheLock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	ctx := context.Background()
	id := e.acknowledged(t, handedOff(handoff.Commitments{NoneBeyondContract: true}, handoff.Risks{NoKnownRisks: true}), nil)
	type clock struct {
		Kind  string
		Due   *string
		State string
		Owed  *string `json:"owed_by"`
	}
	var p struct {
		Strategic  bool
		FirstValue *struct{ Date, What string } `json:"first_value"`
		Clocks     []clock
	}
	e.getPackJSON(t, id, &p)
	// Kickoff 2026-11-24 + 90 days.
	if fv := p.Clocks[3]; fv.Kind != "first_value" || fv.Due == nil || *fv.Due != "2027-02-22" || fv.Owed == nil || *fv.Owed != "sa" || p.FirstValue != nil {
		t.Errorf("before first value: %+v, first_value %+v", fv, p.FirstValue)
	}
	if p.Strategic || p.Clocks[4].Due != nil {
		t.Errorf("an enterprise account: strategic %v, pod review %+v", p.Strategic, p.Clocks[4])
	}
	if _, err := e.DB.RecordFirstValue(ctx, e.sa, id, "2026-11-25", "First 50 agents live", servertest.Today(), servertest.Today()); err != nil {
		t.Fatal(err)
	}
	manager := e.CreateUser("Mo Manager", "mo@acme.example", handoff.RoleManager)
	if err := e.DB.MarkStrategic(ctx, manager, id, true, servertest.Today()); err != nil {
		t.Fatal(err)
	}
	e.getPackJSON(t, id, &p)
	if p.FirstValue == nil || p.FirstValue.Date != "2026-11-25" || p.FirstValue.What != "First 50 agents live" ||
		p.Clocks[3].State != "done_on_time" || p.Clocks[3].Owed != nil {
		t.Errorf("after first value: %+v, clock %+v", p.FirstValue, p.Clocks[3])
	}
	// Strategic, but the pod review clock starts at the lock.
	if !p.Strategic || p.Clocks[4].Due != nil || p.Clocks[4].State != "not_started" {
		t.Errorf("marked strategic before the lock: %v, pod review %+v", p.Strategic, p.Clocks[4])
	}
}
