package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// kindFixtures are the documents TestDocumentKinds stores and edits: filled
// in, empty, and saying there is nothing to list. Filled must fill every
// registered kind.
func kindFixtures() map[string]handoff.Documents {
	champ, eb, tech, biz := handoff.NewRowID(), handoff.NewRowID(), handoff.NewRowID(), handoff.NewRowID()
	rows := map[string]handoff.MEDDPICCRow{}
	for _, el := range handoff.MEDDPICCElements {
		rows[el.Value] = handoff.MEDDPICCRow{Status: "partial", Notes: el.Label + " notes\nsecond line"}
	}
	rows["champion"] = handoff.MEDDPICCRow{Status: "confirmed", Notes: "Runs the data platform", PersonID: champ}
	rows["economic_buyer"] = handoff.MEDDPICCRow{Status: "unknown", Notes: "Signs above 100k", PersonID: eb}
	filled := handoff.Documents{
		MEDDPICC: handoff.MEDDPICC{Rows: rows},
		POC: handoff.POC{Summary: "Prove nightly loads on customer data.", StartOn: "2026-09-01", EndOn: "2026-09-30",
			Criteria: []handoff.Criterion{
				{ID: handoff.NewRowID(), Promised: "Load 1 TB in under an hour", Demonstrated: "48 minutes", Outcome: "met", Evidence: "Run log 14"},
				{ID: handoff.NewRowID(), Promised: "SSO with Okta", Outcome: "not_tested"},
			}},
		Commitments: handoff.Commitments{Items: []handoff.Commitment{
			{ID: handoff.NewRowID(), Kind: "custom_feature", Description: "SAML group sync", Evidence: "in_contract", EvidenceDetail: "Order form §4.2",
				Value: handoff.Money{Minor: 4_000_050, Currency: "EUR"}, DueOn: "2027-06-30"},
			{ID: handoff.NewRowID(), Kind: "sla", Description: "99.9% uptime", Evidence: "promised_verbally", EvidenceDetail: "Sam, 12 Feb call"},
		}},
		Stakeholders: handoff.Stakeholders{People: []handoff.Stakeholder{
			{ID: champ, Name: "Carla Champion", Title: "Head of Data", Email: "carla@example.com", Role: "champion", Sentiment: "supporter", Notes: "Owns the budget line"},
			{ID: eb, Name: "Erin Buyer", Title: "CFO", Role: "economic_buyer", Sentiment: "neutral"},
			{ID: tech, Name: "Tom Tech", Role: "technical_buyer", Sentiment: "detractor", Notes: "Prefers Kafka"},
			{ID: biz, Name: "Bo Business", Role: "business_buyer"},
		}},
		Risks: handoff.Risks{Items: []handoff.Risk{
			{ID: handoff.NewRowID(), Category: "security_review", Description: "Pen-test findings waived", Severity: "high", Mitigation: "Retest in Q3", Owner: "Sam", Status: "open"},
			{ID: handoff.NewRowID(), Category: "dependency_lockin", Description: "Needs their Kafka", Severity: "low", Status: "accepted"},
		}},
	}
	return map[string]handoff.Documents{
		"Filled":        filled,
		"Empty":         {},
		"NothingToList": {Commitments: handoff.Commitments{NoneBeyondContract: true}, Risks: handoff.Risks{NoKnownRisks: true}},
	}
}

