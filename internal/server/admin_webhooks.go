package server

import (
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/webhook"
	"github.com/handoff-app/handoff/web"
)

// Webhooks and Slack (docs/webhooks.md): an admin registers endpoints, reads
// each one's delivery log, redelivers, sends a test event, turns endpoints
// off and on, and removes them.

// deliveriesPerPage is one page of an endpoint's delivery log.
const deliveriesPerPage = 25

// webhookRoutes declares the admin's webhook pages; admin is the rule they share.
func (s *Server) webhookRoutes(rt router, admin rule) {
	// Insert-only: the jobs of whichever instance runs workers deliver.
	hooks, err := jobs.NewWebhooks(s.db, s.cfg.BaseURL.String())
	if err != nil {
		panic(err) // a River client without workers fails only on a bad configuration, which this is not
	}
	wh := &webhookPages{s: s, hooks: hooks, guard: webhook.Guard{AllowPrivate: s.cfg.WebhookAllowPrivate}}
	rt.handle(http.MethodGet, "/admin/webhooks", admin, wh.list)
	rt.handle(http.MethodPost, "/admin/webhooks", admin, wh.create)
	rt.handle(http.MethodGet, "/admin/webhooks/{id}", admin, wh.endpoint)
	rt.handle(http.MethodPost, "/admin/webhooks/{id}/test", admin, wh.sendTest)
	rt.handle(http.MethodPost, "/admin/webhooks/{id}/deliveries/{did}/redeliver", admin, wh.redeliver)
	rt.handle(http.MethodPost, "/admin/webhooks/{id}/disable", admin, wh.disable)
	rt.handle(http.MethodPost, "/admin/webhooks/{id}/enable", admin, wh.enable)
	rt.handle(http.MethodGet, "/admin/webhooks/{id}/remove", admin, wh.confirmRemove)
	rt.handle(http.MethodPost, "/admin/webhooks/{id}/remove", admin, wh.remove)
}

// webhookPages are the handlers, with what they share.
type webhookPages struct {
	s     *Server
	hooks *jobs.Webhooks
	guard webhook.Guard
}

// listPage renders the endpoint list and the add form with p's state.
func (wh *webhookPages) listPage(w http.ResponseWriter, r *http.Request, status int, p web.WebhooksPage) error {
	es, err := wh.s.db.WebhookEndpoints(r.Context())
	if err != nil {
		return err
	}
	p.Page = wh.s.page(r, "Webhooks")
	p.Types = webhookTypeOptions()
	p.HTTPAllowed = wh.guard.AllowPrivate
	for _, e := range es {
		p.Endpoints = append(p.Endpoints, webhookRow(e))
	}
	wh.s.render(w, r, status, web.Webhooks(p))
	return nil
}

func (wh *webhookPages) list(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return err
	}
	return wh.listPage(w, r, http.StatusOK, web.WebhooksPage{Form: web.WebhookForm{Kind: string(webhook.KindStandard),
		Events: stringSet(webhook.Names(webhook.AllTypes()))}})
}

// keyNewSecret carries a new endpoint's signing secret, in the session,
// from the POST that made it to the one view of the endpoint's page that
// shows it: "<endpoint id> whsec_…". Showing it removes it.
const keyNewSecret = "webhook_new_secret"

// keepSecret holds secret for endpoint id's next page view.
func (wh *webhookPages) keepSecret(r *http.Request, id int64, secret string) {
	wh.s.sessions.Put(r.Context(), keyNewSecret, strconv.FormatInt(id, 10)+" "+secret)
}

// takeSecret removes and returns the secret held for endpoint id; "" when
// none is.
func (wh *webhookPages) takeSecret(r *http.Request, id int64) string {
	held := strings.Fields(wh.s.sessions.GetString(r.Context(), keyNewSecret))
	if len(held) != 2 || held[0] != strconv.FormatInt(id, 10) {
		return ""
	}
	wh.s.sessions.Remove(r.Context(), keyNewSecret)
	return held[1]
}

