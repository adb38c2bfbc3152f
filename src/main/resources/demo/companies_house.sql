-- The demo companies (companies.sql) written as Companies House's "Free Company Data Product"
-- CSV (BasicCompanyDataAsOneFile): the 55 columns of the real file in its order, its header
-- with the same leading spaces, every value quoted, dates dd/mm/yyyy, SIC codes as
-- 'NNNNN - description' or 'None Supplied', CRLF line ends, rows in company name order. Some
-- names carry quotes, commas, non-ASCII letters or a line break, as real names do. Lines are
-- built here and written as they are (no quoting by COPY). ${file} is replaced by the path.
CREATE TEMP MACRO ch_quote(v) AS '"' || replace(coalesce(CAST(v AS VARCHAR), ''), '"', '""') || '"';
CREATE TEMP MACRO ch_date(d) AS coalesce(strftime(d, '%d/%m/%Y'), '');
CREATE TEMP MACRO ch_sic(codes, n) AS CASE
    WHEN len(codes) = 0 AND n = 1 THEN 'None Supplied'
    WHEN n <= len(codes) THEN codes[n] || ' - ' || ['Manufacture', 'Wholesale', 'Retail sale', 'Other activities',
        'Services', 'Activities of head offices'][1 + CAST(codes[n] AS INTEGER) % 6] || ' n.e.c. (' || codes[n] || ')'
    ELSE '' END;
COPY (
    WITH houses AS (
        SELECT c.*, hash(company_number) AS h,
               CASE WHEN hash(company_number) % 50 = 0 THEN [] ELSE sic_codes END AS sics
        FROM companies c
    ), named AS (
        SELECT *,
               CASE h % 1000
                   WHEN 1 THEN '"' || upper(name) || '" TRADING, LTD'
                   WHEN 2 THEN 'CAFÉ ' || upper(name) || ' Ä/Ø'
                   WHEN 3 THEN upper(name) || chr(10) || 'SECOND LINE'
                   ELSE upper(name) END AS ch_name
        FROM houses
    )
    SELECT line FROM (
        SELECT 0 AS part, '' AS sort_name, '' AS sort_number,
               'CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, RegAddress.AddressLine2,'
               || 'RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,CompanyCategory,CompanyStatus,'
               || 'CountryOfOrigin,DissolutionDate,IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,'
               || 'Accounts.NextDueDate,Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,'
               || 'Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,'
               || 'Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,SICCode.SicText_2,'
               || 'SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,'
               || 'URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName, PreviousName_2.CONDATE, PreviousName_2.CompanyName,'
               || 'PreviousName_3.CONDATE, PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,'
               || 'PreviousName_5.CONDATE, PreviousName_5.CompanyName,PreviousName_6.CONDATE, PreviousName_6.CompanyName,'
               || 'PreviousName_7.CONDATE, PreviousName_7.CompanyName,PreviousName_8.CONDATE, PreviousName_8.CompanyName,'
               || 'PreviousName_9.CONDATE, PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,'
               || 'ConfStmtNextDueDate, ConfStmtLastMadeUpDate' AS line
        UNION ALL
        SELECT 1, ch_name, company_number, concat_ws(',',
            ch_quote(ch_name), ch_quote(company_number),
            ch_quote(CASE WHEN h % 40 = 0 THEN 'C/O ' || upper(address.town) || ' ACCOUNTANTS LLP' END),
            ch_quote(CASE WHEN h % 97 = 0 THEN 'PO BOX ' || h % 900 END),
            ch_quote(upper(address.line1)),
            ch_quote(CASE WHEN h % 3 = 0 THEN 'UNIT ' || (1 + h % 30) END),
            ch_quote(upper(address.town)), ch_quote(CASE WHEN h % 5 = 0 THEN 'GREATER ' || upper(address.town) END),
            ch_quote(CASE WHEN address IS NULL THEN NULL WHEN company_number LIKE 'SC%' THEN 'SCOTLAND'
                          WHEN company_number LIKE 'NI%' THEN 'NORTHERN IRELAND' ELSE 'ENGLAND' END),
            ch_quote(address.postcode),
            ch_quote(CASE WHEN company_number LIKE 'OC%' THEN 'Limited Liability Partnership'
                          WHEN h % 11 = 0 THEN 'PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)'
                          ELSE 'Private Limited Company' END),
            ch_quote(CASE h % 20 WHEN 0 THEN 'Active - Proposal to Strike off' WHEN 1 THEN 'Liquidation' ELSE 'Active' END),
            ch_quote('United Kingdom'),
            ch_quote(CASE WHEN h % 20 = 1 THEN ch_date(incorporated_on + 3650) END),
            ch_quote(ch_date(incorporated_on)),
            ch_quote(CAST(28 + h % 4 AS VARCHAR)), ch_quote(CAST(1 + h % 12 AS VARCHAR)),
            ch_quote(ch_date(DATE '2026-01-31' + CAST(h % 365 AS INTEGER))),
            ch_quote(CASE WHEN h % 7 <> 0 THEN ch_date(DATE '2025-01-31' + CAST(h % 365 AS INTEGER)) END),
            ch_quote(CASE WHEN h % 7 = 0 THEN 'NO ACCOUNTS FILED' WHEN h % 3 = 0 THEN 'MICRO ENTITY'
                          ELSE 'TOTAL EXEMPTION FULL' END),
            ch_quote(CASE WHEN h % 9 = 0 THEN ch_date(DATE '2016-07-01' + CAST(h % 365 AS INTEGER)) END),
            ch_quote(CASE WHEN h % 9 = 0 THEN ch_date(DATE '2015-07-01' + CAST(h % 365 AS INTEGER)) END),
            ch_quote(CAST(h % 13 // 10 * (1 + h % 4) AS VARCHAR)), ch_quote(CAST(h % 13 // 11 AS VARCHAR)),
            ch_quote('0'), ch_quote(CAST(h % 13 // 10 * (1 + h % 4) - h % 13 // 11 AS VARCHAR)),
            ch_quote(ch_sic(sics, 1)), ch_quote(ch_sic(sics, 2)), ch_quote(ch_sic(sics, 3)), ch_quote(ch_sic(sics, 4)),
            ch_quote('0'), ch_quote('0'),
            ch_quote('http://business.data.gov.uk/id/company/' || company_number),
            ch_quote(CASE WHEN h % 7 = 0 THEN ch_date(incorporated_on + 400) END),
            ch_quote(CASE WHEN h % 7 = 0 THEN upper(split_part(name, ' ', 1)) || ' HOLDINGS LIMITED' END),
            ch_quote(CASE WHEN h % 49 = 0 THEN ch_date(incorporated_on + 100) END),
            ch_quote(CASE WHEN h % 49 = 0 THEN 'FIRST ' || upper(split_part(name, ' ', 1)) || ' LTD' END),
            '""', '""', '""', '""', '""', '""', '""', '""', '""', '""', '""', '""', '""', '""', '""', '""',
            ch_quote(ch_date(DATE '2026-03-01' + CAST(h % 365 AS INTEGER))),
            ch_quote(ch_date(DATE '2025-03-01' + CAST(h % 365 AS INTEGER))))
        FROM named
    )
    ORDER BY part, sort_name, sort_number
) TO '${file}' (HEADER false, QUOTE '', ESCAPE '', DELIMITER '\t', NEW_LINE '\r\n');
