-- enrich --refresh: drop every old answer; the same transaction then
-- answers every address again.
DELETE FROM ip_geo
