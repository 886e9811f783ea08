package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// Life after the lock in the demo (README.md, "After the lock"): most
// acknowledged and locked accounts reach first value and their SA records
// it; a good handoff gets there sooner, so the stats page's comparisons have
// something to show. Strategic accounts, by segment or a manager's mark,
// hold quarterly pod reviews once locked, mostly on time, and most of them
// are on track. Due days come from the clock model (deadline.Calendar.DueDates,
// deadline.NextPodReview), never from arithmetic of the demo's own.

const (
	// fvMedianDays is the median of kickoff → first value, in calendar
	// days, of an account handed off on time and locked in time; fvSpread
	// is the log-normal spread around it.
	fvMedianDays = 50
	fvSpread     = 0.35
	// lateHandoffStretch stretches the deployment of an account whose pack
	// was submitted late: the SA finds out on the job what the pack should
	// have said. With the later kickoff that makes on-time handoffs reach
	// first value about a fifth sooner.
	lateHandoffStretch = 1.17
	// Without the architecture locked in time go-live slips 45 to 60 days.
	lateLockSlipMin, lateLockSlipMax = 45, 60
	// stalledShare of accounts have not reached first value however long
	// ago they were won; unrecordedShare reached it but their SA has not
	// recorded it (both are deployment debt once old enough). An account
	// whose architecture was never locked stalls half the time.
	stalledShare    = 0.04
	unrecordedShare = 0.03
	// sameDayRecord is the share of SAs who record first value the day it
	// happened; the others do within a week.
	sameDayRecord = 0.45

	// markedEnterprise and markedMidMarket are the shares of accounts of
	// those segments a manager marks strategic.
	markedEnterprise = 0.05
	markedMidMarket  = 0.01
	// lateReview is the share of pod reviews held after their due day;
	// stalledPod the share of strategic accounts whose reviews stop (the
	// clock then runs overdue); multiYear the share on three-year terms.
	lateReview = 0.3
	stalledPod = 0.05
	multiYear  = 0.3
)

// podPlan is one pod review of a showcase account: held late days after
// its due day (negative: early), with the posture it found.
type podPlan struct {
	late    int
	posture handoff.Posture
}

// markStrategic has a manager mark the account strategic, a few days after
// it was won, for a few accounts not in the strategic segment (the showcase
// says which), and reports whether it did.
func (g *generator) markStrategic(pk *packRow, p plan, seg handoff.Segment, created time.Time) bool {
	r := g.rng
	share := 0.0
	switch seg {
	case handoff.SegmentEnterprise:
		share = markedEnterprise
	case handoff.SegmentMidMarket:
		share = markedMidMarket
	}
	x := r.Float64()
	if p.showcase && !p.marked || !p.showcase && x >= share || seg == handoff.SegmentStrategic || len(g.staff.managers) == 0 {
		return false
	}
	by := g.staff.managers[0] // the demo manager, when present
	if r.IntN(2) == 0 {
		by = pick(r, g.staff.managers)
	}
	days := 1 + r.IntN(30)
	if p.showcase {
		days = 2
	}
	at := g.on(p.cw.AddDays(days), created)
	if !g.past(at) {
		return false // won days ago: not marked yet
	}
	// The mark is the deal's: the pack's version stays, as postgres.MarkStrategic leaves it.
	g.event(pk.id, at, by.id, handoff.StrategicMarkedEvent(true, seg))
	return true
}

// afterKickoff adds what follows the kickoff: first value, and the pod
// reviews of a locked strategic account. lockDay is the day the plan locks
// the architecture (zero: never), even when it is still ahead.
func (g *generator) afterKickoff(b *batch, pk *packRow, p plan, lockDay deadline.Day, cur *[5]tmpl, strategic bool, pod handoff.PodAccount) {
	g.firstValue(pk, p, lockDay)
	if strategic && pk.status == handoff.StatusLocked {
		g.podReviews(b, pk, p, cur, pod)
	}
}

