INSERT INTO campaign_usernames (campaign, username, members) VALUES ($1, $2, $3);
