-- The fewest lines from which an enrich looks for new addresses in any
-- source (sql/enrich/new_addresses.sql), the largest number when no
-- source read a line since the last.
SELECT coalesce(min(since), 9223372036854775807) FROM enrich_since()
