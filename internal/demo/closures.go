package demo

import (
	"encoding/json"
	"fmt"

	"github.com/handoff-app/handoff/internal/handoff"
)

// The closure matrix of the demo's architectures (docs/design.md, "The
// closure matrix"): a locked pack's SA closed every row before the lock, and
// the lock froze the matrix; an SA still drafting has closed some rows and
// not others. The words depend on the item, so an integration lands in the
// integration list and an SLA in the scale plan, as an SA would put them.

// itemWords is what the SA writes about one commitment or risk of the
// library: how the architecture closes it and, after the lock, what was off
// about it when it was not held as handed off.
type itemWords struct {
	part       string   // the part that delivers or mitigates it, or handoff.OutOfScope
	notes      []string // how the part does it (or why it is out of scope)
	outShare   float64  // how often an SA leaves it out of scope instead
	outOfScope []string // the reason then

	missWeight  float64  // how likely it is to be off, relative to other items
	underScoped []string // what was under-scoped about it
	wrong       []string // what was wrong about it
}

// commitmentWords are keyed by the library's commitment descriptions.
var commitmentWords = map[string]itemWords{
	"Bulk export API for audit logs": {
		part: "integrations", notes: []string{
			"Audit-log export API feeds their SIEM; listed with its release and owner in the integration list.",
			"Hourly export to their S3 bucket through the export API; their SIEM team owns the consumer."},
		outShare: 0.05, outOfScope: []string{"Waits for the product release; re-scoped at the first QBR with their architect's agreement."},
		missWeight:  1.4,
		underScoped: []string{"They need the export hourly, not nightly; the roadmap version only does nightly batches."},
		wrong:       []string{"Product moved the export API out a release; the date in the pack never held."},
	},
	"99.95% monthly uptime with a 10% service credit": {
		part: "scale", notes: []string{
			"Active-passive across two zones, sized for 99.95% monthly; failover exercised in the load test.",
			"The scale plan's availability budget: two zones, health-checked failover, a monthly error-budget review."},
		missWeight:  0.6,
		underScoped: []string{"The SLA covers their EU and US tenants both; the pack sized only the EU one."},
		wrong:       []string{"The contract says 99.99% for the API tier; the pack copied the platform figure."},
	},
	"ServiceNow incident sync": {
		part: "integrations", notes: []string{
			"ServiceNow connector: alerts raise incidents, owned by their ITSM team; phase one.",
			"Phase-two integration over the ServiceNow REST API; their ITSM lead signed off the field mapping."},
		outShare: 0.05, outOfScope: []string{"Moved to a services engagement outside this architecture, agreed with their architect at sign-off."},
		missWeight:  1.8,
		underScoped: []string{"They expect two-way sync of incident states, not one-way incident creation."},
		wrong:       []string{"They run Jira Service Management, not ServiceNow; the promise named the wrong tool."},
	},
	"Price lock at current list for 36 months": {
		part: handoff.OutOfScope, notes: []string{
			"A commercial term: the order form carries it, there is nothing to design.",
			"Pricing, not architecture; the account team tracks it against the order form."},
		missWeight:  0.3,
		underScoped: []string{"The lock also covers the add-on modules, which the pack did not say."},
		wrong:       []string{"The order form locks prices for 24 months, not 36."},
	},
	"Two on-site architecture workshops in the first quarter": {
		part: "diagrams", notes: []string{
			"Workshop one produced the context diagram, workshop two the container view; both are in the diagrams.",
			"The diagrams are the workshops' output; dates agreed with their architecture board."},
		missWeight:  0.8,
		underScoped: []string{"They expect four workshops, one per business unit, not two."},
		wrong:       []string{"The workshops were promised as remote sessions; on-site was never agreed."},
	},
	"SCIM provisioning from Azure AD": {
		part: "identity", notes: []string{
			"Azure AD → SCIM 2.0 provisioning with group push; leavers deprovisioned within 15 minutes.",
			"SCIM from their Azure AD tenant, groups mapped to three roles; tested with the pilot group."},
		missWeight:  0.5,
		underScoped: []string{"They need group push as well as users; the POC only synced users."},
		wrong:       []string{"Their directory is Okta, not Azure AD; the POC ran on our test tenant."},
	},
	"EU-only residency for backups": {
		part: "data_flows", notes: []string{
			"The data-flow diagram keeps backups in the primary region only, as sold; the exclusion is marked on it.",
			"Backups follow the primary region's policy; EU-only residency is drawn as excluded, per the order form."},
		outShare: 0.35, outOfScope: []string{"Explicitly not sold; recorded so nobody designs for it.",
			"Excluded in the order form; their DPO accepted standard backup residency."},
		missWeight:  0.8,
		underScoped: []string{"Legal treats backups and logs the same: logs need EU residency too."},
		wrong:       []string{"It was sold after all: the DPA annex commits to EU-only backups."},
	},
	"Custom fiscal-year calendars in reports": {
		part: "data_flows", notes: []string{
			"Fiscal calendar table loaded from their ERP in the nightly warehouse feed; reports read it.",
			"Calendar dimension maintained by their finance systems team, synced weekly into reporting."},
		outShare: 0.05, outOfScope: []string{"A product configuration delivered by onboarding, not by this architecture."},
		missWeight:  1.0,
		underScoped: []string{"They run a 4-4-5 calendar with a 53rd week; the slide assumed a simple offset."},
		wrong:       []string{"The feature already existed; what they wanted was custom week numbering."},
	},
	"Named technical account manager for year one": {
		part: handoff.OutOfScope, notes: []string{
			"A support entitlement delivered by Customer Success, not by the architecture.",
			"Staffing, not design: the TAM is named in the success plan."},
		missWeight:  0.4,
		underScoped: []string{"The TAM is expected to cover three regions' business hours."},
		wrong:       []string{"The contract names a pooled TAM, not a named one."},
	},
	"Workday HR feed for joiners and leavers": {
		part: "identity", notes: []string{
			"Joiners and leavers flow Workday → their IdP → SCIM; no direct feed needed.",
			"Workday drives provisioning through their IdP; leavers lose access within the hour."},
		outShare: 0.05, outOfScope: []string{"Their IAM team owns the HR feed into the IdP; we consume SCIM only."},
		missWeight:  1.6,
		underScoped: []string{"Contractors come from a second HR system the pack did not mention."},
		wrong:       []string{"Joiners and leavers come from SAP SuccessFactors, not Workday."},
	},
}

