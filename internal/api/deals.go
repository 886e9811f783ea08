package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
)

// dealRequest is the body of POST /api/v1/deals: a contract CRM workflows are
// built against, so its field names never change.
type dealRequest struct {
	CRMOpportunityID string
	AccountName      string
	OpportunityName  string
	Segment          string
	ARR              struct {
		Amount   int64
		Currency string
	}
	ClosedWonDate string
	SEEmail       string
	SAEmail       string
	AE, CSM       struct{ Name, Email string }
	present       map[string]bool
}

// spec maps each JSON key to where it decodes, or to a nested spec.
type spec map[string]any

func (d *dealRequest) spec() spec {
	return spec{
		"crm_opportunity_id": &d.CRMOpportunityID,
		"account_name":       &d.AccountName,
		"opportunity_name":   &d.OpportunityName,
		"segment":            &d.Segment,
		"arr":                spec{"amount": &d.ARR.Amount, "currency": &d.ARR.Currency},
		"closed_won_date":    &d.ClosedWonDate,
		"se_email":           &d.SEEmail,
		"sa_email":           &d.SAEmail,
		"ae":                 spec{"name": &d.AE.Name, "email": &d.AE.Email},
		"csm":                spec{"name": &d.CSM.Name, "email": &d.CSM.Email},
	}
}

// maxBody bounds a request body; a deal is well under a kilobyte.
const maxBody = 64 << 10

// decodeStrict reads a JSON object into s, reporting every unknown field and
// every value of the wrong type as a field error, not just the first. A body
// that is not JSON at all is a 400.
func decodeStrict(w http.ResponseWriter, r *http.Request, s spec, present map[string]bool) (handoff.FieldErrors, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return nil, &problemError{problem{Status: http.StatusRequestEntityTooLarge, Detail: "The body is larger than 64 KiB."}}
	}
	// PostgreSQL cannot store a NUL character in text; refuse it up front
	// rather than fail deep in a query.
	if bytes.Contains(body, []byte(`\u0000`)) {
		return nil, &problemError{problem{Status: http.StatusUnprocessableEntity, Detail: "Text values can't contain NUL (\\u0000) characters."}}
	}
	fe := handoff.FieldErrors{}
	if err := decodeObject("", body, s, fe, present); err != nil {
		return nil, &problemError{problem{Status: http.StatusBadRequest, Detail: "The body is not a JSON object: " + err.Error()}}
	}
	return fe, nil
}

func decodeObject(prefix string, raw []byte, s spec, fe handoff.FieldErrors, present map[string]bool) error {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&obj); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the object")
	}
	if obj == nil {
		return errors.New("null is not an object")
	}
	for key, val := range obj {
		path := prefix + key
		target, ok := s[key]
		if !ok {
			fe.Add(path, "Unknown field.")
			continue
		}
		if string(val) == "null" {
			continue // the same as absent
		}
		present[path] = true
		if nested, ok := target.(spec); ok {
			if len(val) == 0 || val[0] != '{' {
				fe.Add(path, "Must be an object.")
				continue
			}
			_ = decodeObject(path+".", val, nested, fe, present)
			continue
		}
		if err := json.Unmarshal(val, target); err != nil {
			switch target.(type) {
			case *int64:
				fe.Add(path, "Must be a whole number (hundredths of the currency unit: cents for USD, and JPY 30,000 is 3000000).")
			default:
				fe.Add(path, "Must be a string.")
			}
		}
	}
	return nil
}

// validateFields maps the domain's form field names onto the API's.
var validateFields = map[string]string{
	"arr": "arr.amount", "currency": "arr.currency", "closed_won_on": "closed_won_date",
	"ae_name": "ae.name", "ae_email": "ae.email", "csm_name": "csm.name", "csm_email": "csm.email",
}

