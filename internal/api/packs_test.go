package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
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
	if p.PackID != id || p.Status != "draft" || p.SA != nil || p.Version != 1 || len(p.Clocks) != 3 || p.Clocks[0].Due == nil || p.Versions == nil {
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
