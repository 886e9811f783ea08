package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// Correcting a deal's facts (README.md) through the real router.

// dealForm reads the correction form as c sees it: every field's value.
func dealForm(t *testing.T, c *servertest.Client, path string) url.Values {
	t.Helper()
	res := c.Get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	form := url.Values{}
	res.Doc().Find(`[data-testid=deal-form] input`).Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		v, _ := in.Attr("value")
		form.Set(name, v)
	})
	seg, _ := res.Doc().Find(`[data-testid=deal-form] select[name=segment] option[selected]`).Attr("value")
	form.Set("segment", seg)
	return form
}

func (e *packEnv) deal(t *testing.T) *handoff.Pack {
	t.Helper()
	p, err := e.DB.Pack(context.Background(), e.alex, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCorrectDealBeforeSubmission(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	dealPath := e.path("/deal")

	t.Run("FormIsPrefilled", func(t *testing.T) {
		if link, _ := sam.Get(e.path("")).Doc().Find("[data-testid=correct-deal]").Attr("href"); link != dealPath {
			t.Errorf("the pack page links the correction as %q", link)
		}
		form := dealForm(t, sam, dealPath)
		for k, want := range map[string]string{"account_name": "Acme Corp", "opportunity_name": "Acme Corp platform",
			"segment": "enterprise", "arr": "120000", "currency": "USD", "closed_won_on": "2026-11-25"} {
			if got := form.Get(k); got != want {
				t.Errorf("%s prefilled with %q, want %q", k, got, want)
			}
		}
		if form.Get("fingerprint") == "" {
			t.Error("no fingerprint on the form")
		}
	})

	t.Run("ErrBadValuesKeepWhatWasTyped", func(t *testing.T) {
		form := dealForm(t, sam, dealPath)
		form.Set("arr", "180k")
		form.Set("closed_won_on", "2099-01-01")
		form.Set("account_name", "Acme Corporation")
		res := sam.PostForm(dealPath, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad correction = %d, want 422", res.StatusCode)
		}
		if msg := res.Text("#f-arr-error"); !strings.Contains(msg, "Write the amount in full") {
			t.Errorf("ARR message = %q", msg)
		}
		if msg := res.Text("#f-closed_won_on-error"); !strings.Contains(msg, "future") {
			t.Errorf("Closed-Won message = %q", msg)
		}
		doc := res.Doc()
		for k, want := range map[string]string{"arr": "180k", "closed_won_on": "2099-01-01", "account_name": "Acme Corporation"} {
			if v, _ := doc.Find("#f-" + k).Attr("value"); v != want {
				t.Errorf("%s came back as %q, want %q", k, v, want)
			}
		}
		if p := e.deal(t); p.Deal.AccountName != "Acme Corp" {
			t.Errorf("a refused correction changed the deal: %+v", p.Deal)
		}
	})

	t.Run("AmountsAsPeopleTypeThem", func(t *testing.T) {
		for _, arr := range []string{"180,000.00", "$180,000"} {
			form := dealForm(t, sam, dealPath)
			form.Set("arr", arr)
			form.Set("ae_name", "Ana Ae "+arr)
			res := sam.PostForm(dealPath, form)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("ARR %q = %d\n%s", arr, res.StatusCode, res.Text(".field-error"))
			}
			if p := e.deal(t); p.Deal.ARR != (handoff.Money{Minor: 18_000_000, Currency: "USD"}) {
				t.Errorf("ARR %q stored as %+v", arr, p.Deal.ARR)
			}
		}
		if h := sam.Get(e.path("")).Text("[data-testid=history]"); !strings.Contains(h, "Corrected the deal: ARR USD 120,000.00 → USD 180,000.00") {
			t.Errorf("history = %q", h)
		}
	})

	t.Run("ClosedWonMovesTheOpenClocks", func(t *testing.T) {
		before := e.deal(t)
		form := dealForm(t, sam, dealPath)
		form.Set("closed_won_on", "2026-11-20")
		if res := sam.PostForm(dealPath, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("correct Closed-Won = %d", res.StatusCode)
		}
		after := e.deal(t)
		if !after.PackDueOn.Before(before.PackDueOn) || !after.KickoffDueOn.Before(before.KickoffDueOn) {
			t.Errorf("due dates %v, %v → %v, %v: want both earlier", before.PackDueOn, before.KickoffDueOn, after.PackDueOn, after.KickoffDueOn)
		}
		page := sam.Get(e.path(""))
		if h := page.Text("[data-testid=history]"); !strings.Contains(h, "Closed-Won 2026-11-25 → 2026-11-20") ||
			!strings.Contains(h, "pack due "+before.PackDueOn.Format("2006-01-02")+" → "+after.PackDueOn.Format("2006-01-02")) {
			t.Errorf("history = %q", h)
		}
		if c := page.Text("[data-testid=clock-pack]"); !strings.Contains(c, after.PackDueOn.Format("2006-01-02")) {
			t.Errorf("pack clock = %q", c)
		}
		if page.Doc().Find("[data-testid=corrections]").Length() != 0 {
			t.Error("a draft's corrections are shown as corrections since submission")
		}
	})

	t.Run("ErrOvertakenByAnotherCorrection", func(t *testing.T) {
		stale := dealForm(t, sam, dealPath)
		morgan := e.Login("morgan@example.com")
		first := dealForm(t, morgan, dealPath)
		first.Set("csm_name", "Casey Csm")
		if res := morgan.PostForm(dealPath, first); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("manager's correction = %d", res.StatusCode)
		}
		stale.Set("opportunity_name", "Typed on an old form")
		res := sam.PostForm(dealPath, stale)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("overtaken correction = %d, want 409", res.StatusCode)
		}
		if v, _ := res.Doc().Find("#f-opportunity_name").Attr("value"); v != "Typed on an old form" {
			t.Errorf("typed value came back as %q", v)
		}
		if p := e.deal(t); p.Deal.OpportunityName == "Typed on an old form" || p.Deal.CSM.Name != "Casey Csm" {
			t.Errorf("deal after = %+v", p.Deal)
		}
	})
}

