package workflows

// ClassifyResult is one line of the `switchboard classify` output: the
// classification of one message file in a flat, stable JSON shape.
type ClassifyResult struct {
	File        string  `json:"file"`
	Kind        Kind    `json:"kind"`
	Kinds       []Kind  `json:"kinds"`
	Confidence  float64 `json:"confidence"`
	City        string  `json:"city"`
	State       string  `json:"state"`
	ZIP         string  `json:"zip"`
	District    string  `json:"district"`
	TargetGroup string  `json:"target_group"`
	// Attachments is the number of attachments a person counts as sent
	// (Attachment.Sent).
	Attachments int `json:"attachments"`
}

// Result flattens a classification of in, read from file, into a
// ClassifyResult.
func Result(file string, in *Inbound, c Classification) ClassifyResult {
	n := 0
	for _, a := range in.Attachments {
		if a.Sent {
			n++
		}
	}
	return ClassifyResult{File: file, Kind: c.Kind, Kinds: c.Kinds, Confidence: c.Confidence,
		City: c.Fields.City, State: c.Fields.State, ZIP: c.Fields.ZIP, District: c.Fields.District,
		TargetGroup: c.Fields.TargetGroup, Attachments: n}
}
