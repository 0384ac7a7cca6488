-- Addresses in events that ip_geo does not hold yet.
SELECT d.value
FROM dict AS d
WHERE d.id IN (SELECT DISTINCT ip_id FROM event_rows WHERE ip_id <> 0)
  AND d.value NOT IN (SELECT ip FROM ip_geo)
