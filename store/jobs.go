package store

// ProcessArgs is the River job that parses, classifies and drafts one stored
// inbound message. It is enqueued in the transaction that stored the message.
type ProcessArgs struct {
	MessageID int64 `json:"message_id"`
}

// Kind is the River job kind, "process".
func (ProcessArgs) Kind() string { return "process" }

// SendArgs is the River job that sends one approved draft. It is enqueued in
// the transaction that approved the draft, on QueueSend (jobs_queue.go).
type SendArgs struct {
	DraftID int64 `json:"draft_id"`
}

// Kind is the River job kind, "send".
func (SendArgs) Kind() string { return "send" }