// TestDocumentKinds walks every registered kind of document through every
// surface: stored and read back, its edit form rendered from what is stored
// and posted back unchanged through the real parser (the document must come
// back the same), and its read-only view. A kind missing from the storage
// schema, the form parsers or the views fails here, not on a request.
func TestDocumentKinds(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	ctx := context.Background()
	zero := handoff.Documents{}
	for _, s := range handoff.DocSpecs() {
		if a, b := kindEncode(t, s, kindFixtures()["Filled"]), kindEncode(t, s, zero); bytes.Equal(a, b) {
			t.Errorf("kindFixtures leaves %s empty: fill it", s.Kind())
		}
	}

	for name, want := range kindFixtures() {
		t.Run(name, func(t *testing.T) {
			pack := e.CreatePack("Kinds "+name, e.sam, e.alex, "2026-11-20")
			path := "/packs/" + strconv.FormatInt(pack, 10) + "/documents/"
			for _, s := range handoff.DocSpecs() {
				p, err := e.DB.Pack(ctx, e.sam, pack)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.DB.SaveDocument(ctx, e.sam, pack, p.Version, s.Kind(), want, time.Now()); err != nil {
					t.Fatalf("store %s: %v", s.Kind(), err)
				}
			}
			stored, _, err := e.DB.Documents(ctx, e.sam, pack)
			if err != nil {
				t.Fatal(err)
			}

			for _, s := range handoff.DocSpecs() {
				t.Run(string(s.Kind()), func(t *testing.T) {
					if a, b := kindEncode(t, s, stored), kindEncode(t, s, want); !bytes.Equal(a, b) {
						t.Fatalf("stored and read back as %s, want %s", a, b)
					}

					page := sam.Get(path + string(s.Kind()))
					if page.StatusCode != http.StatusOK {
						t.Fatalf("GET form = %d\n%s", page.StatusCode, page.Body)
					}
					form := page.Doc().Find("form.doc-form")
					if form.Length() != 1 {
						t.Fatalf("%d document forms on the page", form.Length())
					}
					posted := browserFields(form)
					posted.Set("action", "save")
					if len(posted) <= 2 {
						t.Fatalf("the form has no fields of its own: %v", posted)
					}
					if res := sam.PostForm(path+string(s.Kind()), posted); res.StatusCode != http.StatusSeeOther {
						t.Fatalf("posting the form back = %d\nposted %v\n%s", res.StatusCode, posted,
							res.Doc().Find(".field-error, .flash").Text())
					}
					again, _, err := e.DB.Documents(ctx, e.sam, pack)
					if err != nil {
						t.Fatal(err)
					}
					if c := s.Diff(stored, again); c != nil {
						t.Errorf("posting the form back unchanged changed the document: %+v", c)
					}
					if name == "Filled" {
						if a, b := kindEncode(t, s, again), kindEncode(t, s, stored); !bytes.Equal(a, b) {
							t.Errorf("posting the form back stored %s, want %s", a, b)
						}
					}

					view := renderReadOnly(t, s.Kind(), want)
					shown := view.Find(`[data-testid="view-` + string(s.Kind()) + `"]`)
					if shown.Length() != 1 || strings.TrimSpace(shown.Text()) == "" {
						t.Fatalf("read-only view is missing or blank: %q", shown.Text())
					}
					// What was written out in the form reads back in the view.
					text := strings.Join(strings.Fields(shown.Text()), " ")
					form.Find("textarea").Each(func(_ int, ta *goquery.Selection) {
						if v := strings.Join(strings.Fields(ta.Text()), " "); !strings.Contains(text, v) {
							t.Errorf("the view does not show %q from %s", v, ta.AttrOr("name", "?"))
						}
					})
				})
			}
		})
	}
}

func kindEncode(t *testing.T, s handoff.DocSpec, d handoff.Documents) []byte {
	t.Helper()
	b, err := s.Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// renderReadOnly renders kind of d as the read-only view.
func renderReadOnly(t *testing.T, kind handoff.DocKind, d handoff.Documents) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := web.DocumentReadOnly(kind, d).Render(web.WithLocation(context.Background(), time.UTC), &buf); err != nil {
		t.Fatalf("render the read-only %s: %v", kind, err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// browserFields reads form's fields as a browser submits them, leaving out
// its buttons.
func browserFields(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		if _, off := s.Attr("disabled"); off {
			return
		}
		name := s.AttrOr("name", "")
		switch goquery.NodeName(s) {
		case "textarea":
			v.Add(name, s.Text())
		case "select":
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", opt.Text()))
		default:
			switch s.AttrOr("type", "text") {
			case "submit", "button", "reset", "image":
			case "checkbox", "radio":
				if _, on := s.Attr("checked"); on {
					v.Add(name, s.AttrOr("value", "on"))
				}
			default:
				v.Add(name, s.AttrOr("value", ""))
			}
		}
	})
	return v
}
