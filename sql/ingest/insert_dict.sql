-- Load the strings first seen in one batch (registered as "dict_batch").
INSERT INTO dict SELECT * FROM dict_batch
