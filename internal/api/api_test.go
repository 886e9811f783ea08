package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/api"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// env is the API on its own database, with one live token, an SE and an SA.
type env struct {
	*servertest.Env
	h      chi.Router
	token  string
	se, sa *handoff.User
}

func newEnv(t *testing.T, rate int) *env {
	t.Helper()
	se := servertest.New(t)
	base, _ := url.Parse("https://handoff.example")
	h := api.New(api.Config{DB: se.DB, Log: slog.New(slog.NewTextHandler(testWriter{t}, nil)), Now: servertest.Today, Due: se.App.DueSource(), BaseURL: base, RatePerMinute: rate})
	_, tok, err := se.DB.CreateToken(context.Background(), "Salesforce", 0, servertest.Today())
	if err != nil {
		t.Fatal(err)
	}
	return &env{Env: se, h: h, token: tok,
		se: se.CreateUser("Sam SE", "se@acme.example", handoff.RoleSE),
		sa: se.CreateUser("Sara SA", "sa@acme.example", handoff.RoleSA)}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request with the env's token (token "" sends none).
func (e *env) do(t *testing.T, method, path, token, body string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	b, _ := io.ReadAll(w.Result().Body)
	return response{w.Code, w.Header(), b}
}

const closedWon = `{"crm_opportunity_id":"006Qy00000AbCdE","account_name":"Acme","opportunity_name":"Acme platform",
	"segment":"enterprise","arr":{"amount":12000000,"currency":"USD"},"closed_won_date":"2026-11-25",
	"se_email":"se@acme.example","sa_email":"sa@acme.example",
	"ae":{"name":"Ada AE","email":"ae@acme.example"},"csm":{"name":"Cy CSM","email":"csm@acme.example"}}`

type packJSON struct {
	PackID int64  `json:"pack_id"`
	Status string `json:"status"`
	ARR    struct {
		Amount   int64
		Currency string
	} `json:"arr"`
	SA     *struct{ ID int64 } `json:"sa"`
	Clocks []struct {
		Kind  string
		Due   *string
		State string
	} `json:"clocks"`
	URL string `json:"url"`
}

type problemJSON struct {
	Type   string
	Title  string
	Status int
	Detail string
	Errors []struct{ Field, Message string }
}

func (p problemJSON) fields() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

func TestCreateDeal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)

	first := e.do(t, http.MethodPost, "/deals", e.token, closedWon)
	if first.status != http.StatusCreated {
		t.Fatalf("first call: status %d, want 201\n%s", first.status, first.body)
	}
	var p packJSON
	first.decode(t, &p)
	if p.PackID == 0 || p.Status != "draft" || p.ARR.Amount != 12000000 || p.ARR.Currency != "USD" || p.SA == nil || p.SA.ID != e.sa.ID {
		t.Errorf("created pack = %+v", p)
	}
	if first.header.Get("Location") != "/api/v1/packs/"+itoa(p.PackID) || p.URL != "https://handoff.example/packs/"+itoa(p.PackID) {
		t.Errorf("Location %q, url %q", first.header.Get("Location"), p.URL)
	}
	if len(p.Clocks) != 5 || p.Clocks[3].Kind != "first_value" || p.Clocks[3].Due != nil || p.Clocks[4].Kind != "pod_review" || p.Clocks[4].Due != nil ||
		p.Clocks[0].Kind != "pack" || p.Clocks[0].Due == nil || p.Clocks[0].State != "on_track" ||
		p.Clocks[1].Kind != "kickoff" || p.Clocks[1].Due == nil || p.Clocks[2].Kind != "lock" || p.Clocks[2].Due != nil || p.Clocks[2].State != "not_started" {
		t.Errorf("clocks = %+v", p.Clocks)
	}
	if _, err := time.Parse(time.DateOnly, *p.Clocks[0].Due); err != nil {
		t.Errorf("pack due %q is not YYYY-MM-DD", *p.Clocks[0].Due)
	}

	t.Run("SameCRMIdAnswers200WithTheSameDeal", func(t *testing.T) {
		again := e.do(t, http.MethodPost, "/deals", e.token, strings.Replace(closedWon, `"Acme platform"`, `"Renamed"`, 1))
		if again.status != http.StatusOK {
			t.Fatalf("second call: status %d, want 200\n%s", again.status, again.body)
		}
		var p2 packJSON
		again.decode(t, &p2)
		if p2.PackID != p.PackID {
			t.Errorf("second call gave pack %d, want %d", p2.PackID, p.PackID)
		}
		var n int
		if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&n); err != nil || n != 1 {
			t.Errorf("deals = %d (%v), want 1", n, err)
		}
	})
}

