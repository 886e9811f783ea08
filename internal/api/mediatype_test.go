package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A body the API would read must be declared as JSON; anything else is 415
// with a problem+json body, through the real router and its middleware. Form
// bodies in particular never reach a handler.
func TestBodiesMustBeJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	send := func(t *testing.T, method, path, contentType, body string) (*http.Response, problemJSON) {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), method, e.Server.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.token)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var p problemJSON
		if res.StatusCode >= 400 {
			if err := json.Unmarshal(b, &p); err != nil {
				t.Fatalf("%s %s: body is not problem JSON: %v\n%s", method, path, err, b)
			}
		}
		return res, p
	}

	for _, tc := range []struct{ name, method, path, contentType, body string }{
		{"ErrNoContentType", http.MethodPost, "/api/v1/deals", "", closedWon},
		{"ErrTextPlain", http.MethodPost, "/api/v1/deals", "text/plain", closedWon},
		{"ErrForm", http.MethodPost, "/api/v1/deals", "application/x-www-form-urlencoded", "crm_opportunity_id=006Qy00000AbCdE&account_name=Acme"},
		{"ErrMultipart", http.MethodPost, "/api/v1/deals", "multipart/form-data; boundary=x", "--x--"},
		{"ErrJSONLookalike", http.MethodPost, "/api/v1/deals", "application/jsonp", closedWon},
		{"ErrOtherCharset", http.MethodPost, "/api/v1/deals", "application/json; charset=latin1", closedWon},
		{"ErrMalformed", http.MethodPost, "/api/v1/deals", "application/json; charset", closedWon},
		{"ErrPutWrongMethodStillChecked", http.MethodPut, "/api/v1/deals", "text/plain", "x"},
		{"ErrPatch", http.MethodPatch, "/api/v1/packs/1", "text/plain", "x"},
		{"ErrEmptyPostWithoutType", http.MethodPost, "/api/v1/deals", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, p := send(t, tc.method, tc.path, tc.contentType, tc.body)
			if res.StatusCode != http.StatusUnsupportedMediaType {
				t.Fatalf("status = %d, want 415", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
			if p.Status != 415 || p.Title != "Unsupported Media Type" || !strings.Contains(p.Detail, "Content-Type: application/json") {
				t.Errorf("problem = %+v, want one that says to send JSON", p)
			}
		})
	}
	var n int
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("deals = %d (%v): a refused body was used", n, err)
	}

	for name, ct := range map[string]string{
		"JSON":                "application/json",
		"JSONWithCharset":     "application/json; charset=utf-8",
		"JSONUpperCase":       "Application/JSON; Charset=UTF-8",
		"JSONWithOtherParams": "application/json; profile=x",
	} {
		t.Run(name, func(t *testing.T) {
			res, p := send(t, http.MethodPost, "/api/v1/deals", ct, closedWon)
			if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d (%+v), want the deal recorded", res.StatusCode, p)
			}
		})
	}
	t.Run("OpenAPIListsIt", func(t *testing.T) {
		var doc struct {
			Paths map[string]map[string]struct {
				Responses map[string]any `json:"responses"`
			} `json:"paths"`
		}
		e.do(t, http.MethodGet, "/openapi.json", "", "").decode(t, &doc)
		for path, ops := range doc.Paths {
			for method, op := range ops {
				if (method == "post" || method == "put" || method == "patch") && op.Responses["415"] == nil {
					t.Errorf("openapi.json: %s %s does not list 415", method, path)
				}
			}
		}
	})
	t.Run("GetNeedsNone", func(t *testing.T) {
		if res, p := send(t, http.MethodGet, "/api/v1/packs", "", ""); res.StatusCode != http.StatusOK {
			t.Fatalf("GET /packs = %d (%+v), want 200", res.StatusCode, p)
		}
	})
}