func TestCorrectDealAfterSubmission(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.submitted(t)
	sam, alex, morgan := e.Login("sam@example.com"), e.Login("alex@example.com"), e.Login("morgan@example.com")
	dealPath := e.path("/deal")

	t.Run("ErrSENoLonger", func(t *testing.T) {
		if sam.Get(e.path("")).Doc().Find("[data-testid=correct-deal]").Length() != 0 {
			t.Error("the SE is offered a correction after submission")
		}
		refusedWith(t, sam, sam.Get(dealPath), e.path(""), "Ask a manager to correct them.")
		refusedWith(t, sam, sam.PostForm(dealPath, url.Values{"account_name": {"X"}}), e.path(""), "Ask a manager to correct them.")
	})

	t.Run("ErrSANever", func(t *testing.T) {
		if got := alex.Get(dealPath).StatusCode; got == http.StatusOK {
			t.Errorf("the SA reached the correction form (%d)", got)
		}
	})

	t.Run("ManagerCorrectsAndTheSASeesIt", func(t *testing.T) {
		before := e.deal(t)
		form := dealForm(t, morgan, dealPath)
		form.Set("arr", "$150,000")
		form.Set("closed_won_on", "2026-11-24")
		if res := morgan.PostForm(dealPath, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("manager's correction = %d\n%s", res.StatusCode, res.Text(".field-error"))
		}
		after := e.deal(t)
		if !after.PackDueOn.Equal(before.PackDueOn) {
			t.Errorf("the met pack clock moved: %v → %v", before.PackDueOn, after.PackDueOn)
		}
		if !after.KickoffDueOn.Before(before.KickoffDueOn) {
			t.Errorf("the running kickoff clock did not follow: %v → %v", before.KickoffDueOn, after.KickoffDueOn)
		}
		notice := alex.Get(e.path("")).Text("[data-testid=corrections]")
		if !strings.Contains(notice, "ARR USD 120,000.00 → USD 150,000.00") || !strings.Contains(notice, "Closed-Won 2026-11-25 → 2026-11-24") ||
			!strings.Contains(notice, "Morgan Lee") {
			t.Errorf("the SA's notice = %q", notice)
		}
	})

	t.Run("AdminToo", func(t *testing.T) {
		ada := e.Login("ada@example.com")
		form := dealForm(t, ada, dealPath)
		form.Set("crm_opportunity_id", "006CORRECTED")
		if res := ada.PostForm(dealPath, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin's correction = %d", res.StatusCode)
		}
		if p := e.deal(t); p.Deal.CRMOpportunityID != "006CORRECTED" {
			t.Errorf("CRM id = %q", p.Deal.CRMOpportunityID)
		}
	})
}
