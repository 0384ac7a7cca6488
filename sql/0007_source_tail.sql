-- knockmap schema 7: what tells a source from another file with the same
-- first line.
--
-- A source was known by its first line alone: a log rewritten, shrunk and
-- grown again, or another gzip file that starts with the same line, was
-- taken for the one read before and read on from its offset (or passed
-- over as unchanged), and the lines before that offset were lost. Now a
-- file is that source only when its bytes up to the offset are the ones
-- read: tail_hash is the xxh3 hash (as a signed integer) of the 4096 bytes before offset_bytes
-- (all of them when fewer), checked with one read of that block; a file
-- shorter than the offset, or whose block differs, is a new source with
-- the same fingerprint, read from its start. gzip_crc is the CRC-32 of the
-- decompressed bytes up to offset_bytes when the source was read to the
-- end of a gzip file: that file's last eight bytes (CRC-32 and size) then
-- say it is unchanged without decompressing it. Both are NULL for sources
-- read before schema 7 (the next read of them records them).

ALTER TABLE sources ADD COLUMN IF NOT EXISTS tail_hash BIGINT;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS gzip_crc UINTEGER;
