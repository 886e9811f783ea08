package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

func countryOptions() []handoff.Option {
	var out []handoff.Option
	for _, c := range deadline.Countries() {
		out = append(out, handoff.Option{Value: c.Code, Label: c.Name})
	}
	return out
}

// settingsPage builds the settings page from stored settings.
func (s *Server) settingsPage(r *http.Request) (web.SettingsPage, error) {
	ctx := r.Context()
	st, err := s.db.Settings(ctx)
	if err != nil {
		return web.SettingsPage{}, err
	}
	off, err := s.db.DaysOff(ctx)
	if err != nil {
		return web.SettingsPage{}, err
	}
	return web.SettingsPage{
		Page: s.page(r, "Settings"), TimeZone: st.TimeZone, Zones: deadline.ZoneRegions(), Countries: countryOptions(), Chosen: st.HolidayCountries,
		PackDays: strconv.Itoa(st.PackDueBusinessDays), KickoffDays: strconv.Itoa(st.KickoffDueBusinessDays),
		LockDays: strconv.Itoa(st.LockDueCalendarDays), FirstValueDays: strconv.Itoa(st.FirstValueDueCalendarDays), Thresholds: thresholdRows(st.ApprovalThresholds), DaysOff: off,
		CRM: web.CRMLinkForm{Template: st.CRMURLTemplate},
	}, nil
}

// thresholdRows shows stored thresholds on the form, with a blank row to add
// another currency while there is room.
func thresholdRows(t handoff.Thresholds) []web.ThresholdRow {
	rows := make([]web.ThresholdRow, 0, len(t)+1)
	for _, m := range t {
		rows = append(rows, web.ThresholdRow{Currency: m.Currency, Amount: handoff.FormatAmount(m.Minor)})
	}
	if len(rows) < handoff.MaxThresholds {
		rows = append(rows, web.ThresholdRow{})
	}
	return rows
}

// parseThresholdRows reads the threshold rows as typed. The count comes from
// the form, bounded so a forged count cannot make the server loop; one more
// row than the limit is read so that going over it is refused, not dropped.
func parseThresholdRows(r *http.Request) ([]web.ThresholdRow, []handoff.ThresholdInput) {
	n, _ := strconv.Atoi(r.PostFormValue("threshold_rows"))
	n = max(0, min(n, handoff.MaxThresholds+1))
	rows := make([]web.ThresholdRow, n)
	in := make([]handoff.ThresholdInput, n)
	for i := range n {
		rows[i] = web.ThresholdRow{Currency: strings.ToUpper(val(r, web.ThresholdField(i, "currency"))),
			Amount: val(r, web.ThresholdField(i, "amount")), Remove: r.PostFormValue(web.ThresholdField(i, "remove")) == "1"}
		in[i] = handoff.ThresholdInput{Currency: rows[i].Currency, Amount: rows[i].Amount, Remove: rows[i].Remove}
	}
	return rows, in
}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return err
	}
	p, err := s.settingsPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Settings(p))
	return nil
}

// DueSource computes due dates from the calendar a transaction sees; storage
// uses it wherever due dates are set (recording a deal, calendar changes).
func (s *Server) DueSource() postgres.DueSource { return recalc }

// recalc is the Due step of every calendar change: it rebuilds the calendar
// from what the transaction sees, so due dates follow the change.
func recalc(ctx context.Context, tx pgx.Tx) (postgres.DueFunc, error) {
	st, off, err := postgres.SettingsTx(ctx, tx)
	if err != nil {
		return nil, err
	}
	cal, err := newCalendar(st, off)
	if err != nil {
		return nil, err
	}
	return dueFunc(cal, st), nil
}