// create registers an endpoint and redirects to its page (post/redirect/get,
// so reloading adds nothing). A standard endpoint's secret travels there in
// the session and is shown on that one view (no-store, as every page is).
func (wh *webhookPages) create(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	if err := handoff.Authorize(actor, handoff.ActionManageSettings); err != nil {
		return err
	}
	in := webhook.Input{URL: r.PostFormValue("url"), Kind: r.PostFormValue("kind"), Events: r.PostForm["events"],
		Description: r.PostFormValue("description")}
	reg, err := wh.guard.Register(ctx, net.DefaultResolver, in)
	if fields := handoff.InvalidFields(err); fields != nil {
		return wh.listPage(w, r, http.StatusUnprocessableEntity, web.WebhooksPage{Errors: fields,
			Form: web.WebhookForm{URL: in.URL, Kind: in.Kind, Events: stringSet(in.Events), Description: in.Description}})
	}
	if err != nil {
		return err
	}
	e, err := wh.s.db.CreateWebhookEndpoint(ctx, postgres.NewWebhookEndpoint{URL: reg.URL, Kind: string(reg.Kind),
		Events: webhook.Names(reg.Events), Description: reg.Description, Secret: reg.Secret}, actor.ID, wh.s.now())
	if err != nil {
		return err
	}
	wh.s.log.InfoContext(ctx, "webhook endpoint added", "endpoint_id", e.ID, "kind", e.Kind, "by", actor.ID)
	if reg.Secret == "" {
		wh.s.flash(r, web.FlashSuccess, "Added the Slack endpoint. Send a test event to see the message arrive in its channel.")
	} else {
		wh.s.flash(r, web.FlashSuccess, "Added "+webhookTitle(e)+".")
		wh.keepSecret(r, e.ID, reg.Secret)
	}
	redirect(w, r, endpointPath(e.ID))
	return nil
}

// endpoint is one endpoint with a page of its delivery log (?before=id
// pages back).
func (wh *webhookPages) endpoint(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return err
	}
	e, err := wh.endpointFromURL(r)
	if err != nil {
		return err
	}
	var before int64
	if raw := r.URL.Query().Get("before"); raw != "" {
		if before, err = strconv.ParseInt(raw, 10, 64); err != nil || before < 1 {
			return handoff.Errorf(handoff.ENOTFOUND, "not found")
		}
	}
	ds, err := wh.s.db.WebhookDeliveries(r.Context(), e.ID, before, deliveriesPerPage+1)
	if err != nil {
		return err
	}
	p := web.WebhookPage{Page: wh.s.page(r, webhookTitle(e)), Endpoint: webhookRow(e), Newer: before != 0}
	// Every page is no-store (render), this one with a secret included.
	p.Secret = wh.takeSecret(r, e.ID)
	if u := e.PreviousSecretUntil; u != nil && u.After(wh.s.now()) {
		p.OldSecret = u
	}
	if len(ds) > deliveriesPerPage {
		ds = ds[:deliveriesPerPage]
		p.OlderThan = ds[len(ds)-1].ID
	}
	for _, d := range ds {
		p.Deliveries = append(p.Deliveries, deliveryRow(d))
	}
	wh.s.render(w, r, http.StatusOK, web.WebhookView(p))
	return nil
}

func (wh *webhookPages) sendTest(w http.ResponseWriter, r *http.Request) error {
	e, err := wh.endpointToChange(r)
	if err != nil {
		return err
	}
	if _, err := wh.hooks.SendTest(r.Context(), e.ID, wh.s.now()); err != nil {
		return wh.refuse(w, r, e.ID, err)
	}
	wh.s.flash(r, web.FlashSuccess, "Test event queued. It shows in the log below within seconds; refresh to see the receiver's answer.")
	redirect(w, r, endpointPath(e.ID))
	return nil
}

func (wh *webhookPages) redeliver(w http.ResponseWriter, r *http.Request) error {
	e, err := wh.endpointToChange(r)
	if err != nil {
		return err
	}
	did, err := strconv.ParseInt(chi.URLParam(r, "did"), 10, 64)
	if err != nil || did < 1 {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	if _, err := wh.hooks.Redeliver(r.Context(), e.ID, did, wh.s.now()); err != nil {
		return wh.refuse(w, r, e.ID, err)
	}
	wh.s.flash(r, web.FlashSuccess, "Redelivery queued as a new line at the top of the log, with fresh attempts. Refresh to see the answer.")
	redirect(w, r, endpointPath(e.ID))
	return nil
}

func (wh *webhookPages) disable(w http.ResponseWriter, r *http.Request) error {
	e, err := wh.endpointToChange(r)
	if err != nil {
		return err
	}
	actor := currentUser(r)
	if _, err := wh.s.db.DisableWebhookEndpoint(r.Context(), e.ID, "Turned off by "+actor.Name+".", wh.s.now()); err != nil {
		return err
	}
	wh.s.log.InfoContext(r.Context(), "webhook endpoint disabled", "endpoint_id", e.ID, "by", actor.ID)
	wh.s.flash(r, web.FlashSuccess, "Disabled. Events that happen while it is off are not sent to it.")
	redirect(w, r, endpointPath(e.ID))
	return nil
}

func (wh *webhookPages) enable(w http.ResponseWriter, r *http.Request) error {
	e, err := wh.endpointToChange(r)
	if err != nil {
		return err
	}
	if _, err := wh.s.db.EnableWebhookEndpoint(r.Context(), e.ID); err != nil {
		return err
	}
	wh.s.log.InfoContext(r.Context(), "webhook endpoint enabled", "endpoint_id", e.ID, "by", currentUser(r).ID)
	wh.s.flash(r, web.FlashSuccess, "Enabled. New events go to it again; redeliver any that failed while it was off.")
	redirect(w, r, endpointPath(e.ID))
	return nil
}

// confirmRemove asks before removing: the delivery log goes too.
func (wh *webhookPages) confirmRemove(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return err
	}
	e, err := wh.endpointFromURL(r)
	if err != nil {
		return err
	}
	wh.s.render(w, r, http.StatusOK, web.WebhookRemove(web.WebhookRemovePage{Page: wh.s.page(r, "Remove "+webhookTitle(e)),
		Endpoint: webhookRow(e)}))
	return nil
}