// firstValue records, when it has happened and the SA got round to it, the
// day the customer first got value and what it was, as
// postgres.RecordFirstValue does.
func (g *generator) firstValue(pk *packRow, p plan, lockDay deadline.Day) {
	r := g.rng
	days, delay := p.fvDays, p.fvDelay
	if !p.fvSet {
		d := fvMedianDays * math.Exp(fvSpread*r.NormFloat64())
		if deadline.DayOf(pk.firstSubmittedAt, g.loc).After(pk.packDue) {
			d *= lateHandoffStretch
		}
		if lockDay.IsZero() || lockDay.After(pk.lockDue) {
			d += float64(lateLockSlipMin + r.IntN(lateLockSlipMax-lateLockSlipMin+1))
		}
		days = max(10, int(d))
		switch x := r.Float64(); {
		case x < stalledShare+unrecordedShare, lockDay.IsZero() && x < 0.5:
			days = -1
		}
		if r.Float64() >= sameDayRecord {
			delay = 1 + r.IntN(7)
		}
	}
	if days < 0 {
		return
	}
	on := pk.kickoff.AddDays(days)
	recordDay := on.AddDays(delay)
	if delay > 0 {
		recordDay = g.businessDayFrom(recordDay)
	}
	if recordDay.After(g.today) {
		return
	}
	at := g.on(recordDay, pk.acknowledgedAt)
	if !g.past(at) {
		return
	}
	what := g.firstValueWhat()
	pk.firstValueOn, pk.firstValueWhat, pk.firstValueAt, pk.firstValueBy = on, what, at, p.sa.id
	pk.version++
	g.event(pk.id, at, p.sa.id, handoff.FirstValueEvent(nil, handoff.FirstValue{On: on.Time(), What: what}))
	g.sum.FirstValue++
}

// firstValues are what SAs record as first value, each with the range its
// number is drawn from.
var firstValues = []struct {
	format   string
	from, to int
}{
	{"First %d agents live on SSO; ticket deflection measured at 18%% in week one.", 40, 600},
	{"Month-end close run on the platform for the first time: %d days instead of 9.", 3, 6},
	{"Finance operations live with %d users; the controller signed off the first automated reconciliation.", 15, 120},
	{"Executive dashboard live for the leadership team, replacing a weekly spreadsheet of %d tabs.", 8, 40},
	{"Nightly warehouse sync in production; %d legacy batch jobs retired.", 5, 60},
	{"First production workload moved off the legacy vendor; %d incidents routed automatically in the first week.", 30, 400},
	{"Pilot business unit live with %d users; their first renewal forecast was built in the tool.", 25, 300},
	{"Audit-log export feeding their SIEM in production; the quarterly access review took %d days instead of six weeks.", 2, 9},
	{"CRM sync live for %d sales reps; pipeline reviews now run from one view.", 20, 450},
	{"%d stores onboarded; store managers see stock alerts the same morning.", 12, 180},
}

func (g *generator) firstValueWhat() string {
	v := firstValues[g.rng.IntN(len(firstValues))]
	return fmt.Sprintf(v.format, v.from+g.rng.IntN(v.to-v.from+1))
}

