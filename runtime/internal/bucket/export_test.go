package bucket

import "gocloud.dev/blob"

// Raw is the bucket underneath, for tests that damage what it holds.
func (s *Store) Raw() *blob.Bucket { return s.bucket }

// Key is the object key of a digest.
func Key(digest string) string {
	k, err := key(digest)
	if err != nil {
		panic(err)
	}
	return k
}