// remove removes the endpoint once confirmed; a POST without the
// confirmation (a stray or replayed form) asks again and removes nothing.
func (wh *webhookPages) remove(w http.ResponseWriter, r *http.Request) error {
	e, err := wh.endpointToChange(r)
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		return wh.confirmRemove(w, r)
	}
	if _, err := wh.s.db.DeleteWebhookEndpoint(r.Context(), e.ID); err != nil {
		return err
	}
	wh.s.log.InfoContext(r.Context(), "webhook endpoint removed", "endpoint_id", e.ID, "by", currentUser(r).ID)
	wh.s.flash(r, web.FlashSuccess, "Removed "+webhookTitle(e)+" and its delivery log.")
	redirect(w, r, "/admin/webhooks")
	return nil
}

// refuse turns a conflict (the endpoint is disabled) into a message on the
// endpoint's page; other errors go to the error page.
func (wh *webhookPages) refuse(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	if handoff.ErrorCode(err) != handoff.ECONFLICT {
		return err
	}
	wh.s.flash(r, web.FlashError, handoff.ErrorMessage(err))
	redirect(w, r, endpointPath(id))
	return nil
}

// endpointToChange is the endpoint a POST names, once the actor may manage
// settings.
func (wh *webhookPages) endpointToChange(r *http.Request) (postgres.WebhookEndpoint, error) {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return postgres.WebhookEndpoint{}, err
	}
	return wh.endpointFromURL(r)
}

func (wh *webhookPages) endpointFromURL(r *http.Request) (postgres.WebhookEndpoint, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return postgres.WebhookEndpoint{}, handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	return wh.s.db.WebhookEndpoint(r.Context(), id)
}

func endpointPath(id int64) string { return "/admin/webhooks/" + strconv.FormatInt(id, 10) }

// webhookTitle names an endpoint: its description, else its address.
func webhookTitle(e postgres.WebhookEndpoint) string {
	if e.Description != "" {
		return e.Description
	}
	return webhook.DisplayURL(webhook.Kind(e.Kind), e.URL)
}

func webhookRow(e postgres.WebhookEndpoint) web.WebhookRow {
	row := web.WebhookRow{ID: e.ID, Title: webhookTitle(e), URL: webhook.DisplayURL(webhook.Kind(e.Kind), e.URL),
		Kind: webhook.Kind(e.Kind).Label(), Slack: e.Kind == string(webhook.KindSlack), Enabled: e.Enabled,
		DisabledAt: e.DisabledAt, DisabledReason: e.DisabledReason, FailingSince: e.FailingSince, LastFailureAt: e.LastFailureAt,
		CreatedAt: e.CreatedAt, CreatedBy: e.CreatedByName, LastAt: e.LastAt}
	if e.Description == "" {
		row.URL = ""
	}
	for _, t := range e.Events {
		row.Events = append(row.Events, webhook.Type(t).Label())
	}
	if len(e.Events) == len(webhook.AllTypes()) {
		row.Events = []string{"All events"}
	}
	if e.LastState != nil {
		row.LastState = *e.LastState
	}
	if e.LastStatus != nil {
		row.LastStatus = *e.LastStatus
	}
	return row
}

func deliveryRow(d postgres.WebhookDelivery) web.DeliveryRow {
	row := web.DeliveryRow{ID: d.ID, Type: webhook.Type(d.Type).Label(), Account: d.Account, State: d.State,
		Attempts: d.Attempts, Response: d.Response, Problem: d.Problem, CreatedAt: d.CreatedAt,
		LastAttemptAt: d.LastAttemptAt, NextAttemptAt: d.NextAttemptAt, LatencyMS: -1}
	if d.PackID != nil {
		row.PackID = *d.PackID
	}
	if d.RedeliveryOf != nil {
		row.RedeliveryOf = *d.RedeliveryOf
	}
	if d.StatusCode != nil {
		row.StatusCode = *d.StatusCode
	}
	if d.LatencyMS != nil {
		row.LatencyMS = *d.LatencyMS
	}
	return row
}

func webhookTypeOptions() []web.WebhookTypeOption {
	var out []web.WebhookTypeOption
	for _, t := range webhook.Types() {
		out = append(out, web.WebhookTypeOption{Value: string(t.Type), Label: t.Label, When: "Sent when " + t.When + "."})
	}
	return out
}

// stringSet is names as a set, for the form's checkboxes.
func stringSet(names []string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}