// podReviews holds the quarterly pod reviews of a locked strategic account
// from its lock up to today, each answering the due day deadline.NextPodReview
// gives, and leaves the clock at the next one; the latest review is copied
// onto the pack, as postgres does when a review is recorded.
func (g *generator) podReviews(b *batch, pk *packRow, p plan, cur *[5]tmpl, pod handoff.PodAccount) {
	r := g.rng
	locked := deadline.DayOf(pk.lockedAt, g.loc)
	var last deadline.Day
	due := deadline.NextPodReview(true, pk.status, locked, last)
	risks := g.lib.riskLogs[indexOf(g.lib.full[4], cur[4])]
	buyer := g.lib.buyers[indexOf(g.lib.full[3], cur[3])]
	buyer.Email = strings.ReplaceAll(buyer.Email, "{{domain}}", g.vals[phDomain])
	years := 1
	if r.Float64() < multiYear {
		years = 3
	}
	posture := firstPosture(r.Float64())
	stallAfter := -1
	if p.reviews == nil && r.Float64() < stalledPod {
		stallAfter = r.IntN(4)
	}
	prev := pk.lockedAt
	var raised []handoff.ReviewRisk // risks new at this account's reviews so far
	champion := g.lib.slots[0]      // the accepted MEDDPICC's Champion, then whoever a review names
	for n := 0; ; n++ {
		var late int
		switch {
		case p.reviews != nil && n >= len(p.reviews), n == stallAfter:
			pk.podDue = due
			return
		case p.reviews != nil:
			late, posture = p.reviews[n].late, p.reviews[n].posture
		case r.Float64() < lateReview:
			late = 1 + min(60, int(r.ExpFloat64()*12))
		default:
			late = -r.IntN(15)
		}
		held := due.AddDays(late)
		if late > 0 {
			held = g.businessDayFrom(held)
		} else {
			// The last business day on or before it.
			held = g.cal.AddBusinessDays(held.AddDays(1), -1)
		}
		recordDay := held
		if r.IntN(4) == 0 {
			recordDay = g.cal.AddBusinessDays(held, 1)
		}
		if !held.After(last) || held.Before(locked) || recordDay.After(g.today) {
			break
		}
		at := g.on(recordDay, prev)
		if !g.past(at) {
			break
		}
		if p.reviews == nil && n > 0 {
			posture = nextPosture(posture, r.Float64())
		}
		if p.reviews == nil && posture == handoff.PostureOnTrack && (pk.firstValueOn.IsZero() || pk.firstValueOn.After(held)) &&
			held.After(pk.firstValueDue) && r.IntN(5) < 3 {
			posture = handoff.PostureAtRisk // past its first value due day without it
		}
		// The renewal ahead: past the next review, so one that has gone by
		// says the account missed a review.
		renewal := renewalAfter(p.cw, years, held.AddDays(handoff.PodReviewDays))
		// Risks raised again, and the ids of new ones, draw on a stream of
		// their own, so what they pick does not move the rest of the org.
		own := rand.New(rand.NewPCG(uint64(pk.id), uint64(n)))
		rv, data := g.podReviewData(posture, risks, buyer, pod, &champion, &raised, own, held, n)
		rv.HeldOn, rv.Posture, rv.RenewalOn = held.Time(), posture, renewal.Time()
		b.pods = append(b.pods, podReviewRow{packID: pk.id, held: held, due: due, renewal: renewal, posture: posture,
			data: data, recordedBy: p.sa.id, recordedAt: at})
		g.event(pk.id, at, p.sa.id, handoff.PodReviewEvent(rv))
		pk.version++
		pk.podReviewed, pk.podPosture, pk.podRenewal = held, posture, renewal
		last, prev = held, at
		due = deadline.NextPodReview(true, pk.status, locked, last)
		g.sum.PodReviews++
	}
	pk.podDue = due
}

// firstPosture is the posture at an account's first review, drawn from x
// in [0, 1); nextPosture the next one's, which mostly stays where it was.
func firstPosture(x float64) handoff.Posture {
	switch {
	case x < 0.72:
		return handoff.PostureOnTrack
	case x < 0.94:
		return handoff.PostureAtRisk
	}
	return handoff.PostureInDanger
}

func nextPosture(p handoff.Posture, x float64) handoff.Posture {
	switch p {
	case handoff.PostureOnTrack:
		switch {
		case x < 0.84:
			return handoff.PostureOnTrack
		case x < 0.97:
			return handoff.PostureAtRisk
		}
		return handoff.PostureInDanger
	case handoff.PostureAtRisk:
		switch {
		case x < 0.45:
			return handoff.PostureOnTrack
		case x < 0.85:
			return handoff.PostureAtRisk
		}
		return handoff.PostureInDanger
	}
	switch {
	case x < 0.15:
		return handoff.PostureOnTrack
	case x < 0.6:
		return handoff.PostureAtRisk
	}
	return handoff.PostureInDanger
}

