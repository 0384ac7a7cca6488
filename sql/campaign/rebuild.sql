-- campaigns from campaign_members and campaign_usernames: where the
-- members are, and every failed attempt they made.
INSERT INTO campaigns
WITH att AS (
    -- (summed by the members' dict ids, their text joined after)
    SELECT d.value AS ip, a.attempts, a.first_seen, a.last_seen
    FROM (SELECT ip_id, CAST(sum(repeat) AS BIGINT) AS attempts, min(ts) AS first_seen, max(ts) AS last_seen
          FROM event_rows
          WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed')
            AND ip_id IN (SELECT id FROM dict WHERE value IN (SELECT ip FROM campaign_members))
          GROUP BY ip_id) AS a
    JOIN dict AS d ON d.id = a.ip_id
), mem AS (
    SELECT m.campaign,
           list(m.ip ORDER BY m.ip)                                                       AS addresses,
           coalesce(list(DISTINCT g.asn ORDER BY g.asn) FILTER (WHERE g.asn IS NOT NULL), []) AS asns,
           coalesce(list(DISTINCT g.country_code ORDER BY g.country_code) FILTER (WHERE g.country_code IS NOT NULL), []) AS countries,
           coalesce(sum(a.attempts), 0)                                                   AS attempts,
           min(a.first_seen)                                                              AS first_seen,
           max(a.last_seen)                                                               AS last_seen
    FROM campaign_members AS m
    LEFT JOIN att AS a ON a.ip = m.ip
    LEFT JOIN ip_geo AS g ON g.ip = m.ip
    GROUP BY m.campaign
)
SELECT m.campaign,
       m.addresses,
       m.asns,
       m.countries,
       coalesce((SELECT list(u.username ORDER BY u.username) FROM campaign_usernames AS u WHERE u.campaign = m.campaign), []),
       CAST(m.attempts AS BIGINT),
       m.first_seen,
       m.last_seen,
       now()
FROM mem AS m
ORDER BY m.campaign;
