package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Adding or removing a row answers with the whole form again; without a
// fragment the browser shows its top, far from the row. The buttons post to
// the form's action plus "#row-N", and each row carries that id.
func TestRowButtonsComeBackAtTheRow(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	action := e.path("/documents/stakeholders")

	formaction := func(doc *goquery.Document, sel string) string {
		t.Helper()
		v, ok := doc.Find(sel).Attr("formaction")
		if !ok {
			t.Fatalf("%s has no formaction", sel)
		}
		return v
	}

	t.Run("AddComesBackAtTheNewRow", func(t *testing.T) {
		doc := sam.Get(action).Doc()
		if doc.Find("fieldset#row-0").Length() != 1 {
			t.Fatal("the first row has no id row-0")
		}
		if got := formaction(doc, `button[value="add"]`); got != action+"#row-1" {
			t.Errorf("add posts to %q, want %q", got, action+"#row-1")
		}
		res := e.save(t, sam, handoff.DocStakeholders, url.Values{"rows": {"1"}, "people.0.name": {"Carla"}, "action": {"add"}})
		doc = res.Doc()
		if res.StatusCode != http.StatusOK || doc.Find("fieldset#row-1").Length() != 1 {
			t.Fatalf("after adding: %d, row-1 present %d", res.StatusCode, doc.Find("fieldset#row-1").Length())
		}
		if got := formaction(doc, `button[value="add"]`); got != action+"#row-2" {
			t.Errorf("the next add posts to %q", got)
		}
	})
	t.Run("RemoveComesBackAtTheRowInItsPlace", func(t *testing.T) {
		// Three rows (adding to two); nothing is saved.
		doc := e.save(t, sam, handoff.DocStakeholders, url.Values{"rows": {"2"}, "action": {"add"}}).Doc()
		for i, want := range []string{"#row-0", "#row-1", "#row-1"} {
			sel := `button[name="remove"][value="` + string(rune('0'+i)) + `"]`
			if got := formaction(doc, sel); got != action+want {
				t.Errorf("remove row %d posts to %q, want %q", i, got, action+want)
			}
		}
		one := sam.Get(action).Doc()
		if got := formaction(one, `button[name="remove"][value="0"]`); got != action+"#add-row" || one.Find("#add-row").Length() != 1 {
			t.Errorf("removing the only row posts to %q", got)
		}
	})
}

// After a save the pack page opens at its confirmation, not at the
// document's card below it.
func TestSaveOpensAtTheConfirmation(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	res := e.save(t, sam, handoff.DocRisks, url.Values{"no_known_risks": {"1"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || loc != e.path("#flash") {
		t.Fatalf("save = %d to %q, want 303 to %s", res.StatusCode, loc, e.path("#flash"))
	}
	if got := sam.Get(loc).Text("#flash"); !strings.Contains(got, "Saved the Risk log") {
		t.Errorf("#flash = %q", got)
	}
}

// Documents are listed in the order they are filled in: the stakeholder map
// before the MEDDPICC scorecard, which names people from it.
func TestPackListsDocumentsInTheOrderTheyAreFilled(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	var got []string
	sam.Get(e.path("")).Doc().Find(`li.doc[data-testid^="doc-"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		got = append(got, strings.TrimPrefix(id, "doc-"))
	})
	want := "stakeholders,meddpicc,poc,commitments,risks"
	if strings.Join(got, ",") != want {
		t.Errorf("documents on the pack page: %v, want %s", got, want)
	}
}

// A choice left empty reads the same in the form and in the version view,
// and the risk status offers "Open" once: it is the default, not a blank.
func TestChoicesReadTheSameInFormAndView(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")

	risks := sam.Get(e.path("/documents/risks")).Doc()
	var opts []string
	risks.Find(`select[name="items.0.status"] option`).Each(func(_ int, s *goquery.Selection) { opts = append(opts, s.Text()) })
	if strings.Join(opts, ",") != "Open,Mitigated,Accepted" {
		t.Errorf("risk status options = %q, want Open once and no blank", opts)
	}

	stake := sam.Get(e.path("/documents/stakeholders")).Doc()
	if got := stake.Find(`select[name="people.0.sentiment"] option[value=""]`).Text(); got != "Not known" {
		t.Errorf("blank sentiment in the form = %q", got)
	}
	// Fill everything with no sentiment for Carla, submit, read v1.
	forms := completeForms()
	forms[handoff.DocStakeholders].Del("people.0.sentiment")
	if res := e.save(t, sam, handoff.DocStakeholders, forms[handoff.DocStakeholders]); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("stakeholders = %d", res.StatusCode)
	}
	doc := sam.Get(e.path("/documents/meddpicc")).Doc()
	champ, _ := doc.Find(`select[name="meddpicc.champion.person_id"] option:contains("Carla")`).Attr("value")
	eb, _ := doc.Find(`select[name="meddpicc.economic_buyer.person_id"] option:contains("Evan")`).Attr("value")
	forms = completeForms(champ, eb)
	for _, k := range []handoff.DocKind{handoff.DocMEDDPICC, handoff.DocPOC, handoff.DocCommitments, handoff.DocRisks} {
		if res := e.save(t, sam, k, forms[k]); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s = %d\n%s", k, res.StatusCode, res.Body)
		}
	}
	if res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d\n%s", res.StatusCode, res.Body)
	}
	row := sam.Get(e.path("/versions/1")).Doc().Find(`[data-testid="view-stakeholders"] tr:contains("Carla Champion")`).Text()
	if !strings.Contains(row, "Not known") || strings.Contains(row, "Not set") {
		t.Errorf("Carla's row in v1 = %q, want her sentiment \"Not known\"", row)
	}
}

// An economic buyer the stakeholder map calls a technical buyer is named on
// the pack page as something to fix, and blocks the submission.
func TestEconomicBuyerMappedAsTechnicalBuyerIsFlagged(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	forms := completeForms()
	if res := e.save(t, sam, handoff.DocStakeholders, forms[handoff.DocStakeholders]); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("stakeholders = %d", res.StatusCode)
	}
	doc := sam.Get(e.path("/documents/meddpicc")).Doc()
	champ, _ := doc.Find(`select[name="meddpicc.champion.person_id"] option:contains("Carla")`).Attr("value")
	tess, _ := doc.Find(`select[name="meddpicc.economic_buyer.person_id"] option:contains("Tess")`).Attr("value")
	if res := e.save(t, sam, handoff.DocMEDDPICC, completeForms(champ, tess)[handoff.DocMEDDPICC]); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("meddpicc = %d\n%s", res.StatusCode, res.Body)
	}
	got := sam.Get(e.path("")).Text(`[data-testid="doc-meddpicc"]`)
	if !strings.Contains(got, "Tess Tech, the economic buyer you chose, has the role Technical buyer") {
		t.Errorf("MEDDPICC on the pack page = %q", got)
	}
}
