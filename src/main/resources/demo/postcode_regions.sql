-- A postcode -> region lookup as large as the companies table: postcode i is a mixed-radix
-- spelling of i (area, district, sector, unit), unique for i below 17 million. Companies
-- take their postcodes from the same function.
CREATE TEMP MACRO demo_postcode(i) AS
    ['AB', 'B', 'BS', 'BT', 'CF', 'E', 'EC', 'EH', 'G', 'L', 'LS', 'M', 'N', 'NE', 'NG', 'NR', 'OX', 'PL', 'RG',
     'S', 'SE', 'SW', 'W', 'CB', 'LE', 'SA'][1 + i % 26]
    || CAST(1 + (i // 26) % 99 AS VARCHAR) || ' ' || CAST((i // 2574) % 10 AS VARCHAR)
    || chr(65 + CAST((i // 25740) % 676 AS INTEGER) // 26) || chr(65 + CAST((i // 25740) % 676 AS INTEGER) % 26);
CREATE TABLE postcode_regions (
    postcode VARCHAR PRIMARY KEY,
    region VARCHAR
);
INSERT INTO postcode_regions
SELECT demo_postcode(i),
       ['Scotland', 'West Midlands', 'South West', 'Northern Ireland', 'Wales', 'London', 'London', 'Scotland',
        'Scotland', 'North West', 'Yorkshire', 'North West', 'London', 'North East', 'East Midlands',
        'East of England', 'South East', 'South West', 'South East', 'Yorkshire', 'London', 'London', 'London',
        'East of England', 'East Midlands', 'Wales'][1 + i % 26]
FROM range(${rows}) t(i)
ORDER BY 1;