// renewalAfter is the contract's renewal day after day: the term's end
// from Closed-Won, then each anniversary.
func renewalAfter(cw deadline.Day, years int, day deadline.Day) deadline.Day {
	y, m, d := cw.Date()
	for n := years; ; n++ {
		if r := deadline.NewDay(y+n, m, d); r.After(day) {
			return r
		}
	}
}

// What pod reviews say.
var (
	podLevers = []string{
		"Second business unit (EMEA sales) wants the same rollout; the AE scopes it before the renewal.",
		"Premium support: their operations team asked about round-the-clock coverage.",
		"Analytics add-on: finance still exports to spreadsheets every week.",
		"Seats from the pilot group to the whole operations organisation, about 1,200 users.",
		"Data residency add-on for the APAC subsidiary going live next year.",
		"Multi-year renewal with a price lock in exchange for a public case study.",
		"A sandbox environment for their platform team's release testing.",
		"Their executive sponsor wants a joint roadmap session with our product team.",
	}
	podRisks = []handoff.ReviewRisk{
		{Description: "Their platform team is being reorganised; the integration owner may change.", Severity: "medium"},
		{Description: "API rate limits were hit twice during their month-end close.", Severity: "high"},
		{Description: "SSO moves from Okta to Entra ID in the middle of the rollout.", Severity: "medium"},
		{Description: "Adoption in the second business unit is below 30% of licensed seats.", Severity: "high"},
		{Description: "The nightly warehouse export runs close to their batch window.", Severity: "low"},
		{Description: "Their data team wants write-back to the CRM, which the architecture does not cover.", Severity: "medium"},
	}
	riskNotes = []string{
		"Still open; reviewed with their CISO's team this quarter.",
		"Mitigation on track; we expect to close it by the next review.",
		"Escalated to their executive sponsor; owner confirmed.",
		"Came back after go-live; the workaround holds for now.",
	}
	podSteps = []handoff.NextStep{
		{What: "Send the adoption dashboard to the champion before month end", Owner: handoff.PodCSM},
		{What: "Scope the second business unit's rollout", Owner: handoff.PodAE},
		{What: "Run the capacity review at 70% utilisation", Owner: handoff.PodSA},
		{What: "Book the executive business review for next quarter", Owner: handoff.PodAE},
		{What: "Close the open security findings with their CISO's team", Owner: handoff.PodSA},
		{What: "Walk their new platform lead through the integration runbook", Owner: handoff.PodSE},
		{What: "Agree the success metrics for the renewal business case", Owner: handoff.PodCSM},
		{What: "Demo the analytics add-on to the finance team", Owner: handoff.PodSE},
	}
	rescueStep    = handoff.NextStep{What: "Executive escalation call with their sponsor this month; recovery plan by the next review", Owner: handoff.PodAE}
	championTitle = []string{"Director of Platform Engineering", "VP Operations", "Head of Digital", "IT Director"}
)

// pickRaised is the risk of raised described so.
func pickRaised(raised []handoff.ReviewRisk, description string) *handoff.ReviewRisk {
	i := slices.IndexFunc(raised, func(k handoff.ReviewRisk) bool { return k.Description == description })
	return &raised[i]
}