// riskWords are keyed by the library's risk descriptions. Only open risks
// reach the matrix; every risk is marked after the lock.
var riskWords = map[string]itemWords{
	"Their security review of the data-processing addendum is still open; go-live may slip": {
		part: "identity", notes: []string{
			"SSO-only access, customer-managed keys and audit export meet the addendum; their CISO's team reviewed this identity model.",
			"Least-privilege RBAC and enforced SSO answer the addendum's access controls; the review closed on this design."},
		missWeight:  1.3,
		underScoped: []string{"The review also covered the sub-processor list, which added three weeks."},
		wrong:       []string{"The review had closed before signature; the real blocker was their pen-test policy."},
	},
	"Depends on their legacy ESB being upgraded before the integration work": {
		part: "integrations", notes: []string{
			"Phase one integrates over direct APIs; the ESB route waits for their upgrade in phase two.",
			"Integration list routes everything through the API gateway, so the ESB upgrade is off the critical path."},
		outShare: 0.05, outOfScope: []string{"Their ESB upgrade is their programme; the customer accepted the dependency at sign-off."},
		missWeight:  1.2,
		underScoped: []string{"The ESB upgrade slipped a quarter; phase one needed the direct API fallback after all."},
		wrong:       []string{"There is no ESB in the path: their integrations already run on an upgraded iPaaS."},
	},
	"The on-premises SAP instance was not part of the POC": {
		part: "data_flows", notes: []string{
			"SAP extraction through their BW export, confirmed in the week-one discovery; the flow is drawn with volumes.",
			"SAP stays out of phase one; the data-flow diagram shows the file drop that replaces it."},
		missWeight:  1.4,
		underScoped: []string{"Two SAP instances, not one: the second runs the APAC entities."},
		wrong:       []string{"The SAP data comes from their warehouse, not the on-premises instance."},
	},
	"The champion moves to a new role in two months": {
		part: handoff.OutOfScope, notes: []string{"A people risk the account team manages; nothing in the design changes."},
		missWeight:  0.8,
		underScoped: []string{"The second champion has no budget authority; the economic buyer had to step in."},
		wrong:       []string{"The champion left the company, not just the role."},
	},
	"Pen-test findings from the POC environment need re-testing": {
		part: "identity", notes: []string{"The production design fixes the POC's findings: SSO enforced, no local accounts."},
		missWeight:  0.6,
		underScoped: []string{"The re-test found two new medium findings that needed fixes before go-live."},
		wrong:       []string{"The findings applied to the production design too, not only the POC environment."},
	},
	"Go-live date coincides with their fiscal year-end freeze": {
		part: "scale", notes: []string{"The scale plan phases the rollout around the freeze: pilot before, full load after."},
		missWeight:  0.6,
		underScoped: []string{"The freeze runs six weeks, not two; the phased rollout had to be re-planned."},
		wrong:       []string{"Their freeze moved; go-live collided with the year-end audit instead."},
	},
}

