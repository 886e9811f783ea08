package deadline

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Every zone offered must load with the tzdata embedded in the binary, or an
// org could pick a zone its own server then refuses.
func TestEveryListedZoneLoads(t *testing.T) {
	n := 0
	for _, r := range ZoneRegions() {
		for _, z := range r.Zones {
			n++
			if _, err := time.LoadLocation(z.Name); err != nil {
				t.Errorf("%s does not load: %v", z.Name, err)
			}
			if _, err := NewCalendar(z.Name, nil, nil); err != nil {
				t.Errorf("%s: no calendar: %v", z.Name, err)
			}
		}
	}
	if n < 400 {
		t.Errorf("only %d zones listed; zones.txt looks truncated", n)
	}
	if rs := ZoneRegions(); rs[0].Name != "UTC" || rs[1].Name != "Africa" {
		t.Errorf("regions start %s, %s; want UTC, then alphabetical", rs[0].Name, rs[1].Name)
	}
}

// Every old name points at a zone of the list.
func TestEveryAliasNamesAListedZone(t *testing.T) {
	for alias, target := range zoneAliases {
		if !IsZone(target) {
			t.Errorf("%s → %s, which is not listed", alias, target)
		}
		if IsZone(alias) {
			t.Errorf("%s is both listed and an old name", alias)
		}
	}
}

func TestCheckZone(t *testing.T) {
	for _, ok := range []string{"America/New_York", "Europe/London", "Europe/Amsterdam", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "UTC", " Europe/Berlin "} {
		if err := CheckZone(ok); err != nil {
			t.Errorf("CheckZone(%q) = %v", ok, err)
		}
	}
	for name, want := range map[string]string{
		"EST":              "abbreviation or a fixed offset",
		"PST":              "abbreviation or a fixed offset",
		"GMT":              "abbreviation or a fixed offset",
		"GMT+5":            "abbreviation or a fixed offset",
		"Etc/GMT+5":        "abbreviation or a fixed offset",
		"EST5EDT":          "abbreviation or a fixed offset",
		"US/Eastern":       "old name of the time zone America/New_York",
		"Europe/Kiev":      "choose Europe/Kyiv",
		"america/new_york": "case-sensitive: choose America/New_York",
		"Mars/Olympus":     "not a time zone we know",
		"":                 "Choose a time zone",
		"Local":            "abbreviation or a fixed offset",
	} {
		err := CheckZone(name)
		if !errors.Is(err, ErrUnknownTimeZone) || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckZone(%q) = %v, want a message with %q", name, err, want)
		}
	}
}
