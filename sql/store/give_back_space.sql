-- Gives back the space that a rolled-back transaction took in the
-- database file. DuckDB writes the row groups of a large insert into the
-- file as it goes; a rollback puts their blocks on the free list but
-- leaves the file as long, and CHECKPOINT does nothing while there is no
-- change to write. So make a change, with a checkpoint threshold of zero:
-- its commit checkpoints, and the checkpoint truncates the free blocks at
-- the end of the file.
SET checkpoint_threshold = '0b';
BEGIN;
CREATE TABLE knockmap_give_back_space (x INTEGER);
DROP TABLE knockmap_give_back_space;
COMMIT;
