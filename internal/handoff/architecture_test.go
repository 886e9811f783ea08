package handoff

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// archParts maps each part's form prefix to its field, written out by hand
// so Part can be checked against it.
var archParts = map[string]func(*Architecture) *ArchPart{
	"diagrams":     func(a *Architecture) *ArchPart { return &a.Diagrams },
	"data_flows":   func(a *Architecture) *ArchPart { return &a.DataFlows },
	"identity":     func(a *Architecture) *ArchPart { return &a.Identity },
	"integrations": func(a *Architecture) *ArchPart { return &a.Integrations },
	"scale":        func(a *Architecture) *ArchPart { return &a.Scale },
}

// archKickoff and archToday bound the sign-off date in the Validate cases.
var (
	archKickoff = time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	archToday   = time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
)

// completeArchitecture is an architecture ready to lock; each case changes
// one thing.
func completeArchitecture() Architecture {
	return Architecture{
		DocLink:      "https://wiki.example.com/acme/architecture",
		Summary:      "Okta SSO, EU region, Kafka ingest.",
		Diagrams:     ArchPart{Link: "https://lucid.example.com/d/1", Notes: "Context and deployment views."},
		DataFlows:    ArchPart{Link: "https://lucid.example.com/d/2", Notes: "Events flow from Kafka."},
		Identity:     ArchPart{Notes: "Okta SAML, SCIM provisioning, three roles."},
		Integrations: ArchPart{Link: "https://wiki.example.com/acme/integrations"},
		Scale:        ArchPart{Link: "https://wiki.example.com/acme/scale", Notes: "10k events/s peak."},
		SignOffName:  "Erin Architect",
		SignOffTitle: "Enterprise Architect",
		SignOffOn:    "2026-03-18",
	}
}

func TestArchitecturePart(t *testing.T) {
	t.Parallel()
	t.Run("ArchPartsAreTheFiveParts", func(t *testing.T) {
		t.Parallel()
		var got []string
		for _, p := range ArchParts {
			if p.Label == "" {
				t.Errorf("part %q has no label", p.Value)
			}
			got = append(got, p.Value)
		}
		want := []string{"diagrams", "data_flows", "identity", "integrations", "scale"}
		if !slices.Equal(got, want) {
			t.Errorf("ArchParts = %q, want %q", got, want)
		}
	})
	for _, p := range ArchParts {
		t.Run("FieldOf_"+p.Value, func(t *testing.T) {
			t.Parallel()
			var a Architecture
			got := a.Part(p.Value)
			if got == nil {
				t.Fatalf("Part(%q) = nil", p.Value)
			}
			field, ok := archParts[p.Value]
			if !ok {
				t.Fatalf("no hand-written field for %q", p.Value)
			}
			if want := field(&a); got != want {
				t.Errorf("Part(%q) points at the wrong field", p.Value)
			}
			got.Notes = "written through Part"
			if field(&a).Notes != "written through Part" {
				t.Errorf("writing through Part(%q) did not change the architecture", p.Value)
			}
		})
	}
	for _, name := range []string{"", "summary", "Diagrams", "doc_link", "sign_off"} {
		t.Run("NilForUnknown_"+name, func(t *testing.T) {
			t.Parallel()
			var a Architecture
			if got := a.Part(name); got != nil {
				t.Errorf("Part(%q) = %p, want nil", name, got)
			}
		})
	}
}