// podReviewData is the review's JSON, handoff.PodReview as postgres stores
// it: who attended, whether the Champion changed, expansion levers, risks
// (some from the accepted risk log or raised at an earlier review, by id;
// the new ones join raised) and next steps with owners; the worse the
// posture, the more risks and the fewer levers.
func (g *generator) podReviewData(posture handoff.Posture, log []handoff.Risk, buyer handoff.Stakeholder, pod handoff.PodAccount,
	champion *string, raised *[]handoff.ReviewRisk, own *rand.Rand, held deadline.Day, n int) (handoff.PodReview, []byte) {
	r := g.rng
	rv := handoff.PodReview{Levers: []string{}, Risks: []handoff.ReviewRisk{}, NextSteps: []handoff.NextStep{}}
	for _, m := range handoff.PodMembers {
		switch {
		case m == handoff.PodSA,
			m == handoff.PodAE && r.IntN(10) != 0,
			m == handoff.PodSE && r.IntN(5) != 0,
			m == handoff.PodCSM && r.IntN(10) != 0:
			rv.Attendees = append(rv.Attendees, m)
		}
	}
	if n > 0 && r.IntN(8) == 0 || posture == handoff.PostureInDanger && r.IntN(3) == 0 {
		// Drawn whatever is chosen, so the shared stream does not depend on
		// who the Champion is.
		toBuyer, f, l, title := r.IntN(2) == 0, pick(r, firstNames), pick(r, lastNames), pick(r, championTitle)
		if toBuyer && *champion != buyer.ID {
			// The business buyer of the accepted stakeholder map.
			rv.Champion = handoff.ChampionChange{Changed: true, PersonID: buyer.ID, Name: buyer.Name, Title: buyer.Title, Email: buyer.Email,
				Note: "Our champion moved to a new role; the business buyer now sponsors the rollout."}
		} else {
			// Someone new, who joins the account's people as the form's
			// "Someone new" makes them.
			rv.Champion = handoff.ChampionChange{Changed: true, PersonID: rowID(own), Name: f + " " + l, Title: title,
				Email: strings.ToLower(f+"."+l) + "@" + g.vals[phDomain],
				Note:  "New in the role after their reorganisation; met at the review and keen to keep the programme."}
		}
		*champion = rv.Champion.PersonID
	}
	var levers, newRisks int
	switch posture {
	case handoff.PostureOnTrack:
		levers, newRisks = 1+r.IntN(3), r.IntN(2)
	case handoff.PostureAtRisk:
		levers, newRisks = r.IntN(3), 1+r.IntN(2)
	default:
		levers, newRisks = r.IntN(2), 2+r.IntN(2)
	}
	rv.Levers = append(rv.Levers, pickN(r, podLevers, levers)...)
	for i, risk := range pickN(r, podRisks, newRisks) {
		note := pick(r, riskNotes) // drawn for every row, so the shared stream does not depend on what is raised
		switch {
		case i == 0 && len(log) > 0 && r.IntN(2) == 0:
			// A risk of the handoff's log, still live after the lock.
			l := log[r.IntN(len(log))]
			risk = handoff.ReviewRisk{RiskID: l.ID, Description: l.Description, Severity: l.Severity}
		case i == 1 && len(*raised) > 0 && own.IntN(2) == 0:
			// One raised at an earlier review, not closed yet.
			risk = (*raised)[own.IntN(len(*raised))]
		case slices.ContainsFunc(*raised, func(k handoff.ReviewRisk) bool { return k.Description == risk.Description }):
			risk = *pickRaised(*raised, risk.Description)
		default:
			risk.RiskID, risk.RaisedOn = rowID(own), held.String()
			*raised = append(*raised, risk)
			risk.New = true
		}
		if slices.ContainsFunc(rv.Risks, func(k handoff.ReviewRisk) bool { return k.RiskID == risk.RiskID }) {
			continue // named once per review
		}
		risk.Note = note
		rv.Risks = append(rv.Risks, risk)
	}
	rv.NextSteps = append(rv.NextSteps, pickN(r, podSteps, 1+r.IntN(3))...)
	if posture == handoff.PostureInDanger {
		rv.NextSteps = append(rv.NextSteps, rescueStep)
	}
	data, err := json.Marshal(handoff.PodReviewRecord{PodReview: rv, AttendeeNames: pod.AttendeeNames(rv.Attendees)})
	if err != nil {
		panic(fmt.Sprintf("demo: marshal pod review: %v", err))
	}
	return rv, data
}
