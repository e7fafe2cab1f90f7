package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// Groups is the group configuration of a token (§12.2).
type Groups struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IamRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// TokenOverride is what a pre token generation function asked for,
// normalised across V1_0 and V2_0/V3_0.
type TokenOverride struct {
	IDAdd          map[string]any
	IDSuppress     []string
	AccessAdd      map[string]any
	AccessSuppress []string
	ScopesAdd      []string
	ScopesSuppress []string
	// Groups replaces the group claims when ReplaceGroups is set; an empty
	// or null groupOverrideDetails suppresses them (§12.5).
	ReplaceGroups bool
	Groups        Groups
}

// PreTokenGeneration runs the pre token generation trigger (§12) with the
// version the pool configures (PreTokenGenerationConfig.LambdaVersion,
// V1_0 for the legacy field). It returns nil when no trigger is configured.
func (d *Dispatcher) PreTokenGeneration(ctx context.Context, c Caller, source, userName string, attrs map[string]string, groups Groups, scopes []string, clientMetadata map[string]string) (*TokenOverride, error) {
	if c.Config == nil {
		return nil, nil
	}
	arn, version := c.Config.PreTokenGeneration, "V1_0"
	if p := c.Config.PreTokenGenerationConfig; p != nil && p.LambdaArn != "" {
		arn, version = p.LambdaArn, p.LambdaVersion
	}
	if arn == "" {
		return nil, nil
	}
	evVersion := map[string]string{"V1_0": "1", "V2_0": "2", "V3_0": "3"}[version]
	ev := c.event(source, userName, evVersion)
	ev.Request["userAttributes"] = attrs
	if groups.GroupsToOverride == nil {
		groups.GroupsToOverride = []string{}
	}
	if groups.IamRolesToOverride == nil {
		groups.IamRolesToOverride = []string{}
	}
	ev.Request["groupConfiguration"] = groups
	if evVersion != "1" {
		ev.Request["scopes"] = scopes
	}
	withMetadata(ev.Request, clientMetadata)
	var o *TokenOverride
	parse := func(raw json.RawMessage) (err error) {
		if evVersion == "1" {
			o, err = decodeV1(raw)
		} else {
			o, err = decodeV2(raw)
		}
		return err
	}
	if _, err := d.invoke(ctx, call{trigger: "PreTokenGeneration", arn: arn, event: ev, parse: parse}); err != nil {
		return nil, err
	}
	return o, nil
}

type claimsDetails struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress"`
	ScopesToAdd           []string       `json:"scopesToAdd"`
	ScopesToSuppress      []string       `json:"scopesToSuppress"`
}

func groupOverride(raw json.RawMessage, o *TokenOverride) error {
	if raw == nil {
		return nil // absent: groups unchanged
	}
	o.ReplaceGroups = true
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil
	}
	return decode(raw, &o.Groups)
}

func decodeV1(raw json.RawMessage) (*TokenOverride, error) {
	var r struct {
		Details *struct {
			ClaimsToAddOrOverride map[string]any  `json:"claimsToAddOrOverride"`
			ClaimsToSuppress      []string        `json:"claimsToSuppress"`
			GroupOverrideDetails  json.RawMessage `json:"groupOverrideDetails"`
		} `json:"claimsOverrideDetails"`
	}
	if err := decode(raw, &r); err != nil {
		return nil, err
	}
	o := &TokenOverride{}
	if r.Details == nil {
		return o, nil
	}
	for k, v := range r.Details.ClaimsToAddOrOverride {
		if _, ok := v.(string); !ok {
			return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Invalid lambda function output : claimsToAddOrOverride values must be strings in V1_0 (claim %s)", k)
		}
	}
	o.IDAdd, o.IDSuppress = r.Details.ClaimsToAddOrOverride, r.Details.ClaimsToSuppress
	return o, groupOverride(r.Details.GroupOverrideDetails, o)
}