func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	if err := handoff.Authorize(actor, handoff.ActionManageSettings); err != nil {
		return err
	}
	p, err := s.settingsPage(r)
	if err != nil {
		return err
	}
	p.TimeZone = strings.TrimSpace(r.PostFormValue("time_zone"))
	var thresholds []handoff.ThresholdInput
	p.Thresholds, thresholds = parseThresholdRows(r)
	p.Chosen = []string{} // none ticked is a real choice: weekends only
	for _, c := range r.PostForm["countries"] {
		p.Chosen = append(p.Chosen, strings.ToUpper(strings.TrimSpace(c)))
	}
	p.PackDays, p.KickoffDays, p.LockDays = val(r, "pack_days"), val(r, "kickoff_days"), val(r, "lock_days")
	if _, sent := r.PostForm["first_value_days"]; sent {
		// A form from a page served before the field existed leaves it out:
		// it keeps the stored length (settingsPage's) rather than being
		// refused over a field its sender never saw.
		p.FirstValueDays = val(r, "first_value_days")
	}

	st, err := s.db.Settings(ctx)
	if err != nil {
		return err
	}
	stored := st
	fe := handoff.FieldErrors{}
	st.TimeZone, st.HolidayCountries = p.TimeZone, p.Chosen
	if err := handoff.CheckTimeZoneName(st.TimeZone); err != nil {
		fe.Add("time_zone", handoff.ErrorMessage(err))
	} else if err := deadline.CheckZone(st.TimeZone); err != nil {
		fe.Add("time_zone", err.Error())
	}
	if _, err := deadline.NewCalendar("UTC", st.HolidayCountries, nil); err != nil {
		fe.Add("countries", "Choose countries from the list.")
	}
	err = handoff.ClockDaysInput{PackDays: p.PackDays, KickoffDays: p.KickoffDays, LockDays: p.LockDays, FirstValueDays: p.FirstValueDays}.Apply(&st)
	for k, v := range handoff.InvalidFields(err) {
		fe.Add(k, v)
	}
	st.ApprovalThresholds, err = handoff.ParseThresholds(thresholds)
	for k, v := range handoff.InvalidFields(err) {
		fe.Add(k, v)
	}
	if len(fe) > 0 {
		p.Errors = web.FieldErrors(fe)
		s.render(w, r, http.StatusUnprocessableEntity, web.Settings(p))
		return nil
	}
	change := postgres.CalendarChange{Why: "Settings changed", Apply: postgres.UpdateSettingsChange(st), Due: recalc}
	if movesDueDates(stored, st) {
		if p.Confirm, err = s.confirmCalendar(r, stored, change, "settings "+calendarKey(st)); err != nil {
			return err
		}
		if p.Confirm != nil {
			p.Confirm.What, p.Confirm.Form = "Saving these settings", "settings-form"
			s.render(w, r, http.StatusOK, web.Settings(p))
			return nil
		}
	}
	moved, err := s.db.ChangeCalendar(ctx, actor, change, s.now())
	if err != nil {
		return err
	}
	s.flash(r, web.FlashSuccess, "Settings saved. "+movedWords(moved))
	redirect(w, r, "/admin/settings")
	return nil
}

func movedWords(n int) string {
	switch n {
	case 0:
		return "No open pack's due dates changed."
	case 1:
		return "1 open pack's due dates moved; its history says how."
	}
	return strconv.Itoa(n) + " open packs' due dates moved; each pack's history says how."
}

func (s *Server) addDayOff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	if err := handoff.Authorize(actor, handoff.ActionManageSettings); err != nil {
		return err
	}
	p, err := s.settingsPage(r)
	if err != nil {
		return err
	}
	p.DayOffDay, p.DayOffName = val(r, "day"), val(r, "name")
	off, err := handoff.ValidateDayOff(p.DayOffDay, p.DayOffName)
	fe := handoff.FieldErrors(handoff.InvalidFields(err))
	if err != nil && fe == nil {
		return err
	}
	if fe == nil {
		fe = handoff.FieldErrors{}
	}
	if len(fe) == 0 {
		change := postgres.CalendarChange{
			Why:   "Company day off added (" + p.DayOffDay + " " + p.DayOffName + ")",
			Apply: postgres.AddDayOffChange(off), Due: recalc,
		}
		stored, err := s.db.Settings(ctx)
		if err != nil {
			return err
		}
		p.Confirm, err = s.confirmCalendar(r, stored, change, "add "+p.DayOffDay)
		if p.Confirm != nil {
			p.Confirm.What, p.Confirm.Form = "Adding "+p.DayOffName+" on "+p.DayOffDay+" as a company day off", "day-off-form"
			s.render(w, r, http.StatusOK, web.Settings(p))
			return nil
		}
		if err == nil {
			_, err = s.db.ChangeCalendar(ctx, actor, change, s.now())
		}
		if fields := handoff.InvalidFields(err); fields != nil {
			for k, v := range fields {
				fe.Add(k, v)
			}
		} else if err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		p.DayOffErrors = web.FieldErrors(fe)
		s.render(w, r, http.StatusUnprocessableEntity, web.Settings(p))
		return nil
	}
	s.flash(r, web.FlashSuccess, p.DayOffName+" on "+p.DayOffDay+" is a company day off now.")
	redirect(w, r, "/admin/settings")
	return nil
}

