package demo

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// Handoff accuracy in the demo (docs/design.md, "After the lock"): most
// locked packs were assessed by their SA at the lock or within days of it, so
// the stats have a score per SE and a trend per quarter; the rest wait, so
// the "assess" prompt shows. Accuracy varies a little by SE, and one SE's
// handoffs miss noticeably more, so the per-SE table has something to say.

const (
	// assessedShare is the share of locked packs the SA has assessed.
	assessedShare = 0.85
	// missRate is how often an item of average weight, by an SE of average
	// care, is not held as handed off; wrongShare of those were wrong
	// rather than under-scoped.
	missRate   = 0.12
	wrongShare = 0.3
	// surfacedRate is how often something surfaced that the pack missed
	// (about a third of assessments); twoSurfaced of those had two things.
	surfacedRate = 0.3
	twoSurfaced  = 0.3
	// weakMisses is how many times more the weak SE's handoffs miss.
	weakMisses = 2.2
)

// surfacedThings are what surfaced after handoffs, of every kind and
// severity.
var surfacedThings = []handoff.Surfaced{
	{Kind: "requirement", Description: "Their auditors need seven years of audit-log retention; the pack assumed one.", Severity: "medium"},
	{Kind: "stakeholder", Description: "A data protection officer with a veto on the EU rollout was not in the stakeholder map.", Severity: "high"},
	{Kind: "commitment", Description: "The AE promised a free sandbox tenant in a follow-up email after signature.", Severity: "low"},
	{Kind: "risk", Description: "Their Okta tenant moves to Entra ID next quarter, in the middle of the rollout.", Severity: "medium"},
	{Kind: "requirement", Description: "Reports must be available in German and French for the works council.", Severity: "low"},
	{Kind: "stakeholder", Description: "Procurement owns vendor onboarding and sent a second security questionnaire.", Severity: "low"},
	{Kind: "commitment", Description: "Support in their time zone was promised on the kickoff call by the AE.", Severity: "medium"},
	{Kind: "risk", Description: "Their network team blocks outbound webhooks; every integration needs an allow-list change.", Severity: "high"},
	{Kind: "other", Description: "Their project manager is part time until their reorganisation ends.", Severity: "low"},
	{Kind: "requirement", Description: "Private connectivity is mandatory for production data; the POC ran over the internet.", Severity: "high"},
}

// weakSE is the SE whose handoffs miss more: the first generated SE, so
// none of the demo logins, whom people try first, is singled out.
func weakSE(st staff) int64 {
	demo := map[int64]bool{}
	for _, p := range st.demoSEs {
		demo[p.id] = true
	}
	for _, p := range st.ses {
		if !demo[p.id] {
			return p.id
		}
	}
	return st.ses[len(st.ses)-1].id
}

// misses is how much more (or less) than average the SE's handoffs miss:
// between 0.75 and 1.25, fixed per SE by their id so it needs no draw from
// the generator's random numbers, and weakMisses for the weak SE.
func (g *generator) misses(se int64) float64 {
	if se == g.weakSE {
		return weakMisses
	}
	h := uint64(se) * 0x9e3779b97f4a7c15
	return 0.75 + 0.5*float64(h>>11)/(1<<53)
}

// assess records, for most locked packs, the SA's assessment at the lock of
// the accepted documents, on the lock day or up to five days later, with its
// history line, as postgres.SaveAssessment does.
func (g *generator) assess(b *batch, pk *packRow, p plan, accepted handoff.Documents, lockAt time.Time) {
	r := g.rng
	if r.Float64() >= assessedShare {
		return
	}
	day := deadline.DayOf(lockAt, g.loc)
	if r.IntN(5) >= 2 {
		day = day.AddDays(1 + r.IntN(5))
	}
	if day.After(g.today) {
		day = g.today
	}
	at := g.on(day, lockAt)
	if !g.past(at) {
		return // locked moments ago: not assessed yet
	}
	miss := g.misses(p.se.id)
	items := handoff.AssessItems(accepted)
	a := handoff.Assessment{Stage: handoff.StageLock, Marks: make(map[string]handoff.Mark, len(items)), Surfaced: []handoff.Surfaced{}}
	for _, it := range items {
		w := g.lib.words[it.Key]
		m := handoff.Mark{Verdict: handoff.VerdictHeld}
		if r.Float64() < min(0.9, missRate*w.missWeight*miss) {
			if r.Float64() < wrongShare {
				m = handoff.Mark{Verdict: handoff.VerdictWrong, Note: pick(r, w.wrong)}
			} else {
				m = handoff.Mark{Verdict: handoff.VerdictUnderScoped, Note: pick(r, w.underScoped)}
			}
		}
		a.Marks[it.Key] = m
	}
	if r.Float64() < min(0.8, surfacedRate*miss) {
		n := 1
		if r.Float64() < twoSurfaced {
			n = 2
		}
		a.Surfaced = append(a.Surfaced, pickN(r, surfacedThings, n)...)
	}
	// The app's own check, which also normalises what is stored: a failure
	// is a programming error in the words above.
	if err := handoff.CheckAssessment(&a, items); err != nil {
		panic(fmt.Sprintf("demo: assessment of pack %d: %v", pk.id, err))
	}
	data, err := json.Marshal(a)
	if err != nil {
		panic(fmt.Sprintf("demo: marshal assessment of pack %d: %v", pk.id, err))
	}
	c := a.Counts(items)
	b.assessed = append(b.assessed, assessmentRow{packID: pk.id, data: data, counts: c, se: p.se.id, on: deadline.DayOf(at, g.loc), by: p.sa.id, at: at})
	pk.version++
	g.event(pk.id, at, p.sa.id, handoff.AssessedEvent(handoff.StageLock, c, false))
	g.sum.Assessed++
}