func decodeV2(raw json.RawMessage) (*TokenOverride, error) {
	var r struct {
		Details *struct {
			ID     *claimsDetails  `json:"idTokenGeneration"`
			Access *claimsDetails  `json:"accessTokenGeneration"`
			Groups json.RawMessage `json:"groupOverrideDetails"`
		} `json:"claimsAndScopeOverrideDetails"`
	}
	if err := decode(raw, &r); err != nil {
		return nil, err
	}
	o := &TokenOverride{}
	if r.Details == nil {
		return o, nil
	}
	if id := r.Details.ID; id != nil {
		o.IDAdd, o.IDSuppress = id.ClaimsToAddOrOverride, id.ClaimsToSuppress
		for _, k := range []string{"email_verified", "phone_number_verified", "updated_at", "address"} {
			switch o.IDAdd[k].(type) {
			case map[string]any, []any:
				return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Invalid lambda function output : %s cannot have a complex value in the ID token", k)
			}
		}
	}
	if a := r.Details.Access; a != nil {
		o.AccessAdd, o.AccessSuppress = a.ClaimsToAddOrOverride, a.ClaimsToSuppress
		o.ScopesAdd, o.ScopesSuppress = a.ScopesToAdd, a.ScopesToSuppress
		for _, s := range o.ScopesAdd {
			if strings.ContainsAny(s, " \t\n") {
				return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Invalid lambda function output : scopesToAdd values must not contain whitespace")
			}
		}
	}
	return o, groupOverride(r.Details.Groups, o)
}

// Claims a function may not add, change or suppress (§12.5), by token.
var protected = map[string]bool{
	"acr": true, "amr": true, "auth_time": true, "azp": true, "exp": true, "iat": true, "iss": true, "jti": true,
	"nbf": true, "nonce": true, "origin_jti": true, "token_use": true, "sub": true, "at_hash": true,
	"identities": true, "cognito:username": true, "username": true, "client_id": true, "event_id": true,
	"device_key": true, "version": true, "scope": true, "cognito:groups": true, "cognito:roles": true,
	"cognito:preferred_role": true,
}

// Apply changes the ID and access token claims as the override asks.
// [?] decision: attempts to touch protected claims are dropped silently,
// as emulators report AWS does; suppression beats addition. clientID is the
// only value an added access-token "aud" may have.
func (o *TokenOverride) Apply(id, access map[string]any, clientID string) {
	if o == nil {
		return
	}
	apply := func(claims map[string]any, add map[string]any, suppress []string, isAccess bool) {
		for k, v := range add {
			switch {
			case isAccess && k == "aud":
				if v == clientID {
					claims[k] = v
				}
			case protected[k] || k == "aud" || strings.HasPrefix(k, "cognito:") || strings.HasPrefix(k, "dev:"):
			default:
				claims[k] = v
			}
		}
		for _, k := range suppress {
			if k == "cognito:groups" {
				delete(claims, "cognito:groups")
				delete(claims, "cognito:roles")
				delete(claims, "cognito:preferred_role")
				continue
			}
			if !protected[k] && !strings.HasPrefix(k, "cognito:") && k != "aud" {
				delete(claims, k)
			}
		}
	}
	if o.ReplaceGroups {
		for _, c := range []map[string]any{id, access} {
			delete(c, "cognito:groups")
			if len(o.Groups.GroupsToOverride) > 0 {
				c["cognito:groups"] = o.Groups.GroupsToOverride
			}
		}
		delete(id, "cognito:roles")
		delete(id, "cognito:preferred_role")
		if len(o.Groups.IamRolesToOverride) > 0 {
			id["cognito:roles"] = o.Groups.IamRolesToOverride
		}
		if o.Groups.PreferredRole != nil && *o.Groups.PreferredRole != "" {
			id["cognito:preferred_role"] = *o.Groups.PreferredRole
		}
	}
	apply(id, o.IDAdd, o.IDSuppress, false)
	apply(access, o.AccessAdd, o.AccessSuppress, true)
	if len(o.ScopesAdd)+len(o.ScopesSuppress) > 0 {
		scopes := strings.Fields(toString(access["scope"]))
		for _, s := range o.ScopesAdd {
			if !cognito.Has(scopes, s) {
				scopes = append(scopes, s)
			}
		}
		kept := scopes[:0]
		for _, s := range scopes {
			if !cognito.Has(o.ScopesSuppress, s) {
				kept = append(kept, s)
			}
		}
		access["scope"] = strings.Join(kept, " ")
	}
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}
