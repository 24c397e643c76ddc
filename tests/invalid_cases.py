"""Invalid contracts, each a small edit of examples/acme-dental.yaml, and the exact errors it gives.

Each case: (name, text to find, replacement, expected errors as 'LINE:COL: error: message (at path)').
The text to find occurs exactly once in the example, so every case is one visible edit. The expected
errors were checked by hand against the line and column of the edited value.
"""

CASES = [
    (
        'misspelt top-level key',
        'priorities:\n  - id: P1',
        'priorites:\n  - id: P1',
        ["66:1: error: unknown key 'priorites' at the top level; did you mean 'priorities'? (at priorites)"],
    ),
    (
        'misspelt nested key',
        '  governing_law: England',
        '  governing_lwa: England',
        ["12:3: error: unknown key 'governing_lwa' in agreement; did you mean 'governing_law'? (at agreement.governing_lwa)"],
    ),
    (
        'bad duration unit',
        '    response: 30m',
        '    response: 30 minutes',
        ["70:15: error: '30 minutes' is not a duration: write hours and minutes such as '30m', '4h' or '1h30m' (or ISO 8601 such as 'PT4H') (at priorities[0].response)"],
    ),
    (
        'bare number duration',
        '    resolution: 4h',
        '    resolution: 4',
        ["71:17: error: 4 has no unit: write it as hours and minutes, for example '4h' or '30m' (at priorities[0].resolution)"],
    ),
    (
        'days duration',
        '    resolution: 72h',
        '    resolution: 3d',
        ["91:17: error: '3d' counts days, which is ambiguous (calendar days or business days?): write it in hours, for example '72h' (at priorities[3].resolution)"],
    ),
    (
        'unknown time zone',
        'timezone: Europe/London',
        'timezone: Europe/Londn',
        ["52:13: error: 'Europe/Londn' is not a time zone: use an IANA name such as Europe/London or America/New_York (at support_hours.timezone)"],
    ),
    (
        'unknown dependency',
        'depends_on: [fileserver, lan]',
        'depends_on: [fileserver, lan2]',
        ["35:30: error: service 'files' depends on 'lan2', which is not an infrastructure component (known: fileserver, firewall, internet, lan, m365) (at services[1].depends_on[1])"],
    ),
    (
        'duplicate service id',
        '  - id: files',
        '  - id: email',
        ["32:9: error: service id 'email' is used twice; ids must be unique (at services[1].id)"],
    ),
    (
        'duplicate priority id',
        '  - id: P4',
        '  - id: P3',
        ["87:9: error: priority id 'P3' is used twice; ids must be unique (at priorities[3].id)", "164:58: error: expected_tickets_per_month names priority 'P4', which is not defined under priorities (defined: P1, P2, P3) (at staffing.expected_tickets_per_month.P4)"],
    ),
    (
        'duplicate component id',
        '{id: lan, kind: network',
        '{id: firewall, kind: network',
        ["35:30: error: service 'files' depends on 'lan', which is not an infrastructure component (known: fileserver, firewall, internet, m365) (at services[1].depends_on[1])", "154:12: error: component id 'firewall' is used twice; ids must be unique (at infrastructure.components[3].id)"],
    ),
    (
        'duplicate key',
        '  rto: 8h\n',
        '  rto: 8h\n  rpo: 12h\n',
        ["126:3: error: 'rpo' is given twice (first on line 124); keep one and delete the other (at data_protection.rpo)"],
    ),
    (
        'yaml syntax error',
        '  title: Managed IT Services Agreement',
        '  title: Managed IT: Services Agreement',
        ["8:20: error: the YAML is malformed here: a ':' is out of place; put text containing ': ' in quotes, or check the indentation"],
    ),
    (
        'unclosed flow mapping',
        'backup: {frequency: 24h, retention_days: 30, offsite: true}',
        'backup: {frequency: 24h, retention_days: 30, offsite: true',
        ["124:6: error: the YAML is malformed here: a '{' is not closed with '}', or its items are not separated by commas"],
    ),
    (
        'percentage over 100',
        '    availability: 99.5%\n  - id: remote-access',
        '    availability: 100.5%\n  - id: remote-access',
        ["36:19: error: '100.5%' is not a percentage between 0% and 100% (at services[1].availability)"],
    ),
    (
        'percentage not a number',
        '  credit_cap: 25%',
        '  credit_cap: a quarter',
        ["108:15: error: 'a quarter' is not a percentage: write it like '99.9%' (at availability.credit_cap)"],
    ),
    (
        'negative notice period',
        '  notice_days: 90',
        '  notice_days: -30',
        ['139:16: error: the number -30 is out of range; it must be at least 0 (at termination.notice_days)'],
    ),
    (
        'list where a mapping belongs',
        '  backup: {frequency: 24h, retention_days: 30, offsite: true}',
        '  backup: [24h, 30, true]',
        ["123:11: error: expected a mapping of keys and values (such as 'name: ...'), got a list (at data_protection.backup)"],
    ),
    (
        'mapping where a list belongs',
        '  - The practice-management database "DentalSuite", which its vendor supports directly.\n  - Printers, scanners and consumables.\n  - Hardware repairs outside the manufacturer\'s warranty.\n',
        '  printers: out of scope\n',
        ["47:3: error: expected a list (one item per line, each starting with '- '), got a mapping (at exclusions)"],
    ),
    (
        'text where a list belongs',
        "  - Log every problem through an agreed channel.\n\nsupport_constraints:\n  - The Customer's building is closed on Sundays, so no on-site work can take place then.\n",
        '  - Log every problem through an agreed channel.\n\nsupport_constraints: No work on Sundays.\n',
        ["116:22: error: expected a list (one item per line, each starting with '- '), got 'No work on Sundays.' (at support_constraints)"],
    ),
    (
        'impossible time of day',
        '"08:30-17:30"',
        '"08:30-25:30"',
        ["54:20: error: '25:30' is not a time on a clock: hours run 00-23 and minutes 00-59 (at support_hours.weekly.monday-friday)"],
    ),
    (
        'impossible maintenance start',
        'start: "02:00"',
        'start: "25:30"',
        ["100:28: error: '25:30' is not a time on a clock: hours run 00-23 and minutes 00-59 (at availability.maintenance_windows[0].start)"],
    ),
    (
        'unknown weekday',
        'monday-friday:',
        'monday-fryday:',
        ["54:5: error: 'fryday' is not a day of the week: write monday, tuesday, ... sunday (at support_hours.weekly.monday-fryday)"],
    ),
    (
        'day given twice',
        '    monday-friday: "08:30-17:30"\n',
        '    monday-friday: "08:30-17:30"\n    friday: "09:00-12:00"\n',
        ["55:5: error: friday is given twice (in 'monday-friday' and 'friday') (at support_hours.weekly.friday)"],
    ),
    (
        'overlapping windows',
        '"08:30-17:30"',
        '"08:30-12:30, 12:00-17:30"',
        ['54:20: error: the windows in "08:30-12:30, 12:00-17:30" overlap (at support_hours.weekly.monday-friday)'],
    ),
    (
        'unknown priority in channel',
        'priorities: [P1, P2]}',
        'priorities: [P1, P5]}',
        ["62:67: error: the phone channel names priority 'P5', which is not defined under priorities (defined: P1, P2, P3, P4) (at problem_reporting.channels[2].priorities[1])"],
    ),
    (
        'unknown priority in expected tickets',
        'P4: 40}',
        'P9: 40}',
        ["164:58: error: expected_tickets_per_month names priority 'P9', which is not defined under priorities (defined: P1, P2, P3, P4) (at staffing.expected_tickets_per_month.P9)"],
    ),
    (
        'unknown holiday country',
        'country: GB, subdivision: ENG',
        'country: XY',
        ["55:23: error: no public holidays are known for country 'XY': use an ISO 3166 code such as GB, US, DE or FR (at support_hours.holidays.country)"],
    ),
    (
        'unknown holiday region',
        'country: GB, subdivision: ENG',
        'country: GB, subdivision: LDN',
        ["55:40: error: 'LDN' is not a region of GB with its own holidays; choose one of ENG, NIR, SCT, WLS (at support_hours.holidays.subdivision)"],
    ),
    (
        'unknown clock',
        '    clock: 24x7',
        '    clock: always',
        ["73:12: error: 'always' is not allowed here; expected one of: 24x7, support_hours (at priorities[0].clock)"],
    ),
    (
        'unknown warranty',
        '{id: fileserver, kind: server, count: 1, warranty: next_business_day}',
        '{id: fileserver, kind: server, count: 1, warranty: next_day}',
        ["153:58: error: 'next_day' is not allowed here; expected one of: none, next_business_day, 4h_onsite, 8h_onsite, same_day, 24x7_4h (at infrastructure.components[2].warranty)"],
    ),
    (
        'text where a number belongs',
        '  initial_term_months: 12',
        '  initial_term_months: twelve',
        ["10:24: error: expected a whole number, got 'twelve' (at agreement.initial_term_months)"],
    ),
    (
        'bad date',
        '  effective_date: 2027-01-01',
        '  effective_date: 2027-02-30',
        ["9:19: error: '2027-02-30' is not a real date: write it as YYYY-MM-DD (at agreement.effective_date)"],
    ),
    (
        'unknown currency',
        '  currency: GBP',
        '  currency: GPB',
        ["13:13: error: 'GPB' is not a currency code: use ISO 4217 codes such as GBP, EUR or USD (at agreement.currency)"],
    ),
    (
        'missing required key',
        '  governing_law: England and Wales\n',
        '',
        ["6:1: error: 'governing_law' is missing from agreement; it is required (at agreement)"],
    ),
    (
        'money with three decimals',
        '    monthly: 5400.00',
        '    monthly: 5400.005',
        ["176:14: error: '5400.005' has more than two decimal places (at sow.fees.monthly)"],
    ),
    (
        'yes/no not a boolean',
        '  personal_data: true',
        '  personal_data: maybe',
        ["120:18: error: expected true or false, got 'maybe' (at data_protection.personal_data)"],
    ),
    (
        'control character in text',
        '  name: Acme Dental Group Ltd',
        '  name: "Acme Dental\\x07 Group Ltd"',
        ['22:9: error: contains an invisible control character (U+0007); retype the text or paste it as plain text (at customer.name)'],
    ),
    (
        'tab indentation',
        '  notice_days: 90',
        '\tnotice_days: 90',
        ['139:1: error: the YAML is malformed here: tabs cannot indent YAML; use spaces'],
    ),
    (
        'wrong format version',
        'slagen: 1',
        'slagen: 2',
        ["4:9: error: this file is written for contract format version 2, but this slagen reads version 1: write 'slagen: 1' (at slagen)"],
    ),
]