func (s *Server) deleteDayOff(w http.ResponseWriter, r *http.Request) error {
	actor := currentUser(r)
	if err := handoff.Authorize(actor, handoff.ActionManageSettings); err != nil {
		return err
	}
	// Not ParseDate: a day off stored before dates had a range must stay
	// removable, so any well-formed date names one.
	day, err := time.Parse(time.DateOnly, chi.URLParam(r, "day"))
	if err != nil {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	change := postgres.CalendarChange{
		Why: "Company day off removed (" + day.Format("2006-01-02") + ")", Apply: postgres.DeleteDayOffChange(day), Due: recalc,
	}
	stored, err := s.db.Settings(r.Context())
	if err != nil {
		return err
	}
	confirm, err := s.confirmCalendar(r, stored, change, "delete "+day.Format("2006-01-02"))
	if err != nil {
		return err
	}
	if confirm != nil {
		p, err := s.settingsPage(r)
		if err != nil {
			return err
		}
		confirm.What, confirm.Action = "Removing the company day off on "+day.Format("2006-01-02"), "/admin/settings/days-off/"+day.Format("2006-01-02")+"/delete"
		p.Confirm = confirm
		s.render(w, r, http.StatusOK, web.Settings(p))
		return nil
	}
	if _, err := s.db.ChangeCalendar(r.Context(), actor, change, s.now()); err != nil {
		return err
	}
	s.flash(r, web.FlashSuccess, "Removed the day off on "+day.Format("2006-01-02")+".")
	redirect(w, r, "/admin/settings")
	return nil
}

// A change to the calendar that moves open packs' due dates is shown first:
// how many packs move and how, with the admin's input kept on the page, and
// saved only when they confirm. The confirmation carries a token naming the
// change and the calendar it was previewed against, so a confirm of another
// change, or after someone else changed the calendar meanwhile, is previewed
// again instead of saved unseen.

// movesDueDates reports whether going from settings a to b can move a due
// date: time zone, holiday countries or a clock length changed.
func movesDueDates(a, b handoff.Settings) bool { return calendarKey(a) != calendarKey(b) }

// calendarKey names what due dates depend on in s.
func calendarKey(s handoff.Settings) string {
	countries := slices.Clone(s.HolidayCountries)
	slices.Sort(countries)
	countries = slices.Compact(countries)
	return strings.Join([]string{s.TimeZone, strings.Join(countries, ","), strconv.Itoa(s.PackDueBusinessDays),
		strconv.Itoa(s.KickoffDueBusinessDays), strconv.Itoa(s.LockDueCalendarDays), strconv.Itoa(s.FirstValueDueCalendarDays)}, "|")
}

// confirmToken names change (in words) applied to the calendar as stored.
func confirmToken(stored handoff.Settings, change string) string {
	sum := sha256.Sum256([]byte(stored.UpdatedAt.UTC().Format(time.RFC3339Nano) + "\x00" + change))
	return hex.EncodeToString(sum[:12])
}

// maxShownMoves bounds the packs listed on the confirmation; the count is
// always whole.
const maxShownMoves = 20

// confirmCalendar returns the confirmation to show before change, or nil when
// it may be saved now: the admin confirmed this very change, or it moves no
// open pack's due dates. An invalid change fails as it would on saving.
func (s *Server) confirmCalendar(r *http.Request, stored handoff.Settings, change postgres.CalendarChange, key string) (*web.CalendarConfirm, error) {
	token := confirmToken(stored, key)
	if r.PostFormValue("confirm") == token {
		return nil, nil
	}
	moves, err := s.db.PreviewCalendar(r.Context(), change)
	if err != nil || len(moves) == 0 {
		return nil, err
	}
	c := &web.CalendarConfirm{Token: token, Packs: len(moves)}
	for _, m := range moves[:min(len(moves), maxShownMoves)] {
		c.Moves = append(c.Moves, web.DueMoveView{PackID: m.PackID, Account: m.Account, Changes: strings.Join(m.Changes, "; ")})
	}
	return c, nil
}
