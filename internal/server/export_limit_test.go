package server

// The guess limit's counts, for the tests that drive it through the router.
const (
	GuessAccountAddr = guessAccountAddr
	GuessAddr        = guessAddr
	GuessAccount     = guessAccount
	GuessLinkAddr    = guessLinkAddr
)

// IsSitePath exposes the redirect check to the router-level tests.
var IsSitePath = isSitePath

// GuessWindow is how far back the guess limit looks.
const GuessWindow = guessWindow
