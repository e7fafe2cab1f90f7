package userpool

import (
	"sort"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// AttributeType is a {Name, Value} pair as on the wire.
type AttributeType struct {
	Name  string `json:"Name" aws:"required,len=1-32"`
	Value string `json:"Value" aws:"len=0-2048,sensitive"`
}

// UserType is the API's UserType (AdminCreateUser, ListUsers, ListUsersInGroup).
type UserType struct {
	Username             string            `json:"Username"`
	Attributes           []AttributeType   `json:"Attributes"`
	UserCreateDate       cognito.Timestamp `json:"UserCreateDate"`
	UserLastModifiedDate cognito.Timestamp `json:"UserLastModifiedDate"`
	Enabled              bool              `json:"Enabled"`
	UserStatus           string            `json:"UserStatus"`
}

// CodeDeliveryDetails is CodeDeliveryDetailsType with a masked destination.
type CodeDeliveryDetails struct {
	Destination    string `json:"Destination"`
	DeliveryMedium string `json:"DeliveryMedium"`
	AttributeName  string `json:"AttributeName"`
}

// attributeList renders a user's attributes, sub first, then by name.
// With only non-empty, just those names are included.
func attributeList(u *cognito.User, only []string) []AttributeType {
	out := make([]AttributeType, 0, len(u.Attributes)+1)
	if len(only) == 0 || cognito.Has(only, "sub") {
		out = append(out, AttributeType{Name: "sub", Value: u.Sub})
	}
	names := make([]string, 0, len(u.Attributes))
	for n := range u.Attributes {
		if len(only) == 0 || cognito.Has(only, n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, AttributeType{Name: n, Value: u.Attributes[n]})
	}
	return out
}

// userType renders u as a UserType; only restricts the attributes
// (AttributesToGet).
func userType(pool *cognito.UserPool, u *cognito.User, only []string) UserType {
	return UserType{
		Username:             u.Username,
		Attributes:           attributeList(u, only),
		UserCreateDate:       cognito.At(u.Created),
		UserLastModifiedDate: cognito.At(u.Modified),
		Enabled:              u.Enabled,
		UserStatus:           u.Status,
	}
}

func attrsToMap(list []AttributeType) map[string]string {
	m := make(map[string]string, len(list))
	for _, a := range list {
		m[a.Name] = a.Value
	}
	return m
}
