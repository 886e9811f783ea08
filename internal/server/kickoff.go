package server

import (
	"net/http"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// kickoffDocument is a pack's printable kickoff document (docs/design.md), for
// anyone who may see the pack: the documents of the latest submission (the
// draft before the first), the SA's reviews and commitment decisions, the
// questions and answers, the reference architecture with its closure matrix,
// and the SA's accuracy assessments.
func (s *Server) kickoffDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.packDetailFromURL(r)
	if err != nil {
		return err
	}
	cal, settings, err := s.calendar(r.Context())
	if err != nil {
		return err
	}
	p, now := d.Pack, s.now()
	page := web.KickoffPage{
		Page: s.page(r, "Kickoff document · "+p.Deal.AccountName), Head: packHead(p),
		Clocks: clockViews(cal, settings, p, now), Docs: d.Documents,
		Reviews: d.Reviews, Questions: d.Questions,
		Arch: d.Architecture, HasArch: d.ArchitectureMeta.UpdatedBy != "" || p.Status == handoff.StatusLocked,
		Locked: p.Status == handoff.StatusLocked, Printed: s.when(now),
	}
	if p.KickoffOn != nil {
		page.Kickoff = web.Date(*p.KickoffOn)
	}
	page.Meeting = scheduledMeeting(d.Meeting, p, cal.Location())
	if v, ok := d.Submitted(); ok {
		page.Version, page.Docs = v, v.Documents
		page.Commitments = bigCommitments(v.Documents, d.Decisions, settings.ApprovalThresholds)
		page.Matrix = d.Matrix()
		page.Accuracy = kickoffAccuracy(d.Assessments, handoff.AssessItems(v.Documents))
	}
	s.render(w, r, http.StatusOK, web.KickoffView(page))
	return nil
}

// kickoffAccuracy is the pack's accuracy assessments in the order they are
// made, each counted against items, those of the submitted version: the
// ones the SA marked.
func kickoffAccuracy(byStage map[string]handoff.Assessment, items []handoff.AssessItem) []web.KickoffAccuracy {
	var out []web.KickoffAccuracy
	for _, stage := range handoff.Stages {
		if a, ok := byStage[stage]; ok {
			out = append(out, web.KickoffAccuracy{Stage: stage, Counts: a.Counts(items), By: a.By, At: a.At})
		}
	}
	return out
}
