package userpool

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// ListUsersInput is the ListUsers request.
type ListUsersInput struct {
	UserPoolId      string   `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	AttributesToGet []string `json:"AttributesToGet"`
	Limit           *int     `json:"Limit" aws:"range=0-60"`
	PaginationToken string   `json:"PaginationToken" aws:"len=1-"`
	Filter          string   `json:"Filter" aws:"len=0-256"`
}

// ListUsersOutput is the ListUsers response.
type ListUsersOutput struct {
	Users           []UserType `json:"Users"`
	PaginationToken string     `json:"PaginationToken,omitempty"`
}

var filterRE = regexp.MustCompile(`^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$`)

var searchable = map[string]bool{
	"username": true, "email": true, "phone_number": true, "name": true, "given_name": true,
	"family_name": true, "preferred_username": true, "cognito:user_status": true, "status": true, "sub": true,
}

// parseFilter reads the ListUsers filter grammar (api.md §3.9).
func parseFilter(f string) (*store.UserFilter, error) {
	if strings.TrimSpace(f) == "" {
		return nil, nil
	}
	m := filterRE.FindStringSubmatch(f)
	if m == nil {
		return nil, cognito.ErrInvalidParameter("Error while parsing filter.")
	}
	if !searchable[m[1]] {
		return nil, cognito.ErrInvalidParameter("Invalid search attribute: %s", m[1])
	}
	value := strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[3])
	if m[1] == "sub" {
		// Only username and status match case-sensitively (api.md §3.9);
		// every sub tarn makes is a lower-case UUID.
		value = strings.ToLower(value)
	}
	return &store.UserFilter{Attr: m[1], Value: value, Prefix: m[2] == "^="}, nil
}

// listUsersTokenTTL is how long a ListUsers PaginationToken is good for
// (api.md §3.9: one hour).
const listUsersTokenTTL = time.Hour

// ListUsers lists a pool's users, optionally filtered, a page at a time.
func (s *Service) ListUsers(ctx context.Context, in *ListUsersInput) (*ListUsersOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	f, err := parseFilter(in.Filter)
	if err != nil {
		return nil, err
	}
	if f != nil && f.Attr == "username" {
		f.Value = usernameKey(&pool, f.Value)
	}
	pg, page, err := s.pageRequest("ListUsers/"+pool.Id, listUsersTokenTTL, in.PaginationToken, in.Limit)
	if err != nil {
		return nil, err
	}
	users, err := s.st.ListUsers(ctx, pool.Id, f, page)
	if err != nil {
		return nil, err
	}
	out := &ListUsersOutput{Users: []UserType{}}
	users, out.PaginationToken = pageResult(pg, users, func(u *cognito.User) string { return u.Username })
	for i := range users {
		out.Users = append(out.Users, userType(&pool, &users[i], in.AttributesToGet))
	}
	return out, nil
}
