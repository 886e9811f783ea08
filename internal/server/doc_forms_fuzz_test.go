package server

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// FuzzDocumentFormActions sends whatever a client may type as row ids and
// texts through the document form parser, then renders the SA's page of the
// result and checks that every form action and link stays under the pack. It
// renders the ids both as typed (as if stored before this check existed) and
// as the server keeps them, so the page is safe even with bad data stored.
func FuzzDocumentFormActions(f *testing.F) {
	for _, seed := range []string{
		"../../48/lock?", "../48/lock", "..", ".", "%2e%2e", ".%2E", "/x", "?", "#frag", "a/b", `\evil`,
		"//evil.example", "https://evil.example/", "abcdefghijkl", "", " ", "\x00", "é",
	} {
		f.Add(seed, "Workday connector")
	}
	assets, err := web.NewAssets()
	if err != nil {
		f.Fatal(err)
	}
	const packID = 59
	saved := handoff.Documents{Commitments: handoff.Commitments{Items: []handoff.Commitment{{ID: "abcdefghijkl", Kind: "sla", Description: "Old"}}}}

	f.Fuzz(func(t *testing.T, id, desc string) {
		form := url.Values{"rows": {"2"},
			"items.0.id": {id}, "items.0.kind": {"integration"}, "items.0.description": {desc}, "items.0.evidence": {"in_writing"},
			"items.0.amount": {"40000"}, "items.0.currency": {"USD"},
			"items.1.id": {id}, "items.1.kind": {"sla"}, "items.1.description": {"Uptime"}, "items.1.evidence": {"roadmap"}}
		req := httptest.NewRequest("POST", "/packs/59/documents/commitments", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

		typed := saved
		parseDocument(req, handoff.DocCommitments, &typed, true)
		raw := typed
		raw.Commitments.Items = append([]handoff.Commitment(nil), typed.Commitments.Items...)
		checkSAPage(t, assets, packID, raw)

		ownIDs(handoff.DocCommitments, &typed, saved)
		if err := finishDocument(handoff.DocCommitments, &typed); err == nil {
			seen := map[string]bool{}
			for _, c := range typed.Commitments.Items {
				if !handoff.ValidRowID(c.ID) || seen[c.ID] {
					t.Fatalf("kept id %q (typed %q): not the server's own", c.ID, id)
				}
				seen[c.ID] = true
			}
		}
		checkSAPage(t, assets, packID, typed)
	})
}

// checkSAPage renders the commitment ledger as the SA deciding on it sees it,
// and fails when any form action or link leaves pack id.
func checkSAPage(t *testing.T, assets *web.Assets, id int64, docs handoff.Documents) {
	t.Helper()
	page := web.DocFormPage{
		Page: web.Page{Title: "t", Assets: assets}, Head: web.PackHead{ID: id}, Kind: handoff.DocCommitments, Docs: docs,
		ShowingVersion: 1, CanDecide: true, Review: &web.ReviewForm{Version: 1},
	}
	for _, c := range docs.Commitments.Items {
		page.Commitments = append(page.Commitments, web.CommitmentRow{C: c})
	}
	var buf bytes.Buffer
	if err := web.DocumentPage(page).Render(web.WithLocation(context.Background(), time.UTC), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://handoff.example/packs/59/documents/commitments")
	doc.Find("form[action], a[href]").Each(func(_ int, s *goquery.Selection) {
		target, ok := s.Attr("action")
		if !ok {
			target, _ = s.Attr("href")
		}
		// Browsers resolve a percent-encoded dot segment as one; Go does not.
		if strings.Contains(strings.ToLower(target), "%2e") {
			t.Fatalf("target %q holds an encoded dot segment", target)
		}
		u, err := base.Parse(target)
		if err != nil {
			t.Fatalf("target %q does not parse: %v", target, err)
		}
		if u.Host != base.Host || (strings.HasPrefix(u.Path, "/packs/") && !strings.HasPrefix(u.Path, "/packs/59/") && u.Path != "/packs/59") {
			t.Fatalf("target %q resolves to %s, outside pack 59", target, u)
		}
		if s.Is("form") && !strings.HasPrefix(u.Path, "/packs/59/") {
			t.Fatalf("form posts to %s, outside pack 59", u.Path)
		}
	})
}