// createDeal is the Closed-Won trigger. The same crm_opportunity_id again
// answers 200 with the deal already recorded, never a second deal.
func (a *api) createDeal(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var req dealRequest
	req.present = map[string]bool{}
	fe, err := decodeStrict(w, r, req.spec(), req.present)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		return &problemError{invalid(fe)}
	}
	crm := strings.TrimSpace(req.CRMOpportunityID)
	if crm != "" {
		// Idempotency first: a retry of a call that succeeded must succeed,
		// even if, say, the SE has left since.
		if packID, err := a.DB.PackIDByCRMOpportunityID(ctx, crm); err == nil {
			return a.writeDeal(w, r, http.StatusOK, packID)
		} else if handoff.ErrorCode(err) != handoff.ENOTFOUND {
			return err
		}
	}

	cal, _, err := a.Calendar(ctx)
	if err != nil {
		return err
	}
	now := a.Now()
	in := handoff.DealInput{
		AccountName: req.AccountName, OpportunityName: req.OpportunityName, CRMOpportunityID: crm,
		Segment: req.Segment, Currency: req.ARR.Currency, ClosedWonOn: req.ClosedWonDate,
		AEName: req.AE.Name, AEEmail: req.AE.Email, CSMName: req.CSM.Name, CSMEmail: req.CSM.Email,
	}
	if req.present["arr.amount"] {
		// Hundredths back to the major-unit text the domain parses; the
		// round trip is exact (two decimals), and negatives, fractions of a
		// currency with no minor unit (JPY) and the rest are refused there.
		m := req.ARR.Amount
		sign := ""
		if m < 0 {
			sign, m = "-", -m
		}
		in.ARR = fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
	}
	deal, err := handoff.ValidateDeal(in, cal.Today(now).Time())
	fields := handoff.InvalidFields(err)
	if err != nil && fields == nil {
		return err
	}
	for k, v := range fields {
		if api, ok := validateFields[k]; ok {
			k = api
		}
		fe.Add(k, v)
	}
	if crm == "" {
		fe.Add("crm_opportunity_id", "Send the CRM opportunity id: it makes the call safe to retry.")
	}
	switch {
	case !req.present["arr"]:
		delete(fe, "arr.amount")
		delete(fe, "arr.currency")
		fe["arr"] = "Send the ARR as {\"amount\": hundredths of the currency unit, \"currency\": \"USD\"}."
	default:
		if !req.present["arr.amount"] {
			fe["arr.amount"] = "Send the amount in hundredths of the currency unit (cents for USD, and JPY 30,000 is 3000000)."
		}
		if strings.TrimSpace(req.ARR.Currency) == "" {
			fe["arr.currency"] = "Send an ISO currency code in use today, such as USD, EUR or JPY."
		}
	}

	// The SE and SA must be real, active people in those roles
	// (handoff.CheckAssignee, in person).
	se, err := a.person(r, req.SEEmail, handoff.RoleSE, true)
	if err != nil && handoff.ErrorCode(err) != handoff.EINVALID {
		return err // the database, not the caller's input
	}
	if err != nil {
		fe.Add("se_email", handoff.ErrorMessage(err))
	} else {
		deal.SEID = se.ID
	}
	if sa, err := a.person(r, req.SAEmail, handoff.RoleSA, false); err != nil && handoff.ErrorCode(err) != handoff.EINVALID {
		return err
	} else if err != nil {
		fe.Add("sa_email", handoff.ErrorMessage(err))
	} else if sa != nil {
		deal.SAID = sa.ID
	}
	if len(fe) > 0 {
		return &problemError{invalid(fe)}
	}

	// The CRM integration records the deal as the system (no person): the
	// token is the org's, not whoever happened to create it.
	packID, err := a.DB.CreateDeal(ctx, &handoff.User{Name: "CRM (" + tokenOf(r).Name + ")"}, deal, a.Due, now)
	if fields := handoff.InvalidFields(err); fields != nil && fields["crm_opportunity_id"] != "" {
		// Lost a race with the same call: the other one recorded the deal.
		if packID, err := a.DB.PackIDByCRMOpportunityID(ctx, crm); err == nil {
			return a.writeDeal(w, r, http.StatusOK, packID)
		}
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/packs/"+strconv.FormatInt(packID, 10))
	return a.writeDeal(w, r, http.StatusCreated, packID)
}

// person resolves an email to a user handoff.CheckAssignee accepts as role.
func (a *api) person(r *http.Request, email string, role handoff.Role, required bool) (*handoff.User, error) {
	email = handoff.NormalizeEmail(email)
	if email == "" {
		if required {
			return nil, handoff.Errorf(handoff.EINVALID, "Send the email address of the %s.", role.Label())
		}
		return nil, nil
	}
	u, _, err := a.DB.UserByEmail(r.Context(), email)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if handoff.CheckAssignee(u, role) != nil {
		return nil, handoff.Errorf(handoff.EINVALID, "No active %s has this email address.", role.Label())
	}
	return u, nil
}

func (a *api) writeDeal(w http.ResponseWriter, r *http.Request, status int, packID int64) error {
	p, err := a.DB.Pack(r.Context(), integration, packID)
	if err != nil {
		return err
	}
	cal, st, err := a.Calendar(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, status, a.packView(cal, st, p))
	return nil
}
