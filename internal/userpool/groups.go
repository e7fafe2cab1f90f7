package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// errGroupNotFound is the ResourceNotFoundException for a missing group.
func errGroupNotFound() error { return cognito.Errorf(cognito.ResourceNotFound, "Group not found.") }

// CreateGroupInput is the request of CreateGroup.
type CreateGroupInput struct {
	GroupName   string `json:"GroupName" aws:"required,len=1-128,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	UserPoolId  string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Description string `json:"Description" aws:"len=0-2048"`
	RoleArn     string `json:"RoleArn" aws:"len=20-2048,pattern=arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?"`
	Precedence  *int   `json:"Precedence" aws:"range=0-2147483647"`
}

// GroupOutput is the response of CreateGroup, GetGroup and UpdateGroup.
type GroupOutput struct {
	Group cognito.Group `json:"Group"`
}

// CreateGroup creates a group in a pool. Errors: ResourceNotFoundException
// for an unknown pool; GroupExistsException (`A group with the name already
// exists.`); InvalidParameterException for a bad RoleArn or Precedence.
func (s *Service) CreateGroup(ctx context.Context, in *CreateGroupInput) (*GroupOutput, error) {
	if err := checkGroupFields(in.RoleArn, in.Precedence); err != nil {
		return nil, err
	}
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	now := cognito.At(s.now())
	g := cognito.Group{
		GroupName: in.GroupName, UserPoolId: pool.Id, Description: in.Description, RoleArn: in.RoleArn,
		LastModifiedDate: now, CreationDate: now,
	}
	if in.Precedence != nil {
		g.Precedence = intRef(*in.Precedence)
	}
	// As with pools, the quota is checked before the group is created, not
	// with it.
	exists := cognito.Errorf(cognito.GroupExists, "A group with the name already exists.")
	if n, err := s.st.CountGroups(ctx, pool.Id); err != nil {
		return nil, err
	} else if n >= s.maxGroups {
		if _, err := s.st.GetGroup(ctx, pool.Id, in.GroupName); err == nil {
			return nil, exists
		}
		return nil, cognito.Errorf(cognito.LimitExceeded, "The maximum number of groups (%d) has been reached for user pool %s.", s.maxGroups, pool.Id)
	}
	err = s.st.CreateGroup(ctx, g)
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, exists
	}
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	return &GroupOutput{Group: g}, nil
}

// GroupInput names a group: the request of GetGroup and DeleteGroup.
type GroupInput struct {
	GroupName  string `json:"GroupName" aws:"required,len=1-128,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
}

// GetGroup returns a group. Errors: ResourceNotFoundException for an
// unknown pool or group (`Group not found.`).
func (s *Service) GetGroup(ctx context.Context, in *GroupInput) (*GroupOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	g, err := s.group(ctx, s.st, pool.Id, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &GroupOutput{Group: g}, nil
}

// UpdateGroupInput is the request of UpdateGroup.
type UpdateGroupInput struct {
	GroupName   string  `json:"GroupName" aws:"required,len=1-128,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	UserPoolId  string  `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Description *string `json:"Description" aws:"len=0-2048"`
	RoleArn     *string `json:"RoleArn" aws:"len=20-2048,pattern=arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?"`
	Precedence  *int    `json:"Precedence" aws:"range=0-2147483647"`
}

