-- A product's reviews in each sort's order, so that a page reads its own rows and stops, instead of reading and
-- sorting all the product's reviews (600 for the most reviewed): relevant (helpfulness, date, id) and helpful
-- (helpfulness, id: the same index, then an incremental sort within equal helpfulness) read the first index,
-- newest the second, searched or narrowed or not. Both begin with product_id, so they replace its own index.
-- The price: helpfulness is indexed, so a helpful vote can no longer update its row in place (HOT).
-- Measured (docs/search.md, bench/sort-indexes.sh): the pages, the votes, the import.
CREATE INDEX reviews_by_helpfulness ON reviews (product_id, helpfulness DESC, date DESC, id DESC);
CREATE INDEX reviews_by_date ON reviews (product_id, date DESC, id DESC);
DROP INDEX reviews_product_id;
