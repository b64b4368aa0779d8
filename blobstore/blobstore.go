// Package blobstore keeps attachment bytes in a gocloud.dev/blob bucket: a
// local folder by default (file://./blobs), S3 or an S3-compatible server
// (s3://bucket?region=…&endpoint=…) for larger installs, memory for tests.
// Objects are content-addressed by SHA-256, so the same photo sent twice is
// stored once.
package blobstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/memblob" // mem:// for tests
	_ "gocloud.dev/blob/s3blob"  // s3:// for S3 and S3-compatible servers
	"gocloud.dev/gcerrors"
)

// ErrNotFound means no object has the key asked for.
var ErrNotFound = errors.New("blob not found")

// Store is a content-addressed bucket. It is safe for concurrent use.
type Store struct {
	b   *blob.Bucket
	url string
}

// Open opens the bucket at rawURL. A relative file URL ("file://./blobs")
// names a folder under the working directory, created when missing.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("open blob store: %w", err)
	}
	var b *blob.Bucket
	if u.Scheme == "file" {
		dir := u.Path
		if u.Host != "" { // file://./blobs → "./blobs"; file://blobs → "blobs"
			dir = u.Host + u.Path
		}
		if dir == "" {
			return nil, fmt.Errorf("open blob store %q: no folder: use file:///var/lib/switchboard/blobs or file://./blobs", rawURL)
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("open blob store: %w", err)
		}
		if err := os.MkdirAll(abs, 0o750); err != nil {
			return nil, fmt.Errorf("open blob store: %w", err)
		}
		b, err = fileblob.OpenBucket(abs, &fileblob.Options{CreateDir: true, NoTempDir: true})
		if err != nil {
			return nil, fmt.Errorf("open blob store %s: %w", abs, err)
		}
	} else {
		b, err = blob.OpenBucket(ctx, rawURL)
		if err != nil {
			return nil, fmt.Errorf("open blob store %s: %w", redact(u), err)
		}
	}
	return &Store{b: b, url: redact(u)}, nil
}

func redact(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	return c.String()
}

// String names the store without credentials.
func (s *Store) String() string { return s.url }

// Close releases the bucket.
func (s *Store) Close() error { return s.b.Close() }

// Key returns the content address of data: "sha256/ab/cd/<hex>".
func Key(data []byte) (key, sum string) {
	h := sha256.Sum256(data)
	sum = hex.EncodeToString(h[:])
	return KeyOf(sum), sum
}

// KeyOf returns the key of the object whose hex SHA-256 is sum.
func KeyOf(sum string) string {
	return "sha256/" + sum[:2] + "/" + sum[2:4] + "/" + sum
}

// Put stores data under its content address and returns the key and the hex
// SHA-256. An object already there is not written again (created false).
func (s *Store) Put(ctx context.Context, data []byte, contentType string) (key, sum string, created bool, err error) {
	key, sum = Key(data)
	ok, err := s.b.Exists(ctx, key)
	if err != nil {
		return "", "", false, fmt.Errorf("put blob %s: %w", key, err)
	}
	if ok {
		return key, sum, false, nil
	}
	opts := &blob.WriterOptions{ContentType: contentType}
	if contentType == "" {
		opts.ContentType = "application/octet-stream"
	}
	if err := s.b.Upload(ctx, key, bytes.NewReader(data), opts); err != nil {
		return "", "", false, fmt.Errorf("put blob %s: %w", key, err)
	}
	return key, sum, true, nil
}

// Get returns the bytes stored under key.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	data, err := s.b.ReadAll(ctx, key)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, fmt.Errorf("get blob %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	return data, nil
}

// Open returns a reader of the object under key; the caller closes it.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	r, err := s.b.NewReader(ctx, key, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, fmt.Errorf("open blob %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	return r, nil
}

// Count returns how many objects the store holds under prefix, for tests
// and health checks.
func (s *Store) Count(ctx context.Context, prefix string) (int, error) {
	n := 0
	it := s.b.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("list blobs: %w", err)
		}
		if !strings.HasSuffix(obj.Key, ".attrs") {
			n++
		}
	}
}
