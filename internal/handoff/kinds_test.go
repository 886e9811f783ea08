package handoff

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// TestDocSpecs walks every registered kind of document through each question
// the domain answers about it, so a kind registered with a part missing fails
// here rather than on a request. completeDocs must fill every kind.
func TestDocSpecs(t *testing.T) {
	t.Parallel()
	specs := DocSpecs()
	if len(specs) == 0 {
		t.Fatal("no document kinds registered")
	}
	kinds := make([]DocKind, len(specs))
	for i, s := range specs {
		kinds[i] = s.Kind()
	}
	if !slices.Equal(kinds, DocKinds) {
		t.Errorf("DocKinds = %q, want the registry's order %q", DocKinds, kinds)
	}
	if missing := completeDocs().Missing(); len(missing) != len(specs) {
		t.Errorf("Missing() reports %d documents, want %d", len(missing), len(specs))
	}
	stored, err := json.Marshal(completeDocs())
	if err != nil {
		t.Fatal(err)
	}
	var byKind map[string]json.RawMessage
	if err := json.Unmarshal(stored, &byKind); err != nil {
		t.Fatal(err)
	}
	if len(byKind) != len(specs) {
		t.Errorf("Documents encodes %d parts, want one per kind (%d): add its field and its entry together", len(byKind), len(specs))
	}

	for _, s := range specs {
		t.Run(string(s.Kind()), func(t *testing.T) {
			t.Parallel()
			full, zero := completeDocs(), Documents{}

			t.Run("Names", func(t *testing.T) {
				if s.Title() == "" || s.Purpose() == "" {
					t.Errorf("title %q, purpose %q: both must be set", s.Title(), s.Purpose())
				}
				if k, ok := ParseDocKind(string(s.Kind())); !ok || k != s.Kind() {
					t.Errorf("ParseDocKind(%q) = %q, %v", s.Kind(), k, ok)
				}
				if s.Kind().Title() != s.Title() || s.Kind().Purpose() != s.Purpose() {
					t.Errorf("the kind's Title/Purpose differ from its spec's")
				}
			})

			t.Run("Codec", func(t *testing.T) {
				for name, d := range map[string]Documents{"Zero": zero, "Complete": full} {
					data, err := s.Encode(d)
					if err != nil {
						t.Fatalf("%s: encode: %v", name, err)
					}
					got := completeDocs()
					if name == "Complete" {
						got = Documents{}
					}
					if err := s.Decode(&got, data); err != nil {
						t.Fatalf("%s: decode %s: %v", name, data, err)
					}
					again, _ := s.Encode(got)
					if !bytes.Equal(again, data) {
						t.Errorf("%s: round trip gave %s, want %s", name, again, data)
					}
					// The other documents are left alone.
					for _, o := range DocSpecs() {
						if o.Kind() == s.Kind() {
							continue
						}
						want := completeDocs()
						if name == "Complete" {
							want = Documents{}
						}
						if a, b := encode(t, o, got), encode(t, o, want); !bytes.Equal(a, b) {
							t.Errorf("%s: decoding %s changed %s: %s, want %s", name, s.Kind(), o.Kind(), a, b)
						}
					}
				}
				// The whole pack (versions, lists) stores each part under
				// the kind's name, exactly as the kind encodes it alone.
				if a, b := []byte(byKind[string(s.Kind())]), encode(t, s, full); !bytes.Equal(a, b) {
					t.Errorf("Documents stores %s as %s, the kind encodes %s", s.Kind(), a, b)
				}
				var copied Documents
				s.Copy(&copied, full)
				if a, b := encode(t, s, copied), encode(t, s, full); !bytes.Equal(a, b) {
					t.Errorf("Copy gave %s, want %s", a, b)
				}
			})

			t.Run("Validate", func(t *testing.T) {
				for name, d := range map[string]Documents{"Zero": zero, "Complete": full} {
					if err := s.Validate(d); err != nil {
						t.Errorf("%s: Validate = %v (fields %q)", name, err, InvalidFields(err))
					}
					if err := s.Prepare(&d); err != nil {
						t.Errorf("%s: Prepare = %v (fields %q)", name, err, InvalidFields(err))
					}
				}
			})

			t.Run("Missing", func(t *testing.T) {
				if m := s.Missing(zero); len(m) == 0 {
					t.Error("an empty document is complete; want what it needs, in words")
				}
				if m := s.Missing(full); len(m) != 0 {
					t.Errorf("completeDocs() misses %q", m)
				}
				if got, want := zero.Missing()[s.Kind()], s.Missing(zero); !slices.Equal(got, want) {
					t.Errorf("Documents.Missing()[%s] = %q, the spec says %q", s.Kind(), got, want)
				}
			})

			t.Run("Diff", func(t *testing.T) {
				if c := s.Diff(full, completeDocs()); c != nil {
					t.Errorf("equal documents differ: %+v", c)
				}
				if c := s.Diff(zero, zero); c != nil {
					t.Errorf("empty documents differ: %+v", c)
				}
				changes := s.Diff(zero, full)
				if len(changes) == 0 {
					t.Error("an empty and a complete document do not differ")
				}
				for _, c := range changes {
					if c.Doc != s.Kind() {
						t.Errorf("change %+v names %s", c, c.Doc)
					}
				}
			})

			t.Run("Rows", func(t *testing.T) {
				d := completeDocs()
				rows := s.Rows(&d)
				if rows == nil {
					return // fixed rows
				}
				n := rows.Len()
				if n == 0 {
					t.Fatal("completeDocs() has no rows here")
				}
				for i := range n {
					*rows.ID(i) = ""
				}
				if err := s.Prepare(&d); err != nil {
					t.Fatalf("Prepare = %v", err)
				}
				rows = s.Rows(&d)
				for i := range n {
					if id := *rows.ID(i); !ValidRowID(id) {
						t.Errorf("row %d got id %q", i, id)
					}
				}
				rows.Remove(-1)
				rows.Remove(n)
				if rows.Len() != n {
					t.Errorf("removing a row out of range changed the list to %d rows", rows.Len())
				}
				if !rows.Add() || rows.Len() != n+1 || *rows.ID(n) != "" {
					t.Errorf("Add did not append one blank row")
				}
				rows.Remove(0)
				if rows.Len() != n {
					t.Errorf("Remove(0) left %d rows, want %d", rows.Len(), n)
				}
				for rows.Len() < MaxRows {
					rows.Add()
				}
				if rows.Add() {
					t.Errorf("Add took a row past MaxRows")
				}
			})
		})
	}
}

