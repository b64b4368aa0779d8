package blobstore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"switchboard/blobstore"
)

func TestPutIsContentAddressed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, u := range []string{"mem://", "file://" + dir} {
		t.Run(u, func(t *testing.T) {
			s, err := blobstore.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			photo := []byte("\xff\xd8 pretend jpeg \xff\xd9")
			k1, sum, created, err := s.Put(ctx, photo, "image/jpeg")
			if err != nil || !created {
				t.Fatalf("first put: created=%v err=%v", created, err)
			}
			k2, _, created, err := s.Put(ctx, append([]byte(nil), photo...), "image/jpeg")
			if err != nil || created || k1 != k2 {
				t.Fatalf("second put: key %q vs %q, created=%v err=%v", k2, k1, created, err)
			}
			if n, err := s.Count(ctx, "sha256/"); err != nil || n != 1 {
				t.Fatalf("objects = %d (%v), want 1", n, err)
			}
			if k1 != blobstore.KeyOf(sum) {
				t.Errorf("key %q is not KeyOf(%q)", k1, sum)
			}
			got, err := s.Get(ctx, k1)
			if err != nil || !bytes.Equal(got, photo) {
				t.Fatalf("get: %q, %v", got, err)
			}
			if _, err := s.Get(ctx, blobstore.KeyOf(sum[:60]+"0000")); !errors.Is(err, blobstore.ErrNotFound) {
				t.Errorf("missing key: err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestRelativeFileURL(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, err := blobstore.Open(context.Background(), "file://./blobs")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key, _, _, err := s.Put(context.Background(), []byte("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs", filepath.FromSlash(key))); err != nil {
		t.Fatalf("object not in ./blobs: %v", err)
	}
}
