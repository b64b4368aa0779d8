package config

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// introSettings reads SWITCHBOARD_INTRO_OPT_IN (a boolean) and
// SWITCHBOARD_INTRO_OPT_IN_WAIT (a duration of at least a minute).
func introSettings(vals map[string]string) (optIn bool, wait time.Duration, err error) {
	var errs []error
	optIn, perr := strconv.ParseBool(vals["SWITCHBOARD_INTRO_OPT_IN"])
	if perr != nil {
		errs = append(errs, fmt.Errorf("SWITCHBOARD_INTRO_OPT_IN is %q: use true or false", vals["SWITCHBOARD_INTRO_OPT_IN"]))
	}
	wait, perr = time.ParseDuration(vals["SWITCHBOARD_INTRO_OPT_IN_WAIT"])
	if perr != nil || wait < time.Minute {
		errs = append(errs, fmt.Errorf("SWITCHBOARD_INTRO_OPT_IN_WAIT is %q: use a duration of at least 1m, such as 168h (7 days)",
			vals["SWITCHBOARD_INTRO_OPT_IN_WAIT"]))
	}
	return optIn, wait, errors.Join(errs...)
}
