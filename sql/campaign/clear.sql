DELETE FROM campaigns;
