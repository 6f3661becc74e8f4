// Package azure links Azure Blob Storage (azblob:// store URLs) into a
// generated command that also imports runtime/teamstack. Its SDK is kept
// apart because it is large.
package azure

import _ "gocloud.dev/blob/azureblob" // azblob://
