package jobs

import "github.com/riverqueue/river"

// addWebhookWorkers registers the webhook delivery workers.
func (r *Runner) addWebhookWorkers(workers *river.Workers) {}
