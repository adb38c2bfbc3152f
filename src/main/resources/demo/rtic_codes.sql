-- About twenty industry classification (RTIC) codes: keywords are matched against company
-- names, SIC prefixes against the companies' SIC codes.
CREATE TABLE rtic_codes (
    rtic_code VARCHAR PRIMARY KEY,
    label VARCHAR,
    keywords VARCHAR[],
    sic_prefixes VARCHAR[]
);
INSERT INTO rtic_codes VALUES
    ('RTIC01', 'Software and IT services', ['software', 'digital', 'data', 'cloud', 'cyber', 'systems'], ['620', '631']),
    ('RTIC02', 'Renewable energy', ['solar', 'wind', 'renewable', 'energy', 'green'], ['3511', '4321']),
    ('RTIC03', 'Construction', ['construction', 'builders', 'building', 'developments', 'civil'], ['41', '42', '439']),
    ('RTIC04', 'Food and drink', ['bakery', 'brewery', 'foods', 'kitchen', 'catering', 'coffee'], ['107', '110', '562']),
    ('RTIC05', 'Health care', ['dental', 'care', 'clinic', 'health', 'medical', 'pharmacy'], ['86', '87', '4773']),
    ('RTIC06', 'Logistics', ['logistics', 'transport', 'freight', 'haulage', 'courier'], ['494', '52', '53']),
    ('RTIC07', 'Financial services', ['capital', 'finance', 'investments', 'wealth', 'insurance'], ['64', '65', '66']),
    ('RTIC08', 'Property', ['property', 'estates', 'homes', 'lettings'], ['68']),
    ('RTIC09', 'Management consulting', ['consulting', 'consultancy', 'advisory', 'management', 'partners'], ['702']),
    ('RTIC10', 'Retail', ['retail', 'store', 'shop', 'fashion', 'boutique'], ['471', '477', '479']),
    ('RTIC11', 'Creative and media', ['media', 'design', 'studio', 'creative', 'film', 'music'], ['591', '602', '741', '900']),
    ('RTIC12', 'Education and training', ['academy', 'education', 'training', 'school', 'tutors'], ['85']),
    ('RTIC13', 'Fitness and leisure', ['fitness', 'gym', 'leisure', 'sports', 'yoga'], ['931', '9604']),
    ('RTIC14', 'Automotive', ['motors', 'automotive', 'garage', 'cars', 'vehicle'], ['45', '291']),
    ('RTIC15', 'Agriculture', ['farm', 'farming', 'agricultural', 'dairy', 'organic'], ['01', '02', '03']),
    ('RTIC16', 'Engineering', ['engineering', 'engineers', 'precision', 'fabrication', 'mechanical'], ['25', '28', '711']),
    ('RTIC17', 'Hospitality', ['hotel', 'hospitality', 'inn', 'restaurant', 'bar'], ['551', '561', '563']),
    ('RTIC18', 'Legal services', ['legal', 'law', 'solicitors', 'chambers'], ['691']),
    ('RTIC19', 'Life sciences', ['bio', 'biotech', 'genomics', 'therapeutics', 'labs'], ['721', '212']),
    ('RTIC20', 'Telecoms', ['telecom', 'telecoms', 'networks', 'broadband', 'fibre', 'mobile'], ['61']);
