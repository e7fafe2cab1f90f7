// Package cognito holds tarn's domain: user pools, app clients, users,
// groups, codes, tokens records and the Cognito error catalogue. It does no
// I/O and imports nothing of ours; every other package speaks these types.
package cognito

import "fmt"

// Error is a Cognito API error: Code is the exception shape name that goes
// into `__type` (e.g. "NotAuthorizedException"), Message the human text.
// It is rendered once, by the api package.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds an *Error with the given exception name.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode reports the Cognito exception name of err, or "" when err is not
// a Cognito error.
func ErrorCode(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return ""
}

// Exception names used by tarn (api.md §2.5).
const (
	AliasExists                  = "AliasExistsException"
	CodeDeliveryFailure          = "CodeDeliveryFailureException"
	CodeMismatch                 = "CodeMismatchException"
	ConcurrentModification       = "ConcurrentModificationException"
	ExpiredCode                  = "ExpiredCodeException"
	GroupExists                  = "GroupExistsException"
	InternalError                = "InternalErrorException"
	InvalidLambdaResponse        = "InvalidLambdaResponseException"
	InvalidOAuthFlow             = "InvalidOAuthFlowException"
	InvalidParameter             = "InvalidParameterException"
	InvalidPassword              = "InvalidPasswordException"
	InvalidUserPoolConfig        = "InvalidUserPoolConfigurationException"
	LimitExceeded                = "LimitExceededException"
	NotAuthorized                = "NotAuthorizedException"
	PasswordResetRequired        = "PasswordResetRequiredException"
	ResourceNotFound             = "ResourceNotFoundException"
	ScopeDoesNotExist            = "ScopeDoesNotExistException"
	TooManyFailedAttempts        = "TooManyFailedAttemptsException"
	TooManyRequests              = "TooManyRequestsException"
	Unauthorized                 = "UnauthorizedException"
	UnexpectedLambda             = "UnexpectedLambdaException"
	UnsupportedOperation         = "UnsupportedOperationException"
	UnsupportedTokenType         = "UnsupportedTokenTypeException"
	UnsupportedUserState         = "UnsupportedUserStateException"
	UnknownOperation             = "UnknownOperationException"
	UserLambdaValidation         = "UserLambdaValidationException"
	UserNotConfirmed             = "UserNotConfirmedException"
	UserNotFound                 = "UserNotFoundException"
	UsernameExists               = "UsernameExistsException"
	RefreshTokenReuse            = "RefreshTokenReuseException"
	SerializationException       = "SerializationException"
	PreconditionNotMet           = "PreconditionNotMetException"
	MFAMethodNotFound            = "MFAMethodNotFoundException"
	SoftwareTokenMFANotFound     = "SoftwareTokenMFANotFoundException"
	UserPoolTagging              = "UserPoolTaggingException"
	PasswordHistoryViolation     = "PasswordHistoryPolicyViolationException"
	FeatureUnavailableInTier     = "FeatureUnavailableInTierException"
	InvalidSmsRoleAccessPolicy   = "InvalidSmsRoleAccessPolicyException"
	InvalidEmailRoleAccessPolicy = "InvalidEmailRoleAccessPolicyException"
)

// Frequently used errors with their observed texts.
func ErrPoolNotFound(id string) *Error {
	return Errorf(ResourceNotFound, "User pool %s does not exist.", id)
}

func ErrClientNotFound(id string) *Error {
	return Errorf(ResourceNotFound, "User pool client %s does not exist.", id)
}

func ErrUserNotFound() *Error { return Errorf(UserNotFound, "User does not exist.") }

func ErrIncorrectPassword() *Error {
	return Errorf(NotAuthorized, "Incorrect username or password.")
}

func ErrInvalidParameter(format string, args ...any) *Error {
	return Errorf(InvalidParameter, format, args...)
}
