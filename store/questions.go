package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"switchboard/workflows"
)

var qQuestionsSentAs = q("questions_sent_as")

// SentQuestion is a question draft (workflows.DraftQuestion) that went out,
// with the fields of the request it asked about.
type SentQuestion struct {
	DraftID   int64           `db:"draft_id"`
	RequestID int64           `db:"request_id"`
	Extracted json.RawMessage `db:"extracted"`
	Fields    workflows.Fields
}

// QuestionsSentAs returns the question drafts whose SMTP Message-ID
// (drafts.smtp_message_id, without <>) is one of ids, newest first: a reply
// threaded to one of them answers it.
func (s *Store) QuestionsSentAs(ctx context.Context, ids []string) ([]SentQuestion, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []SentQuestion
	if err := s.db.SelectContext(ctx, &out, qQuestionsSentAs, string(workflows.DraftQuestion), pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("find questions sent: %w", err)
	}
	for i := range out {
		if err := json.Unmarshal(out[i].Extracted, &out[i].Fields); err != nil {
			return nil, fmt.Errorf("decode fields of request %d: %w", out[i].RequestID, err)
		}
	}
	return out, nil
}
