-- knockmap schema 17 is the per-day rollups (branch rollup): this
-- placeholder only keeps the numbers contiguous on branch scale until
-- that file lands. At the merge, take the rollup branch's file.
SELECT 1;
