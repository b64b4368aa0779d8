package mailin

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
)

// fetched is one message of a batch as the poller saves it.
type fetched struct {
	UID          imap.UID
	InternalDate time.Time
	Size         int64
	Raw          []byte
}

// fetchSized fetches uids in ascending UID order. With no MaxMessageSize it
// is one UID FETCH of BODY.PEEK[]. With one, RFC822.SIZE is fetched first
// (RFC 9051 §6.4.5); a message over the limit is fetched as its header block
// only (BODY.PEEK[HEADER]) and marked with TooLargeField, so it neither
// blocks the mailbox nor loses its headers.
func (s *session) fetchSized(uids []imap.UID) ([]fetched, error) {
	limit := s.p.cfg.MaxMessageSize
	small, large := uids, []imap.UID(nil)
	sizes := map[imap.UID]int64{}
	if limit > 0 {
		msgs, err := s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
		if err != nil {
			return nil, fmt.Errorf("uid fetch sizes %d:%d: %w", uids[0], uids[len(uids)-1], err)
		}
		small = nil
		for _, m := range msgs {
			sizes[m.UID] = m.RFC822Size
			if m.RFC822Size > limit {
				large = append(large, m.UID)
			} else {
				small = append(small, m.UID)
			}
		}
	}
	var out []fetched
	get := func(set []imap.UID, section *imap.FetchItemBodySection, mark bool) error {
		if len(set) == 0 {
			return nil // an empty set kills the go-imap connection
		}
		msgs, err := s.c.Fetch(imap.UIDSetNum(set...), &imap.FetchOptions{
			UID: true, InternalDate: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{section},
		}).Collect()
		if err != nil {
			return fmt.Errorf("uid fetch %d:%d: %w", set[0], set[len(set)-1], err)
		}
		for i, m := range msgs {
			msgs[i] = nil
			raw := m.FindBodySection(section)
			if raw == nil {
				return fmt.Errorf("uid fetch %d: server sent no body", m.UID)
			}
			if mark {
				raw = markTooLarge(raw, m.RFC822Size, limit)
				s.log.Warn("message over the size limit kept as headers only", "uid", m.UID, "size", m.RFC822Size)
			}
			out = append(out, fetched{UID: m.UID, InternalDate: m.InternalDate,
				Size: m.RFC822Size, Raw: raw})
		}
		return nil
	}
	if err := get(small, &imap.FetchItemBodySection{Peek: true}, false); err != nil {
		return nil, err
	}
	if err := get(large, &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}, true); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b fetched) int { return cmp.Compare(a.UID, b.UID) })
	return out, nil
}