func TestCreateDealConcurrentCallsMakeOneDeal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	statuses := make(chan int, 4)
	for range 4 {
		go func() { statuses <- e.do(t, http.MethodPost, "/deals", e.token, closedWon).status }()
	}
	var got []int
	for range 4 {
		got = append(got, <-statuses)
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{200, 200, 200, 201}) {
		t.Errorf("statuses = %v, want one 201 and three 200", got)
	}
	var n int
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&n); err != nil || n != 1 {
		t.Errorf("deals = %d (%v), want 1", n, err)
	}
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	if _, err := e.DB.RevokeToken(context.Background(), "Salesforce", servertest.Today()); err != nil {
		t.Fatal(err)
	}
	for name, token := range map[string]string{
		"Missing": "",
		"Unknown": "hoff_notarealtoken",
		"Revoked": e.token,
	} {
		t.Run(name, func(t *testing.T) {
			res := e.do(t, http.MethodGet, "/packs", token, "")
			if res.status != http.StatusUnauthorized || res.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("status %d, type %q, want 401 problem+json\n%s", res.status, res.header.Get("Content-Type"), res.body)
			}
			var p problemJSON
			res.decode(t, &p)
			if p.Status != 401 || p.Title == "" || p.Type == "" {
				t.Errorf("problem = %+v", p)
			}
		})
	}
}

func TestInvalidDealListsEveryField(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	body := `{"crm_opportunity_id":"X1","account_name":"","opportunity_name":"Acme platform","segment":"huge",
		"arr":{"amount":-5,"currency":"usd1"},"closed_won_date":"2026-12-25","se_email":"nobody@acme.example",
		"sa_email":"se@acme.example","ae":{"email":"not-an-email"}}`
	res := e.do(t, http.MethodPost, "/deals", e.token, body)
	if res.status != http.StatusUnprocessableEntity || res.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d, want 422\n%s", res.status, res.body)
	}
	var p problemJSON
	res.decode(t, &p)
	want := []string{"account_name", "ae.email", "arr.amount", "arr.currency", "closed_won_date", "sa_email", "se_email", "segment"}
	if !slices.Equal(p.fields(), want) || p.Type != "urn:handoff:problem:invalid" || p.Status != 422 {
		t.Errorf("problem fields = %v, want %v\n%s", p.fields(), want, res.body)
	}
	if n := countDeals(t, e); n != 0 {
		t.Errorf("deals = %d, want 0", n)
	}

	t.Run("MissingRequiredFields", func(t *testing.T) {
		res := e.do(t, http.MethodPost, "/deals", e.token, `{}`)
		var p problemJSON
		res.decode(t, &p)
		want := []string{"account_name", "arr", "closed_won_date", "crm_opportunity_id", "opportunity_name", "se_email", "segment"}
		if res.status != 422 || !slices.Equal(p.fields(), want) {
			t.Errorf("status %d, fields %v, want 422 %v", res.status, p.fields(), want)
		}
	})
	t.Run("UnknownFieldsRejected", func(t *testing.T) {
		res := e.do(t, http.MethodPost, "/deals", e.token, strings.Replace(closedWon, `{"crm_opportunity_id"`, `{"probability":90,"ae_phone":"1","crm_opportunity_id"`, 1))
		var p problemJSON
		res.decode(t, &p)
		if res.status != 422 || !slices.Equal(p.fields(), []string{"ae_phone", "probability"}) {
			t.Errorf("status %d, fields %v, want 422 [ae_phone probability]", res.status, p.fields())
		}
		res = e.do(t, http.MethodPost, "/deals", e.token, strings.Replace(closedWon, `"currency":"USD"`, `"currency":"USD","cents":true`, 1))
		res.decode(t, &p)
		if res.status != 422 || !slices.Equal(p.fields(), []string{"arr.cents"}) {
			t.Errorf("nested: status %d, fields %v, want 422 [arr.cents]", res.status, p.fields())
		}
		if n := countDeals(t, e); n != 0 {
			t.Errorf("deals = %d, want 0", n)
		}
	})
	t.Run("WrongTypes", func(t *testing.T) {
		res := e.do(t, http.MethodPost, "/deals", e.token, strings.Replace(strings.Replace(closedWon, `12000000`, `120000.5`, 1), `"Acme"`, `7`, 1))
		var p problemJSON
		res.decode(t, &p)
		if res.status != 422 || !slices.Equal(p.fields(), []string{"account_name", "arr.amount"}) {
			t.Errorf("status %d, fields %v, want 422 [account_name arr.amount]", res.status, p.fields())
		}
	})
	t.Run("BadJSONIs400", func(t *testing.T) {
		for _, body := range []string{`{"crm_opportunity_id":`, `[1]`, `null`, `{} {}`} {
			res := e.do(t, http.MethodPost, "/deals", e.token, body)
			if res.status != http.StatusBadRequest || res.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: status %d, want 400 problem+json", body, res.status)
			}
		}
	})
}

func countDeals(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRateLimitPerToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 3)
	for i := range 3 {
		if res := e.do(t, http.MethodGet, "/packs", e.token, ""); res.status != http.StatusOK {
			t.Fatalf("request %d: status %d\n%s", i+1, res.status, res.body)
		}
	}
	res := e.do(t, http.MethodGet, "/packs", e.token, "")
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" || res.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("4th request: status %d, Retry-After %q, type %q; want 429 with both", res.status, res.header.Get("Retry-After"), res.header.Get("Content-Type"))
	}
	// Another token has its own budget.
	_, other, err := e.DB.CreateToken(context.Background(), "HubSpot", 0, servertest.Today())
	if err != nil {
		t.Fatal(err)
	}
	if res := e.do(t, http.MethodGet, "/packs", other, ""); res.status != http.StatusOK {
		t.Errorf("other token: status %d, want 200", res.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// testWriter sends the API's log to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
