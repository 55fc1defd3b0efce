package checkin

import (
	"fmt"
	"strings"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// WithLanguage has the engine give every decision's words in lang, a
// language the policy has messages in (rego/messages/<lang>/data.json, or an
// overlay's), whatever language each practice profile chooses. Words a
// language lacks are given in English. New fails on a language the policy
// has no messages in.
func WithLanguage(lang string) Option {
	return func(c *config) { c.language = lang }
}

// checkLanguage reports a language the engine was asked to decide in that
// the policy has no messages in.
func checkLanguage(docs []policy.Document, lang string) *policy.Problem {
	languages := messageLanguages(docs)
	if languages[lang] {
		return nil
	}
	return &policy.Problem{Code: "language_error", Message: fmt.Sprintf(
		"WithLanguage(%q): the policy has no messages in %q (messages/%s/data.json); it has %s",
		lang, lang, lang, strings.Join(sortedKeys(languages), ", "))}
}