func TestArchitectureMissing(t *testing.T) {
	t.Parallel()
	t.Run("SixForEmpty", func(t *testing.T) {
		t.Parallel()
		got := Architecture{}.Missing()
		if len(got) != 6 {
			t.Fatalf("Missing() = %q, want 5 parts and the sign-off", got)
		}
		for i, p := range ArchParts {
			if !strings.Contains(strings.ToLower(got[i]), strings.ToLower(p.Label)) {
				t.Errorf("line %d = %q, want it to name %q", i, got[i], p.Label)
			}
		}
		if !strings.Contains(strings.ToLower(got[5]), "sign-off") {
			t.Errorf("line 5 = %q, want it to ask for the sign-off", got[5])
		}
	})
	t.Run("NoneWhenComplete", func(t *testing.T) {
		t.Parallel()
		if got := completeArchitecture().Missing(); len(got) != 0 {
			t.Errorf("Missing() = %q, want none", got)
		}
	})
	for _, p := range ArchParts {
		t.Run("SatisfiedByLinkAlone_"+p.Value, func(t *testing.T) {
			t.Parallel()
			a := completeArchitecture()
			*archParts[p.Value](&a) = ArchPart{Link: "https://example.com/x"}
			if got := a.Missing(); len(got) != 0 {
				t.Errorf("Missing() = %q, want none", got)
			}
		})
		t.Run("SatisfiedByNotesAlone_"+p.Value, func(t *testing.T) {
			t.Parallel()
			a := completeArchitecture()
			*archParts[p.Value](&a) = ArchPart{Notes: "See the whiteboard photo."}
			if got := a.Missing(); len(got) != 0 {
				t.Errorf("Missing() = %q, want none", got)
			}
		})
		t.Run("MissingWhenEmpty_"+p.Value, func(t *testing.T) {
			t.Parallel()
			a := completeArchitecture()
			*archParts[p.Value](&a) = ArchPart{}
			got := a.Missing()
			if len(got) != 1 || !strings.Contains(strings.ToLower(got[0]), strings.ToLower(p.Label)) {
				t.Errorf("Missing() = %q, want one line naming %q", got, p.Label)
			}
		})
	}
	signOff := map[string]func(*Architecture){
		"Name":  func(a *Architecture) { a.SignOffName = "" },
		"Title": func(a *Architecture) { a.SignOffTitle = "" },
		"Date":  func(a *Architecture) { a.SignOffOn = "" },
	}
	for name, clear := range signOff {
		t.Run("SignOffNeeds"+name, func(t *testing.T) {
			t.Parallel()
			a := completeArchitecture()
			clear(&a)
			got := a.Missing()
			if len(got) != 1 || !strings.Contains(strings.ToLower(got[0]), "sign-off") {
				t.Errorf("Missing() = %q, want one line asking for the sign-off", got)
			}
		})
	}
}

func TestArchitectureValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Architecture)
		fields []string
	}{
		{"OKComplete", func(*Architecture) {}, nil},
		{"OKEmpty", func(a *Architecture) { *a = Architecture{} }, nil},
		{"OKHTTPSLinkWithPathAndQuery", func(a *Architecture) { a.DocLink = "https://docs.example.com/a/b?c=d#e" }, nil},
		{"OKSignOffOnKickoffDay", func(a *Architecture) { a.SignOffOn = "2026-03-05" }, nil},
		{"OKSignOffToday", func(a *Architecture) { a.SignOffOn = "2026-03-20" }, nil},
		{"OKNotesAtLimit", func(a *Architecture) { a.Scale.Notes = strings.Repeat("é", maxText) }, nil},
		{"OKSignOffNameAtLimit", func(a *Architecture) { a.SignOffName = strings.Repeat("n", 200) }, nil},
		{"DocLinkJavascript", func(a *Architecture) { a.DocLink = "javascript:alert(1)" }, []string{"doc_link"}},
		{"DocLinkFTP", func(a *Architecture) { a.DocLink = "ftp://files.example.com/arch.pdf" }, []string{"doc_link"}},
		{"DocLinkMissingHost", func(a *Architecture) { a.DocLink = "https:///arch" }, []string{"doc_link"}},
		{"DocLinkSchemeOnly", func(a *Architecture) { a.DocLink = "https://" }, []string{"doc_link"}},
		{"DocLinkWithoutScheme", func(a *Architecture) { a.DocLink = "wiki.example.com/arch" }, []string{"doc_link"}},
		{"DocLinkData", func(a *Architecture) { a.DocLink = "data:text/html,<script>alert(1)</script>" }, []string{"doc_link"}},
		{"PartLinkJavascript", func(a *Architecture) { a.Diagrams.Link = "javascript:alert(document.cookie)" }, []string{"diagrams.link"}},
		{"PartLinkFTP", func(a *Architecture) { a.Integrations.Link = "ftp://files.example.com/list.csv" }, []string{"integrations.link"}},
		{"PartLinkMissingHost", func(a *Architecture) { a.Scale.Link = "http:/scale" }, []string{"scale.link"}},
		{"EveryBadLinkAtOnce", func(a *Architecture) {
			a.DocLink = "javascript:void(0)"
			for _, p := range ArchParts {
				archParts[p.Value](a).Link = "ftp://x.example.com"
			}
		}, []string{"doc_link", "diagrams.link", "data_flows.link", "identity.link", "integrations.link", "scale.link"}},
		{"SignOffDateFormat", func(a *Architecture) { a.SignOffOn = "18/03/2026" }, []string{"sign_off_on"}},
		{"SignOffDateNotADay", func(a *Architecture) { a.SignOffOn = "2026-02-30" }, []string{"sign_off_on"}},
		{"SignOffDateFuture", func(a *Architecture) { a.SignOffOn = "2026-03-21" }, []string{"sign_off_on"}},
		{"SignOffDateBeforeKickoff", func(a *Architecture) { a.SignOffOn = "2026-03-04" }, []string{"sign_off_on"}},
		{"NotesTooLong", func(a *Architecture) { a.Identity.Notes = strings.Repeat("x", maxText+1) }, []string{"identity.notes"}},
		{"SummaryTooLong", func(a *Architecture) { a.Summary = strings.Repeat("x", maxText+1) }, []string{"summary"}},
		{"SignOffNameTooLong", func(a *Architecture) { a.SignOffName = strings.Repeat("n", 201) }, []string{"sign_off_name"}},
		{"SignOffTitleTooLong", func(a *Architecture) { a.SignOffTitle = strings.Repeat("t", 201) }, []string{"sign_off_title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := completeArchitecture()
			tt.change(&a)
			wantInvalidFieldSet(t, a.Validate(archKickoff, archToday), tt.fields...)
		})
	}
}

func TestArchitectureCheckLock(t *testing.T) {
	t.Parallel()
	t.Run("OKWhenComplete", func(t *testing.T) {
		t.Parallel()
		if err := completeArchitecture().CheckLock(nil); err != nil {
			t.Errorf("CheckLock() = %v, want nil", err)
		}
	})
	t.Run("EINVALIDListsEverythingMissing", func(t *testing.T) {
		t.Parallel()
		a := Architecture{}
		err := a.CheckLock(nil)
		if code := ErrorCode(err); code != EINVALID {
			t.Fatalf("CheckLock() = %v (code %q), want %q", err, code, EINVALID)
		}
		msg := ErrorMessage(err)
		missing := a.Missing()
		if len(missing) != 6 {
			t.Fatalf("Missing() = %q, want 6 lines", missing)
		}
		for _, m := range missing {
			if !strings.Contains(msg, m) {
				t.Errorf("message %q does not say %q", msg, m)
			}
		}
	})
	t.Run("EINVALIDListsOnlyWhatIsMissing", func(t *testing.T) {
		t.Parallel()
		a := completeArchitecture()
		a.DataFlows = ArchPart{}
		err := a.CheckLock(nil)
		if code := ErrorCode(err); code != EINVALID {
			t.Fatalf("CheckLock() = %v (code %q), want %q", err, code, EINVALID)
		}
		msg := strings.ToLower(ErrorMessage(err))
		if !strings.Contains(msg, "data flows") {
			t.Errorf("message %q does not name the data flows", msg)
		}
		if strings.Contains(msg, "diagrams") || strings.Contains(msg, "sign-off") {
			t.Errorf("message %q names parts that are present", msg)
		}
	})
}