func encode(t *testing.T, s DocSpec, d Documents) []byte {
	t.Helper()
	b, err := s.Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocKindSpecUnknown(t *testing.T) {
	t.Parallel()
	if _, ok := DocKind("budget").Spec(); ok {
		t.Error("an unregistered kind has a spec")
	}
	if got := DocKind("budget").Purpose(); got != "" {
		t.Errorf("Purpose = %q, want empty", got)
	}
}

// TestDocSpecPrepare covers what Prepare does beyond validation: defaults and
// typed values, which the forms rely on.
func TestDocSpecPrepare(t *testing.T) {
	t.Parallel()
	spec := func(k DocKind) DocSpec {
		s, ok := k.Spec()
		if !ok {
			t.Fatalf("%s not registered", k)
		}
		return s
	}
	commitment := func(amount, currency string) Documents {
		return Documents{Commitments: Commitments{Items: []Commitment{
			{Kind: "sla", Description: "Uptime", Evidence: "roadmap", Amount: amount, Value: Money{Currency: currency}},
		}}}
	}
	t.Run("RiskWithoutStatusIsOpen", func(t *testing.T) {
		d := Documents{Risks: Risks{Items: []Risk{{Category: "other", Description: "d", Severity: "low"}}}}
		if err := spec(DocRisks).Prepare(&d); err != nil {
			t.Fatal(err)
		}
		if got := d.Risks.Items[0].Status; got != "open" {
			t.Errorf("status = %q, want open", got)
		}
		if !ValidRowID(d.Risks.Items[0].ID) {
			t.Errorf("id = %q, want a new row id", d.Risks.Items[0].ID)
		}
	})
	t.Run("TypedAmountBecomesValue", func(t *testing.T) {
		d := commitment("40,000.50", "EUR")
		if err := spec(DocCommitments).Prepare(&d); err != nil {
			t.Fatal(err)
		}
		if got, want := d.Commitments.Items[0].Value, (Money{Minor: 4000050, Currency: "EUR"}); got != want {
			t.Errorf("value = %+v, want %+v", got, want)
		}
	})
	t.Run("NoAmountIsNoValue", func(t *testing.T) {
		d := commitment("", "EUR")
		if err := spec(DocCommitments).Prepare(&d); err != nil {
			t.Fatal(err)
		}
		if got := d.Commitments.Items[0].Value; got != (Money{}) {
			t.Errorf("value = %+v, want none", got)
		}
	})
	t.Run("ErrAmountWithoutCurrency", func(t *testing.T) {
		d := commitment("40000", "")
		wantFieldKeys(t, spec(DocCommitments).Prepare(&d), map[string]string{"items.0.currency": "Say which currency"})
	})
	t.Run("ErrAmountNotANumber", func(t *testing.T) {
		d := commitment("lots", "USD")
		wantFieldKeys(t, spec(DocCommitments).Prepare(&d), map[string]string{"items.0.amount": "Enter an amount"})
	})
	t.Run("ShowTypedWritesAmountsBack", func(t *testing.T) {
		d := Documents{Commitments: Commitments{Items: []Commitment{{Value: Money{Minor: 1250, Currency: "GBP"}}, {}}}}
		spec(DocCommitments).ShowTyped(&d)
		if a, b := d.Commitments.Items[0].Amount, d.Commitments.Items[1].Amount; a != "12.50" || b != "" {
			t.Errorf("amounts = %q, %q; want 12.50 and none", a, b)
		}
	})
}
