package userpool

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
)

var (
	// decimalRE is a plain decimal number, the only kind a Number
	// attribute holds.
	decimalRE = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)
	emailRE   = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
	phoneRE   = regexp.MustCompile(`^\+[0-9]{4,15}$`)
)

// attrWrite says who writes attributes and when, for checkAttributes.
type attrWrite struct {
	create bool                    // user creation: immutable attributes may be set
	admin  bool                    // IAM caller: dev-only and *_verified allowed, client permissions ignored
	client *cognito.UserPoolClient // self-service caller's client (nil for admin)
}

func schemaError(name, why string) error {
	return cognito.ErrInvalidParameter("Attributes did not conform to the schema: %s: %s", name, why)
}

// checkAttributes validates attribute writes against the pool schema, the
// caller's permissions and the value rules (api.md §3.4–3.6). Empty values
// mean deletion on update and are not value-checked.
func checkAttributes(pool *cognito.UserPool, attrs []AttributeType, w attrWrite) error {
	for _, a := range attrs {
		def, ok := pool.Schema(a.Name)
		if !ok {
			return schemaError(a.Name, "Attribute does not exist in the schema.")
		}
		if a.Name == "sub" {
			return cognito.ErrInvalidParameter("Cannot modify the non-mutable attribute sub")
		}
		if strings.HasPrefix(a.Name, "dev:") && !w.admin {
			return cognito.Errorf(cognito.NotAuthorized, "A client attempted to write unauthorized attribute")
		}
		if !w.admin && !clientMayWrite(pool, w.client, a.Name) {
			return cognito.Errorf(cognito.NotAuthorized, "A client attempted to write unauthorized attribute")
		}
		if !w.create && def.Mutable != nil && !*def.Mutable {
			return cognito.ErrInvalidParameter("Cannot modify the non-mutable attribute %s", a.Name)
		}
		if a.Value == "" {
			if !w.create && def.Required != nil && *def.Required {
				return schemaError(a.Name, "The attribute is required")
			}
			continue
		}
		if err := checkValue(def, a.Name, a.Value); err != nil {
			return err
		}
	}
	return nil
}

// clientMayWrite applies the client's WriteAttributes. Without a list, every
// standard and custom attribute is writable except the *_verified flags.
func clientMayWrite(pool *cognito.UserPool, c *cognito.UserPoolClient, name string) bool {
	if c == nil {
		return true
	}
	if def, ok := pool.Schema(name); ok && def.Required != nil && *def.Required {
		return true
	}
	if len(c.WriteAttributes) == 0 {
		return name != "email_verified" && name != "phone_number_verified"
	}
	return cognito.Has(c.WriteAttributes, name)
}

// clientMayRead applies the client's ReadAttributes (default: everything
// but developer-only attributes).
//
// [?] decision: api.md §3.5 calls developer-only attributes "read-only to
// app clients", but users who tried report that only the admin API reads
// them (GetUser and the ID token leave them out); tarn follows the
// observation.
func clientMayRead(c *cognito.UserPoolClient, name string) bool {
	if strings.HasPrefix(name, "dev:") {
		return false
	}
	if c == nil || len(c.ReadAttributes) == 0 || name == "sub" {
		return true
	}
	return cognito.Has(c.ReadAttributes, name)
}

func checkValue(def cognito.SchemaAttribute, name, v string) error {
	switch name {
	case "email":
		if !emailRE.MatchString(v) {
			return cognito.ErrInvalidParameter("Invalid email address format.")
		}
	case "phone_number":
		if !phoneRE.MatchString(v) {
			return cognito.ErrInvalidParameter("Invalid phone number format.")
		}
	}
	switch def.AttributeDataType {
	case "Boolean":
		if v != "true" && v != "false" {
			return schemaError(name, "Attribute value must be true or false.")
		}
	case "Number":
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || !decimalRE.MatchString(v) { // no NaN, Inf or hex floats
			return schemaError(name, "Number attribute value must be a number.")
		}
		if c := def.NumberAttributeConstraints; c != nil {
			if c.MinValue != nil {
				if min, err := strconv.ParseFloat(*c.MinValue, 64); err == nil && n < min {
					return schemaError(name, "Number must be greater than or equal to "+*c.MinValue)
				}
			}
			if c.MaxValue != nil {
				if max, err := strconv.ParseFloat(*c.MaxValue, 64); err == nil && n > max {
					return schemaError(name, "Number must be less than or equal to "+*c.MaxValue)
				}
			}
		}
	default:
		if c := def.StringAttributeConstraints; c != nil {
			n := len([]rune(v))
			if c.MinLength != nil {
				if min, err := strconv.Atoi(*c.MinLength); err == nil && n < min {
					return schemaError(name, "String must be at least "+*c.MinLength+" characters long")
				}
			}
			if c.MaxLength != nil {
				if max, err := strconv.Atoi(*c.MaxLength); err == nil && n > max {
					return schemaError(name, "String must be no longer than "+*c.MaxLength+" characters")
				}
			}
		}
	}
	return nil
}

// missingRequired returns the first required attribute (other than sub)
// that attrs lacks, or "".
func missingRequired(pool *cognito.UserPool, attrs map[string]string) string {
	for _, def := range pool.SchemaAttributes {
		if def.Name == "sub" || def.Required == nil || !*def.Required {
			continue
		}
		if attrs[def.Name] == "" {
			return def.Name
		}
	}
	return ""
}

// normalise returns the comparison form of an identifier in this pool:
// lower-cased when the pool is case-insensitive (email always compares
// case-insensitively when it is a sign-in identifier in such pools).
func normalise(pool *cognito.UserPool, kind, v string) string {
	if kind == "phone_number" {
		return v
	}
	return usernameKey(pool, v)
}

// aliasesOf computes the identifiers u holds exclusively (api.md §3.1):
// in username-attribute pools the email / phone value whether verified or
// not; in alias pools a verified email / phone and any preferred_username.
func aliasesOf(pool *cognito.UserPool, u *cognito.User) map[string]string {
	m := map[string]string{}
	for _, kind := range pool.UsernameAttributes {
		if v := u.Attributes[kind]; v != "" {
			m[kind] = normalise(pool, kind, v)
		}
	}
	for _, kind := range pool.AliasAttributes {
		v := u.Attributes[kind]
		if v == "" {
			continue
		}
		if kind != "preferred_username" && u.Attributes[kind+"_verified"] != "true" {
			continue
		}
		m[kind] = normalise(pool, kind, v)
	}
	return m
}

// maskDestination hides most of an email or phone number as Cognito does
// in CodeDeliveryDetails ([?] exact mask lengths: j***@e***, +*******1212).
func maskDestination(medium, dest string) string {
	if medium == "EMAIL" {
		at := strings.IndexByte(dest, '@')
		if at <= 0 || at == len(dest)-1 {
			return "***"
		}
		return dest[:1] + "***@" + dest[at+1:at+2] + "***"
	}
	if len(dest) <= 4 {
		return dest
	}
	return "+" + strings.Repeat("*", len(dest)-5) + dest[len(dest)-4:]
}
