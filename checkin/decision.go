package checkin

// A Decision answers a Request: a verdict for every requested action, and
// what the desk must do and know for the visit as a whole.
type Decision struct {
	Outcome Outcome                   `json:"outcome"`
	Actions map[Action]ActionDecision `json:"actions"`
	// Obligations are what the desk does once for the visit, such as
	// recording the relationship or notifying a guardian.
	Obligations []Note `json:"obligations"`
	// Notices are what the desk should know, such as a document about to expire.
	Notices []Note     `json:"notices"`
	Policy  PolicyUsed `json:"policy"`
}

// An ActionDecision is the verdict for one action and its grounds.
type ActionDecision struct {
	Verdict Verdict `json:"verdict"`
	// Basis is the code of the rule that decided an allow, or the chief
	// reason for a deny.
	Basis Code `json:"basis"`
	// Reasons say why, in words a front-desk clerk understands.
	Reasons []Note `json:"reasons"`
	// Conditions are what staff must do before going ahead.
	Conditions []Note `json:"conditions"`
	// Remedies, on a deny, say what would make it allowed, most practical first.
	Remedies []Note `json:"remedies"`
	// Rule is the contract rule that decided.
	Rule RuleRef `json:"rule"`
}

// A RuleRef names a rule of the contract's decision procedure: its number in
// the contract's order ("7") and the title of the policy's definition that
// decided under it ("Guardian with legal custody"), from its METADATA.
type RuleRef struct {
	Number string `json:"number"`
	Title  string `json:"title"`
}

// A Note is a reason, condition, remedy, obligation or notice: a stable code
// for software and a message for people.
type Note struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// PolicyUsed names the policy revision and profiles that made a decision.
type PolicyUsed struct {
	Revision     string `json:"revision"`
	Jurisdiction string `json:"jurisdiction"` // the profile applied: "default" when the request's had none
	Practice     string `json:"practice"`
}

// Allowed reports whether the verdict lets staff go ahead, once any conditions are met.
func (v Verdict) Allowed() bool { return v == Allow || v == AllowWithConditions }
