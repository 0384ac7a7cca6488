DELETE FROM campaign_usernames;
