// The one SHA-256 helper: document hashes (persisted operations), stored token hashes, migration checksums, key ids.
import { createHash, type BinaryToTextEncoding } from 'node:crypto'

/** SHA-256 of `text` as UTF-8, hex unless another encoding is asked for. */
export const sha256 = (text: string, encoding: BinaryToTextEncoding = 'hex') => createHash('sha256').update(text, 'utf8').digest(encoding)
