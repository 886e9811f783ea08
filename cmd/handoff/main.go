// Command handoff is the Handoff server and its operations tool: serve,
// migrate, version (and user/demo commands as they arrive). main only wires
// the process to run, so tests can run the whole program in-process.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := &program{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	if err := p.run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "handoff:", err)
		os.Exit(exitCode(err))
	}
}
