-- What Rebuild says of campaigns it left as they were: the addresses
-- with a failed login under a username (those sql/campaign/pairs.sql
-- reads), the campaigns and their members.
SELECT (SELECT count(DISTINCT ip_id) FROM rollup_address_users WHERE ip_id <> 0 AND user_id <> 0 AND attempts <> 0),
       (SELECT count(*) FROM campaigns),
       (SELECT count(*) FROM campaign_members)
