package deadline

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

// The time zones an organisation may choose, and the old names of some of
// them. Go can load a zone by name but cannot list the names, so the list is
// data generated from tzdata by scripts/gen-zones.sh; a test checks that every
// name loads with the tzdata embedded in the binary.
var (
	//go:embed zones.txt
	zonesTxt string
	//go:embed zone_aliases.txt
	zoneAliasesTxt string

	zoneList, zoneAliases = parseZones(zonesTxt, zoneAliasesTxt)
)

func parseZones(list, aliases string) (map[string]bool, map[string]string) {
	zs, as := map[string]bool{}, map[string]string{}
	for _, line := range strings.Split(list, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			zs[line] = true
		}
	}
	for _, line := range strings.Split(aliases, "\n") {
		if alias, target, ok := strings.Cut(strings.TrimSpace(line), " "); ok && !strings.HasPrefix(alias, "#") {
			as[alias] = target
		}
	}
	return zs, as
}

// ZoneChoice is one time zone as a picker shows it.
type ZoneChoice struct {
	Name  string // the IANA name, stored and loaded: "America/Argentina/Buenos_Aires"
	Place string // the name within its region, for people: "Argentina / Buenos Aires"
}

// ZoneRegion is the zones of one region ("America", "Europe"…).
type ZoneRegion struct {
	Name  string
	Zones []ZoneChoice
}

// ZoneRegions lists every zone an organisation may choose, grouped by
// region, regions and zones in alphabetical order; UTC is a region of its
// own, first.
func ZoneRegions() []ZoneRegion {
	byRegion := map[string][]ZoneChoice{}
	for name := range zoneList {
		region, place, ok := strings.Cut(name, "/")
		if !ok {
			region, place = name, name
		}
		place = strings.ReplaceAll(strings.ReplaceAll(place, "_", " "), "/", " / ")
		byRegion[region] = append(byRegion[region], ZoneChoice{Name: name, Place: place})
	}
	out := make([]ZoneRegion, 0, len(byRegion))
	for region, zs := range byRegion {
		sort.Slice(zs, func(i, j int) bool { return zs[i].Place < zs[j].Place })
		out = append(out, ZoneRegion{Name: region, Zones: zs})
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Name == "UTC") != (out[j].Name == "UTC") {
			return out[i].Name == "UTC"
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// IsZone reports whether name is one of the zones an organisation may
// choose.
func IsZone(name string) bool { return zoneList[name] }

// CheckZone checks a time zone an admin chose: it must be a place's IANA
// zone from the list (ZoneRegions). An abbreviation or a fixed offset ("EST",
// "GMT+5") is refused even though Go can load some of them: it follows no
// place's daylight-saving changes, so every deadline would be an hour off for
// half the year. An old name gets the current one. The error matches
// ErrUnknownTimeZone and its message is written for the person choosing.
func CheckZone(name string) error {
	name = strings.TrimSpace(name)
	if zoneList[name] {
		return nil
	}
	fail := func(format string, args ...any) error {
		return &settingError{fmt.Sprintf(format, args...), ErrUnknownTimeZone}
	}
	if name == "" {
		return fail("Choose a time zone, such as America/New_York or Europe/London.")
	}
	if target, ok := zoneAliases[name]; ok {
		return fail("%q is an old name of the time zone %s: choose %s.", name, target, target)
	}
	for z := range zoneList {
		if strings.EqualFold(z, name) {
			return fail("Time zone names are case-sensitive: choose %s.", z)
		}
	}
	if !strings.Contains(name, "/") || strings.HasPrefix(name, "Etc/") {
		return fail("%q is an abbreviation or a fixed offset, not a place: it misses the daylight-saving changes of the place you mean. "+
			"Choose a place's time zone, such as America/New_York or Europe/London.", name)
	}
	return fail("%q is not a time zone we know. Choose one from the list, such as America/New_York or Europe/London.", name)
}
