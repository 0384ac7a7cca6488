DELETE FROM campaign_members;
