-- knockmap status: each source, the last read first: where it was last
-- seen, when it was read, its lines and the time its lines span.
SELECT path, last_read, lines, first_ts, last_ts
FROM sources
ORDER BY last_read DESC, id DESC