// indexWords keys the words of every commitment and risk of the library by
// its matrix key (each library item keeps its row id in every pack), so a
// row finds its words without parsing its title.
func (l *library) indexWords() {
	l.words = map[string]itemWords{}
	add := func(key, desc string, from map[string]itemWords) {
		w, ok := from[desc]
		if !ok {
			panic("demo: no closure or assessment words for " + desc)
		}
		l.words[key] = w
	}
	for _, ledger := range l.ledgers {
		for _, c := range ledger {
			add(handoff.ItemKey(handoff.ItemCommitment, c.ID), c.Description, commitmentWords)
		}
	}
	for _, log := range l.riskLogs {
		for _, r := range log {
			add(handoff.ItemKey(handoff.ItemRisk, r.ID), r.Description, riskWords)
		}
	}
}

// withMatrixRows swaps the commitments and risks of docs for the next
// variants that have a commitment and an open risk, when there are such
// variants: the showcase packs are the demo logins' first look, and a
// closure matrix or an assessment with nothing in it shows nothing.
func (l *library) withMatrixRows(docs *[5]tmpl) {
	next := func(k int, ok func(i int) bool) {
		at := indexOf(l.full[k], docs[k])
		for n := range len(l.full[k]) {
			if i := (at + n) % len(l.full[k]); ok(i) {
				docs[k] = l.full[k][i]
				return
			}
		}
	}
	next(2, func(i int) bool { return len(l.ledgers[i]) > 0 })
	next(4, func(i int) bool {
		return len(handoff.ClosureMatrix(handoff.Documents{Risks: handoff.Risks{Items: l.riskLogs[i]}}, nil, nil)) > 0
	})
}

// accepted is the pack's accepted version as far as the matrix and the
// assessment read it: its commitments, due dates filled in so fingerprints
// match the SA's decisions, and its risks. The commitments live in a buffer
// reused by the next pack.
func (g *generator) accepted(cur *[5]tmpl) handoff.Documents {
	var d handoff.Documents
	g.items = g.items[:0]
	for _, c := range g.lib.ledgers[indexOf(g.lib.full[2], cur[2])] {
		g.items = append(g.items, c.rendered(&g.vals))
	}
	d.Commitments.Items = g.items
	d.Risks.Items = g.lib.riskLogs[indexOf(g.lib.full[4], cur[4])]
	return d
}

