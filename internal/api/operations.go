package api

import "github.com/tarn-idp/tarn/internal/userpool"

// Operations returns the table of cognito-idp operations that s implements,
// by X-Amz-Target operation name. Anything absent answers
// UnknownOperationException naming the operation.
func Operations(s *userpool.Service) map[string]Operation {
	return map[string]Operation{
		// Pools and app clients.
		"CreateUserPool":         Op(s.CreateUserPool),
		"DescribeUserPool":       Op(s.DescribeUserPool),
		"UpdateUserPool":         Op(s.UpdateUserPool),
		"DeleteUserPool":         Op(s.DeleteUserPool),
		"ListUserPools":          Op(s.ListUserPools),
		"AddCustomAttributes":    Op(s.AddCustomAttributes),
		"CreateUserPoolClient":   Op(s.CreateUserPoolClient),
		"DescribeUserPoolClient": Op(s.DescribeUserPoolClient),
		"UpdateUserPoolClient":   Op(s.UpdateUserPoolClient),
		"DeleteUserPoolClient":   Op(s.DeleteUserPoolClient),
		"ListUserPoolClients":    Op(s.ListUserPoolClients),

		// Users, administrative.
		"AdminCreateUser":           Op(s.AdminCreateUser),
		"AdminGetUser":              Op(s.AdminGetUser),
		"AdminDeleteUser":           Op(s.AdminDeleteUser),
		"AdminUpdateUserAttributes": Op(s.AdminUpdateUserAttributes),
		"AdminDeleteUserAttributes": Op(s.AdminDeleteUserAttributes),
		"AdminDisableUser":          Op(s.AdminDisableUser),
		"AdminEnableUser":           Op(s.AdminEnableUser),
		"AdminSetUserPassword":      Op(s.AdminSetUserPassword),
		"AdminResetUserPassword":    Op(s.AdminResetUserPassword),
		"AdminConfirmSignUp":        Op(s.AdminConfirmSignUp),
		"AdminUserGlobalSignOut":    Op(s.AdminUserGlobalSignOut),
		"ListUsers":                 Op(s.ListUsers),

		// Groups.
		"CreateGroup":              Op(s.CreateGroup),
		"GetGroup":                 Op(s.GetGroup),
		"UpdateGroup":              Op(s.UpdateGroup),
		"DeleteGroup":              Op(s.DeleteGroup),
		"ListGroups":               Op(s.ListGroups),
		"AdminAddUserToGroup":      Op(s.AdminAddUserToGroup),
		"AdminRemoveUserFromGroup": Op(s.AdminRemoveUserFromGroup),
		"AdminListGroupsForUser":   Op(s.AdminListGroupsForUser),
		"ListUsersInGroup":         Op(s.ListUsersInGroup),

		// Users, self-service.
		"SignUp":                           Op(s.SignUp),
		"ConfirmSignUp":                    Op(s.ConfirmSignUp),
		"ResendConfirmationCode":           Op(s.ResendConfirmationCode),
		"ForgotPassword":                   Op(s.ForgotPassword),
		"ConfirmForgotPassword":            Op(s.ConfirmForgotPassword),
		"GetUser":                          Op(s.GetUser),
		"ChangePassword":                   Op(s.ChangePassword),
		"UpdateUserAttributes":             Op(s.UpdateUserAttributes),
		"DeleteUserAttributes":             Op(s.DeleteUserAttributes),
		"DeleteUser":                       Op(s.DeleteUser),
		"GetUserAttributeVerificationCode": Op(s.GetUserAttributeVerificationCode),
		"VerifyUserAttribute":              Op(s.VerifyUserAttribute),
		"GlobalSignOut":                    Op(s.GlobalSignOut),
		"RevokeToken":                      Op(s.RevokeToken),

		// Authentication.
		"InitiateAuth":                Op(s.InitiateAuth),
		"AdminInitiateAuth":           Op(s.AdminInitiateAuth),
		"RespondToAuthChallenge":      Op(s.RespondToAuthChallenge),
		"AdminRespondToAuthChallenge": Op(s.AdminRespondToAuthChallenge),
		"GetTokensFromRefreshToken":   Op(s.GetTokensFromRefreshToken),
	}
}
