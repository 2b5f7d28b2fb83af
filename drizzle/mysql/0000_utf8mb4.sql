-- Custom SQL migration file, put your code below! --
-- Tables created later inherit this: 4-byte characters (emoji) and exact, byte-wise comparisons
-- (ids, client ids), as on SQLite and PostgreSQL.
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
