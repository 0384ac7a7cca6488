INSERT INTO campaign_members (campaign, ip) VALUES ($1, $2);
