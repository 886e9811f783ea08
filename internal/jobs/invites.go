package jobs

import "github.com/riverqueue/river"

// addInviteWorkers registers the kickoff invite workers.
func (r *Runner) addInviteWorkers(workers *river.Workers) {}
