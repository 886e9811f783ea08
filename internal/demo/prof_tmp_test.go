package demo_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres"
)

func TestProfTmp(t *testing.T) {
	url := os.Getenv("PROF_URL")
	if url == "" {
		t.Skip()
	}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	sum, err := demo.Generate(context.Background(), db, demo.Options{Deals: 30000, Now: time.Now(), Seed: 1}, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(sum, time.Since(start))
	for k, v := range demo.Prof() {
		fmt.Printf("%-25s %6.1fs\n", k, v.Seconds())
	}
}
