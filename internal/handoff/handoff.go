// Package handoff is Handoff's domain: the people, deals and packs of an SE → SA
// handoff and the rules that govern them (who may do what, when a pack is
// complete, which transitions are allowed). It has no infrastructure imports:
// storage lives in internal/postgres and HTTP in internal/server, and both call
// the rules here rather than re-implementing them.
package handoff
