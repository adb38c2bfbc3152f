-- Deterministic demo companies from range(): every value is arithmetic on the row number,
-- so two generations are identical. Rows are stored in key order. ${rows} is replaced by
-- the row count (a number). Postcodes come from demo_postcode (postcode_regions.sql).
CREATE TABLE companies (
    company_number VARCHAR PRIMARY KEY,
    name VARCHAR,
    sic_codes VARCHAR[],
    phone VARCHAR,
    address STRUCT(line1 VARCHAR, town VARCHAR, postcode VARCHAR),
    incorporated_on DATE
);
INSERT INTO companies
WITH numbered AS (
    SELECT i, (i * 2654435761) % 4294967296 AS r
    FROM range(${rows}) t(i)
), industries AS (
    -- One industry per RTIC code, in code order: name words and typical SIC codes.
    SELECT
        [['Software', 'Digital', 'Data Systems', 'Cloud', 'Cyber'],
         ['Solar', 'Wind Energy', 'Renewable Energy', 'Green Energy', 'Solar Power'],
         ['Construction', 'Builders', 'Building', 'Developments', 'Civil Engineering'],
         ['Bakery', 'Brewery', 'Foods', 'Kitchen', 'Coffee'],
         ['Dental', 'Care', 'Clinic', 'Health', 'Pharmacy'],
         ['Logistics', 'Transport', 'Freight', 'Haulage', 'Courier'],
         ['Capital', 'Finance', 'Investments', 'Wealth', 'Insurance'],
         ['Property', 'Estates', 'Homes', 'Lettings', 'Property Management'],
         ['Consulting', 'Consultancy', 'Advisory', 'Management', 'Partners'],
         ['Retail', 'Store', 'Shop', 'Fashion', 'Boutique'],
         ['Media', 'Design', 'Studio', 'Creative', 'Film'],
         ['Academy', 'Education', 'Training', 'School', 'Tutors'],
         ['Fitness', 'Gym', 'Leisure', 'Sports', 'Yoga'],
         ['Motors', 'Automotive', 'Garage', 'Cars', 'Vehicle Services'],
         ['Farm', 'Farming', 'Agricultural', 'Dairy', 'Organic'],
         ['Engineering', 'Engineers', 'Precision', 'Fabrication', 'Mechanical'],
         ['Hotel', 'Hospitality', 'Inn', 'Restaurant', 'Bar'],
         ['Legal', 'Law', 'Solicitors', 'Chambers', 'Legal Services'],
         ['Bio', 'Biotech', 'Genomics', 'Therapeutics', 'Labs'],
         ['Telecom', 'Telecoms', 'Networks', 'Broadband', 'Fibre']] AS words,
        [['62012', '62020', '63110'], ['35110', '43210', '35140'], ['41201', '42110', '43999'],
         ['10710', '11050', '56290'], ['86230', '87100', '47730'], ['49410', '52290', '53202'],
         ['64999', '66190', '65120'], ['68100', '68209', '68320'], ['70229', '70221', '70210'],
         ['47190', '47710', '47910'], ['59111', '74100', '90030'], ['85590', '85200', '85320'],
         ['93130', '96040', '93110'], ['45112', '45200', '29100'], ['01110', '01410', '02100'],
         ['25620', '28990', '71121'], ['55100', '56101', '56302'], ['69102', '69101', '69109'],
         ['72110', '21200', '72190'], ['61100', '61200', '61900']] AS sics
)
SELECT
    CASE i % 20
        WHEN 0 THEN 'SC' || lpad(CAST(i // 20 AS VARCHAR), 6, '0')
        WHEN 1 THEN 'NI' || lpad(CAST(i // 20 AS VARCHAR), 6, '0')
        WHEN 2 THEN 'OC' || lpad(CAST(i // 20 AS VARCHAR), 6, '0')
        ELSE lpad(CAST(i AS VARCHAR), 8, '0')
    END AS company_number,
    ['Acme', 'Northern', 'Albion', 'Blue Sky', 'Crown', 'Summit', 'Oak', 'Riverside', 'Phoenix', 'Pioneer',
     'Apex', 'Heritage', 'Bright', 'Silver', 'Thames', 'Pennine', 'Highland', 'Coastal', 'Vertex', 'Orchard',
     'Kestrel', 'Meridian', 'Granite', 'Willow', 'Harbour', 'Beacon', 'Castle', 'Lakeside', 'Sterling', 'Evergreen']
        [1 + (r // 7) % 30]
    || CASE WHEN r % 10 < 7
            THEN ' ' || words[1 + r % 20][1 + (r // 20) % 5]
            ELSE ' ' || ['Trading', 'Services', 'Enterprises', 'Ventures', 'Solutions'][1 + (r // 20) % 5] END
    || CASE WHEN r % 13 = 0 THEN ' & ' || words[1 + r % 20][1 + (r // 100) % 5] ELSE '' END
    || ' ' || ['Ltd', 'Limited', 'LLP', 'PLC', 'Holdings Ltd', 'Group Ltd'][1 + (r // 210) % 6] AS name,
    CASE WHEN (r // 3) % 10 < 7
         THEN [sics[1 + r % 20][1 + (r // 11) % 3]]
         ELSE [sics[1 + (r // 17) % 20][1 + (r // 11) % 3], sics[1 + r % 20][1 + (r // 23) % 3]] END AS sic_codes,
    CASE (r // 400) % 10
        WHEN 0 THEN NULL
        WHEN 1 THEN '07' || lpad(CAST((i * 7919) % 1000000000 AS VARCHAR), 9, '0')
        WHEN 2 THEN '+44 7' || lpad(CAST((i * 104729) % 1000000000 AS VARCHAR), 9, '0')
        WHEN 3 THEN '(07' || lpad(CAST((i * 31) % 1000 AS VARCHAR), 3, '0') || ') ' || lpad(CAST((i * 13) % 1000000 AS VARCHAR), 6, '0')
        WHEN 4 THEN '020 ' || lpad(CAST((i * 17) % 10000 AS VARCHAR), 4, '0') || ' ' || lpad(CAST((i * 19) % 10000 AS VARCHAR), 4, '0')
        WHEN 5 THEN '+44 161 ' || lpad(CAST((i * 23) % 10000000 AS VARCHAR), 7, '0')
        WHEN 6 THEN '0131-' || lpad(CAST((i * 29) % 10000000 AS VARCHAR), 7, '0')
        WHEN 7 THEN '+353 1 ' || lpad(CAST((i * 37) % 10000000 AS VARCHAR), 7, '0')
        ELSE '01' || lpad(CAST((i * 41) % 1000000000 AS VARCHAR), 9, '0')
    END AS phone,
    CASE WHEN (r // 4000) % 9 = 0 THEN NULL
         ELSE {'line1': CAST(1 + (r // 9) % 250 AS VARCHAR) || ' '
                        || ['High Street', 'Station Road', 'Church Lane', 'Mill Road', 'Victoria Street',
                            'King Street', 'Park Avenue', 'Queens Road'][1 + (r // 31) % 8],
               'town': ['London', 'Manchester', 'Edinburgh', 'Belfast', 'Leeds', 'Bristol', 'Glasgow',
                        'Cardiff', 'Birmingham', 'Newcastle'][1 + (r // 37) % 10],
               'postcode': CASE WHEN (r // 41) % 4 = 0
                                THEN lower(demo_postcode((r // 43) % ${rows})) || '  '
                                ELSE demo_postcode((r // 43) % ${rows}) END} END AS address,
    DATE '1970-01-01' + CAST((r // 47) % 20000 AS INTEGER) AS incorporated_on
FROM numbered, industries
ORDER BY company_number;
