-- The campaigns active in the period, the most attempts first.
SELECT id AS campaign, len(addresses) AS addresses, attempts,
       first_seen AS "first seen", last_seen AS "last seen",
       len(usernames) AS usernames, array_to_string(usernames[1:6], ' ') AS "some usernames",
       array_to_string(countries[1:6], ' ') AS countries
FROM campaigns
WHERE last_seen >= CAST($1 AS TIMESTAMPTZ) AND first_seen < CAST($2 AS TIMESTAMPTZ)
ORDER BY attempts DESC, id
LIMIT 20