// UpdateGroup changes a group's Description, RoleArn and Precedence and
// returns the group. [?] Members the request omits are left unchanged, as
// emulators do (api.md §2.2 E; AWS may clear them); an explicit empty
// Description clears it. Errors: ResourceNotFoundException for an unknown
// pool or group; InvalidParameterException for a bad RoleArn or Precedence.
func (s *Service) UpdateGroup(ctx context.Context, in *UpdateGroupInput) (*GroupOutput, error) {
	role := ""
	if in.RoleArn != nil {
		role = *in.RoleArn
		if role == "" {
			return nil, cognito.ErrInvalidParameter("RoleArn must be 20 to 2048 characters long.")
		}
	}
	if err := checkGroupFields(role, in.Precedence); err != nil {
		return nil, err
	}
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	now := cognito.At(s.now())
	var out cognito.Group
	err = s.st.UpdateGroup(ctx, pool.Id, in.GroupName, func(g *cognito.Group) error {
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.RoleArn != nil {
			g.RoleArn = *in.RoleArn
		}
		if in.Precedence != nil {
			g.Precedence = intRef(*in.Precedence)
		}
		g.LastModifiedDate = now
		out = *g
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errGroupNotFound()
	}
	if err != nil {
		return nil, err
	}
	return &GroupOutput{Group: out}, nil
}

// DeleteGroup deletes a group and its memberships. Errors:
// ResourceNotFoundException for an unknown pool or group.
func (s *Service) DeleteGroup(ctx context.Context, in *GroupInput) (*Empty, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if err := s.st.DeleteGroup(ctx, pool.Id, in.GroupName); errors.Is(err, store.ErrNotFound) {
		return nil, errGroupNotFound()
	} else if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListGroupsInput is the request of ListGroups.
type ListGroupsInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Limit      *int   `json:"Limit" aws:"range=0-60"`
	NextToken  string `json:"NextToken"`
}

// GroupsOutput is the response of ListGroups and AdminListGroupsForUser.
type GroupsOutput struct {
	Groups    []cognito.Group `json:"Groups"`
	NextToken string          `json:"NextToken,omitempty"`
}

// ListGroups lists the pool's groups ordered by name, Limit (0–60; 0 or
// absent = 60) at a time; NextToken is absent on the last page. Errors:
// ResourceNotFoundException; InvalidParameterException for a bad NextToken.
func (s *Service) ListGroups(ctx context.Context, in *ListGroupsInput) (*GroupsOutput, error) {
	pool, pg, page, err := s.poolPage(ctx, "ListGroups", in.UserPoolId, "", in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	groups, err := s.st.ListGroups(ctx, pool.Id, page)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return groupsPage(pg, groups), nil
}

// AdminGroupMemberInput is the request of AdminAddUserToGroup and
// AdminRemoveUserFromGroup.
type AdminGroupMemberInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Username   string `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	GroupName  string `json:"GroupName" aws:"required,len=1-128,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
}

// AdminAddUserToGroup adds a user (by username, sub or alias) to a group;
// adding a member again is a no-op. Errors: ResourceNotFoundException for
// an unknown pool or group (checked before the user); UserNotFoundException.
// [?] The 100-groups-per-user quota is not enforced: the model declares no
// LimitExceededException for this operation.
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *AdminGroupMemberInput) (*Empty, error) {
	return s.membership(ctx, in, func(st store.Store, poolID, username string) error {
		return st.AddUserToGroup(ctx, poolID, username, in.GroupName)
	})
}

// AdminRemoveUserFromGroup removes a user from a group; removing a
// non-member is a no-op. Errors as AdminAddUserToGroup.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *AdminGroupMemberInput) (*Empty, error) {
	return s.membership(ctx, in, func(st store.Store, poolID, username string) error {
		return st.RemoveUserFromGroup(ctx, poolID, username, in.GroupName)
	})
}

