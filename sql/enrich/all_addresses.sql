-- Every address in events, for enrich --refresh.
SELECT d.value
FROM dict AS d
WHERE d.id IN (SELECT DISTINCT ip_id FROM event_rows WHERE ip_id <> 0)
