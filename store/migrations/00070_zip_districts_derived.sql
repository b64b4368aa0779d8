-- +goose Up
-- zip_districts also holds the PO-box and unique ZIPs that have no ZCTA in
-- zccd.csv, with the districts of the nearest ZCTA of their state
-- (directory.Geography.DerivedZIPs; directory/data/PROVENANCE.md §4).
-- derived_from is that ZCTA; it is NULL for the rows of zccd.csv itself.
-- The geography loader fills the derived rows (store/geo.go).
ALTER TABLE zip_districts ADD COLUMN derived_from text;

-- +goose Down
DELETE FROM zip_districts WHERE derived_from IS NOT NULL;
ALTER TABLE zip_districts DROP COLUMN derived_from;