// membership resolves pool, group and user, then runs change in one
// transaction with the group check, so a group deleted meanwhile is not
// given a member.
func (s *Service) membership(ctx context.Context, in *AdminGroupMemberInput, change func(st store.Store, poolID, username string) error) (*Empty, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, err := s.group(ctx, s.st, pool.Id, in.GroupName); err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, &pool, in.Username)
	if err != nil {
		return nil, err
	}
	err = s.st.Tx(ctx, func(st store.Store) error {
		if _, err := s.group(ctx, st, pool.Id, in.GroupName); err != nil {
			return err
		}
		return change(st, pool.Id, u.Username)
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// AdminListGroupsForUserInput is the request of AdminListGroupsForUser.
type AdminListGroupsForUserInput struct {
	Username   string `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Limit      *int   `json:"Limit" aws:"range=0-60"`
	NextToken  string `json:"NextToken"`
}

// AdminListGroupsForUser lists the groups of a user (by username, sub or
// alias) ordered by name, Limit (0–60; 0 or absent = 60) at a time. Errors:
// ResourceNotFoundException; UserNotFoundException;
// InvalidParameterException for a bad NextToken.
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *AdminListGroupsForUserInput) (*GroupsOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, &pool, in.Username)
	if err != nil {
		return nil, err
	}
	pg, page, err := s.pageRequest("AdminListGroupsForUser/"+pool.Id+"/"+u.Username, 0, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	groups, err := s.st.ListGroupsForUser(ctx, pool.Id, u.Username, page)
	if err != nil {
		return nil, fmt.Errorf("list groups for user: %w", err)
	}
	return groupsPage(pg, groups), nil
}

// ListUsersInGroupInput is the request of ListUsersInGroup.
type ListUsersInGroupInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	GroupName  string `json:"GroupName" aws:"required,len=1-128,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	Limit      *int   `json:"Limit" aws:"range=0-60"`
	NextToken  string `json:"NextToken"`
}

// ListUsersInGroupOutput is the response of ListUsersInGroup.
type ListUsersInGroupOutput struct {
	Users     []UserType `json:"Users"`
	NextToken string     `json:"NextToken,omitempty"`
}

// ListUsersInGroup lists a group's members ordered by username, Limit
// (0–60; 0 or absent = 60) at a time, each as a UserType with all its
// attributes. Errors: ResourceNotFoundException for an unknown pool or
// group; InvalidParameterException for a bad NextToken.
func (s *Service) ListUsersInGroup(ctx context.Context, in *ListUsersInGroupInput) (*ListUsersInGroupOutput, error) {
	pool, pg, page, err := s.poolPage(ctx, "ListUsersInGroup", in.UserPoolId, in.GroupName, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	if _, err := s.group(ctx, s.st, pool.Id, in.GroupName); err != nil {
		return nil, err
	}
	users, err := s.st.ListUsersInGroup(ctx, pool.Id, in.GroupName, page)
	if err != nil {
		return nil, fmt.Errorf("list users in group: %w", err)
	}
	users, next := pageResult(pg, users, func(u *cognito.User) string { return u.Username })
	out := &ListUsersInGroupOutput{Users: make([]UserType, 0, len(users)), NextToken: next}
	for i := range users {
		out.Users = append(out.Users, userType(&pool, &users[i], nil))
	}
	return out, nil
}

// group loads a group through st, mapping a missing one to
// ResourceNotFoundException (`Group not found.`).
func (s *Service) group(ctx context.Context, st store.Store, poolID, name string) (cognito.Group, error) {
	g, err := st.GetGroup(ctx, poolID, name)
	if errors.Is(err, store.ErrNotFound) {
		return g, errGroupNotFound()
	}
	return g, err
}

// groupsPage trims a page of groups fetched with pageRequest.
func groupsPage(pg pager, groups []cognito.Group) *GroupsOutput {
	groups, next := pageResult(pg, groups, func(g *cognito.Group) string { return g.GroupName })
	if groups == nil {
		groups = []cognito.Group{}
	}
	return &GroupsOutput{Groups: groups, NextToken: next}
}

// checkGroupFields validates the optional RoleArn and Precedence of a
// group (InvalidParameterException).
func checkGroupFields(roleArn string, precedence *int) error {
	if roleArn != "" {
		if err := checkARN("roleArn", roleArn); err != nil {
			return err
		}
	}
	if precedence != nil && *precedence < 0 {
		return cognito.ErrInvalidParameter("Precedence must be 0 or greater.")
	}
	return nil
}
