// Package gcs links Google Cloud Storage (gs:// store URLs) into a
// generated command that also imports runtime/teamstack. Its SDK is kept
// apart because it is large.
package gcs

import _ "gocloud.dev/blob/gcsblob" // gs://