// closure is how the SA closes the row keyed key.
func (g *generator) closure(key string) handoff.Closure {
	w := g.lib.words[key]
	if w.part != handoff.OutOfScope && len(w.outOfScope) > 0 && g.rng.Float64() < w.outShare {
		return handoff.Closure{Part: handoff.OutOfScope, Note: pick(g.rng, w.outOfScope)}
	}
	return handoff.Closure{Part: w.part, Note: pick(g.rng, w.notes)}
}

// lockClosures close every row of m that can take a closure: what the
// architecture held when it was locked.
func (g *generator) lockClosures(m handoff.Matrix) map[string]handoff.Closure {
	out := make(map[string]handoff.Closure, len(m))
	for _, row := range m {
		if !row.Vetoed {
			out[row.Key] = g.closure(row.Key)
		}
	}
	return out
}

// draftClosures close some rows of m, as an SA half way through: rows whose
// part the draft has written are often closed, others at most have their
// part chosen. With two rows or more, at least one is closed and one open,
// so the page shows a matrix in progress.
func (g *generator) draftClosures(m handoff.Matrix) map[string]handoff.Closure {
	out := map[string]handoff.Closure{}
	var open, closed []string
	var first handoff.Closure
	for _, row := range m {
		if row.Vetoed {
			continue
		}
		c := g.closure(row.Key)
		if len(open)+len(closed) == 0 {
			first = c
		}
		switch {
		case (c.Part == handoff.OutOfScope || g.lib.drafted[c.Part]) && g.rng.IntN(5) < 3:
			out[row.Key], closed = c, append(closed, row.Key)
		case g.rng.IntN(4) == 0:
			// The part is chosen; how it delivers is not written yet.
			out[row.Key], open = handoff.Closure{Part: c.Part}, append(open, row.Key)
		default:
			open = append(open, row.Key)
		}
	}
	switch {
	case len(open) == 0 && len(closed) > 0:
		delete(out, closed[len(closed)-1])
	case len(closed) == 0 && len(open) > 1:
		out[open[0]] = first
	}
	return out
}

// archJSON renders an architecture whose closure matrix is m: the
// template's object with the closures m stores and, when locked, m itself
// as the frozen matrix, appended where json.Marshal of handoff.Architecture
// puts them, last. Rows and closures repeat across packs, so each is
// marshaled once (jsonCache): marshaling them afresh for every pack took
// the generator twice as long.
func (g *generator) archJSON(t tmpl, m handoff.Matrix, locked bool) []byte {
	out := g.render(t)
	closures := m.Closures()
	if len(closures) == 0 && !locked {
		return out
	}
	out = out[:len(out)-1] // the object's closing brace
	if len(closures) > 0 {
		out = append(out, `,"closures":{`...)
		n := 0
		for _, row := range m { // in the matrix's order, so the bytes follow the seed
			c, ok := closures[row.Key]
			if !ok {
				continue
			}
			if n > 0 {
				out = append(out, ',')
			}
			// Row keys are ItemKeys of row ids: nothing in them to escape.
			out = append(append(append(out, '"'), row.Key...), '"', ':')
			out = append(out, g.closureJSON.get(c)...)
			n++
		}
		out = append(out, '}')
	}
	// Locked, the matrix is frozen even when it has no row ([]): a
	// missing one reads as a pack locked before matrices were kept.
	if locked {
		out = append(out, `,"locked_matrix":[`...)
		for i, row := range m {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, g.rowJSON.get(row)...)
		}
		out = append(out, ']')
	}
	return append(out, '}')
}

// jsonCache holds the encoding of values the demo repeats across packs.
// They come from the library's few words, so it stays small.
type jsonCache[K comparable] map[K][]byte

func (c jsonCache[K]) get(v K) []byte {
	b, ok := c[v]
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			// The values are this package's own.
			panic(fmt.Sprintf("demo: marshal %T: %v", v, err))
		}
		c[v] = b
	}
	return b
}
