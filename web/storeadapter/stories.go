package storeadapter

import (
	"context"

	"switchboard/store"
	"switchboard/stories"
)

// PressStory converts a stored story to what the press team receives (the
// gallery, the CLI's story text and zip).
func PressStory(s store.Story) stories.PressStory {
	out := stories.PressStory{ID: s.ID, RequestID: s.RequestID, Subject: s.Subject, Body: s.Body, Credit: s.Credit,
		SenderName: s.SenderName, SenderEmail: s.SenderEmail, City: s.City, State: s.State, District: s.District,
		ActionDate: s.ActionDate, DatePhrase: s.DatePhrase, Consent: s.Consent, ConsentSentence: s.ConsentSentence,
		Status: s.Status, ApprovedBy: s.ApprovedBy, ApprovedAt: s.ApprovedAt, CreatedAt: s.CreatedAt}
	for _, g := range s.Groups {
		out.Groups = append(out.Groups, g.Name)
	}
	for _, l := range s.Links {
		out.Links = append(out.Links, stories.Link{URL: l.URL, Service: l.Service})
	}
	for _, a := range s.Assets {
		out.Assets = append(out.Assets, stories.PressAsset{ID: a.ID, Position: a.Position, Kind: a.Kind,
			Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, Width: a.Width, Height: a.Height,
			Note: a.Note, OriginalKey: a.OriginalKey, PreviewKey: a.PreviewKey, ThumbKey: a.ThumbKey})
	}
	return out
}

// Stories implements web.Store.
func (a *Adapter) Stories(ctx context.Context, status string, limit int) ([]stories.PressStory, error) {
	list, err := a.st.Stories(ctx, store.StoryFilter{Status: status, Limit: limit})
	out := make([]stories.PressStory, len(list))
	for i, s := range list {
		out[i] = PressStory(s)
	}
	return out, mapErr(err)
}

// Story implements web.Store.
func (a *Adapter) Story(ctx context.Context, id int64) (stories.PressStory, error) {
	s, err := a.st.Story(ctx, id)
	if err != nil {
		return stories.PressStory{}, mapErr(err)
	}
	return PressStory(s), nil
}

// ApproveStory implements web.Store.
func (a *Adapter) ApproveStory(ctx context.Context, id int64, by string) error {
	return mapErr(a.st.ApproveStory(ctx, id, by))
}
