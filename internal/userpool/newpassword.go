package userpool

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// newPasswordChallenge asks a FORCE_CHANGE_PASSWORD user for a new
// password and the required attributes it still lacks (api.md §5.3).
func (s *Service) newPasswordChallenge(ctx context.Context, a *attempt, u *cognito.User) (*AuthOutput, error) {
	session, err := s.newSession(ctx, a, u.Username, "NEW_PASSWORD_REQUIRED")
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, def := range a.pool.SchemaAttributes {
		if def.Name != "sub" && def.Required != nil && *def.Required && u.Attributes[def.Name] == "" {
			missing = append(missing, "userAttributes."+def.Name)
		}
	}
	sort.Strings(missing)
	req, _ := json.Marshal(append([]string{}, missing...))
	attrs := map[string]string{}
	for k, v := range u.Attributes {
		if !strings.HasPrefix(k, "dev:") {
			attrs[k] = v
		}
	}
	cur, _ := json.Marshal(attrs)
	return &AuthOutput{
		ChallengeName: "NEW_PASSWORD_REQUIRED",
		Session:       session,
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP": u.Username, "requiredAttributes": string(req), "userAttributes": string(cur),
		},
	}, nil
}

// answerNewPassword sets the new password and attributes, confirms the
// user and continues the sign-in.
func (s *Service) answerNewPassword(ctx context.Context, a *attempt, session string, r map[string]string) (*AuthOutput, error) {
	if session == "" {
		return nil, cognito.ErrInvalidParameter("Missing required parameter Session")
	}
	as, err := s.openSession(ctx, a, session, "NEW_PASSWORD_REQUIRED")
	if err != nil {
		return nil, err
	}
	if err := s.sameUser(ctx, &a.pool, r["USERNAME"], as.User); err != nil {
		return nil, err
	}
	if err := required(r, "NEW_PASSWORD"); err != nil {
		return nil, err
	}
	u, err := s.st.GetUser(ctx, a.pool.Id, as.User)
	if err != nil {
		return nil, userStoreError(&a.pool, err)
	}
	if u.Status != cognito.StatusForceChangePassword {
		return nil, cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user.")
	}
	if !u.Enabled {
		return nil, cognito.Errorf(cognito.NotAuthorized, "User is disabled.")
	}
	// The answer's attributes, less the values the user already has
	// (clients echo the challenge's userAttributes): no change.
	var writes []AttributeType
	for k, v := range r {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok && u.Attributes[name] != v {
			writes = append(writes, AttributeType{Name: name, Value: v})
		}
	}
	sort.Slice(writes, func(i, j int) bool { return writes[i].Name < writes[j].Name })
	// [?] decision: the answer completes the user's creation, so it may set
	// an immutable attribute the user has no value for yet (a required one
	// AdminCreateUser left out would otherwise lock the user out); a value
	// the user already has changes under the update rules: immutable
	// attributes are refused, and a new email or phone number is unverified
	// (with a code when it is auto-verified), as UpdateUserAttributes does.
	var fresh, changed []AttributeType
	for _, at := range writes {
		if u.Attributes[at.Name] == "" {
			fresh = append(fresh, at)
			continue
		}
		if def, ok := a.pool.Schema(at.Name); ok && def.Required != nil && *def.Required {
			return nil, cognito.ErrInvalidParameter("Cannot modify an already provided %s", at.Name)
		}
		changed = append(changed, at)
	}
	merged := attrsToMap(writes)
	for k, v := range u.Attributes {
		if _, ok := merged[k]; !ok {
			merged[k] = v
		}
	}
	if name := missingRequired(&a.pool, merged); name != "" {
		return nil, cognito.ErrInvalidParameter("Invalid attributes given, %s is missing", name)
	}
	w := attrWrite{admin: a.admin}
	if !a.admin {
		w.client = &a.client
	}
	if err := checkAttributes(&a.pool, changed, w); err != nil {
		return nil, err
	}
	w.create = true
	if err := checkAttributes(&a.pool, fresh, w); err != nil {
		return nil, err
	}
	if err := checkPassword(&a.pool, r["NEW_PASSWORD"]); err != nil {
		return nil, err
	}
	if err := s.checkHistory(&a.pool, &u, r["NEW_PASSWORD"]); err != nil {
		return nil, err
	}
	cred, err := s.sealPassword(a.pool.Id, u.Username, r["NEW_PASSWORD"])
	if err != nil {
		return nil, err
	}
	_, err = s.updateAttributes(ctx, &a.pool, &u, writes, w, a.metadata, func(x *cognito.User) error {
		if x.Status != cognito.StatusForceChangePassword || !x.Enabled {
			// Answered concurrently, or disabled meanwhile.
			return cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user.")
		}
		setCredential(&a.pool, x, cred)
		x.PasswordSetAt, x.Status = s.now(), cognito.StatusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.signedIn(ctx, a, &u, "TokenGeneration_NewPasswordChallenge")
}
