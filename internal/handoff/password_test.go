package handoff

import (
	"strings"
	"testing"
)

const (
	msgPwShort  = "Use at least 12 characters; a short sentence is easy to remember."
	msgPwLong   = "Use at most 256 characters."
	msgPwEmail  = "Don't use your email address in your password."
	msgPwCommon = "That password is on the list attackers try first; choose another."
	msgPwRepeat = "Don't repeat one character; choose something harder to guess."
)

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name, pw, email string
		wantMsg         string // "" when the password is fine
	}{
		{"OKPassphrase", "plum tree lantern rides", "ann@example.com", ""},
		{"OKExactly12", "Tr0ub4dor&3x", "ann@example.com", ""},
		{"OKExactly256", strings.Repeat("abcd", 64), "ann@example.com", ""},
		{"OKMultiByte12Runes", "日本語のパスワードですね", "ann@example.com", ""},
		{"OKNoEmailGiven", "plum tree lantern rides", "", ""},
		{"OKShortLocalPartMayAppear", "bob rides the lantern", "bob@example.com", ""},
		{"OKDomainAloneMayAppear", "example.com is my home", "ann@example.com", ""},

		{"ErrTooShort", "short pw 11", "", msgPwShort},
		{"ErrTooShortEmpty", "", "", msgPwShort},
		// 11 runes but 22 bytes: length is counted in characters, not bytes.
		{"ErrTooShortMultiByte", strings.Repeat("é", 11), "", msgPwShort},
		{"ErrTooShortEmoji", strings.Repeat("🔑", 6), "", msgPwShort},
		{"ErrTooLong", strings.Repeat("abcd", 64) + "e", "", msgPwLong},
		// 200 runes, 600 bytes: within the limit since it counts characters.
		{"OKLongMultiByteWithinLimit", strings.Repeat("日本語", 66) + "のパ", "", ""},
		{"ErrTooLongMultiByte", strings.Repeat("日本語", 86), "", msgPwLong},

		{"ErrContainsEmail", "my al@x.io secret!", "al@x.io", msgPwEmail},
		{"ErrContainsEmailOtherCase", "My AL@X.IO Secret!", "al@x.io", msgPwEmail},
		{"ErrContainsEmailGivenInOtherCase", "my al@x.io secret!", " AL@X.io ", msgPwEmail},
		{"ErrContainsLocalPart", "annlee is the best", "annlee@example.com", msgPwEmail},
		{"ErrContainsLocalPartOtherCase", "AnnLee Is The Best", "ANNLEE@example.com", msgPwEmail},
		{"ErrContainsLocalPartOf4", "my anna password", "anna@example.com", msgPwEmail},

		{"ErrCommon", "password1234", "", msgPwCommon},
		{"ErrCommonUpperCase", "PASSWORD1234", "", msgPwCommon},
		{"ErrCommonMixedCase", "CorrectHorseBatteryStaple", "", msgPwCommon},

		{"ErrAllSameChar", "aaaaaaaaaaaaa", "", msgPwRepeat},
		{"ErrAllSameCharMixedCase", "aAaAaAaAaAaAa", "", msgPwRepeat},
		{"ErrAllSameSpace", strings.Repeat(" ", 20), "", msgPwRepeat},
		{"ErrAllSameDigit", strings.Repeat("7", 15), "", msgPwRepeat},
		// The same rule must hold for a character that takes several bytes.
		{"ErrAllSameMultiByteChar", strings.Repeat("é", 12), "", msgPwRepeat},
		{"ErrAllSameEmoji", strings.Repeat("🔑", 12), "", msgPwRepeat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePassword(tt.pw, tt.email)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("ValidatePassword(%q, %q) = %v, want nil", tt.pw, tt.email, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidatePassword(%q, %q) = nil, want %q", tt.pw, tt.email, tt.wantMsg)
			}
			if code := ErrorCode(err); code != EINVALID {
				t.Errorf("ErrorCode = %q, want %q", code, EINVALID)
			}
			if msg := ErrorMessage(err); msg != tt.wantMsg {
				t.Errorf("ErrorMessage = %q, want %q", msg, tt.wantMsg)
			}
		})
	}
}

// Every entry of common_passwords.txt is refused, in any case.
func TestValidatePasswordCommonList(t *testing.T) {
	var entries []string
	for _, line := range strings.Split(commonPasswordList, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		entries = append(entries, line)
	}
	if len(entries) < 50 {
		t.Fatalf("common_passwords.txt has %d entries, want the whole list (50+)", len(entries))
	}
	if len(commonPasswords) != len(entries) {
		t.Errorf("commonPasswords has %d entries, file has %d", len(commonPasswords), len(entries))
	}
	t.Run("CommentsAreNotPasswords", func(t *testing.T) {
		for pw := range commonPasswords {
			if strings.HasPrefix(pw, "#") {
				t.Errorf("comment line %q loaded as a password", pw)
			}
		}
	})
	for _, pw := range entries {
		for _, variant := range []string{pw, strings.ToUpper(pw)} {
			t.Run("Err_"+variant, func(t *testing.T) {
				err := ValidatePassword(variant, "someone@example.com")
				if err == nil {
					t.Fatalf("ValidatePassword(%q) = nil, want it refused", variant)
				}
				if msg := ErrorMessage(err); msg != msgPwCommon {
					t.Errorf("ValidatePassword(%q) = %q, want %q", variant, msg, msgPwCommon)
				}
			})
		}
	}
}
