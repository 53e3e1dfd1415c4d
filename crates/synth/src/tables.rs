//! Hard-coded reference tables: countries, cities, names, schools, employers, banks and
//! network blocks.
//!
//! **The IPv4 blocks are illustrative.** They were picked so that a country-level
//! geolocation database (the project's `ip-location-db` test copy, 2026-06) places every
//! residential block in the country it is listed under, and so that none of them overlaps
//! the X4BNet "datacenter" list; the hosting and VPN blocks were picked from ranges that the
//! ASN database attributes to the named provider and that X4BNet lists as datacenter or
//! VPN space. Registries reassign address space over time: nothing here is a claim about
//! any real person or customer of those networks. Names, addresses, phone numbers and
//! account numbers are synthetic.

/// Where a name comes from. Used to draw plausible names; never a signal in itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Anglo,
    German,
    French,
    Polish,
    Ukrainian,
    Indian,
    Pakistani,
    Filipino,
    Vietnamese,
    Indonesian,
    Brazilian,
    Hispanic,
    Nigerian,
    Kenyan,
    Egyptian,
    Korean,
    Japanese,
    Chinese,
    Dutch,
}

impl Origin {
    pub(crate) const ALL: &'static [Origin] = &[
        Origin::Anglo,
        Origin::German,
        Origin::French,
        Origin::Polish,
        Origin::Ukrainian,
        Origin::Indian,
        Origin::Pakistani,
        Origin::Filipino,
        Origin::Vietnamese,
        Origin::Indonesian,
        Origin::Brazilian,
        Origin::Hispanic,
        Origin::Nigerian,
        Origin::Kenyan,
        Origin::Egyptian,
        Origin::Korean,
        Origin::Japanese,
        Origin::Chinese,
        Origin::Dutch,
    ];

    pub(crate) fn names(self) -> &'static NameSet {
        match self {
            Origin::Anglo => &ANGLO,
            Origin::German => &GERMAN,
            Origin::French => &FRENCH,
            Origin::Polish => &POLISH,
            Origin::Ukrainian => &UKRAINIAN,
            Origin::Indian => &INDIAN,
            Origin::Pakistani => &PAKISTANI,
            Origin::Filipino => &FILIPINO,
            Origin::Vietnamese => &VIETNAMESE,
            Origin::Indonesian => &INDONESIAN,
            Origin::Brazilian => &BRAZILIAN,
            Origin::Hispanic => &HISPANIC,
            Origin::Nigerian => &NIGERIAN,
            Origin::Kenyan => &KENYAN,
            Origin::Egyptian => &EGYPTIAN,
            Origin::Korean => &KOREAN,
            Origin::Japanese => &JAPANESE,
            Origin::Chinese => &CHINESE,
            Origin::Dutch => &DUTCH,
        }
    }
}

/// Given names by gender and family names; `family_female` (same length as `family`, or
/// empty) holds the feminine forms of languages that inflect surnames.
pub(crate) struct NameSet {
    pub male: &'static [&'static str],
    pub female: &'static [&'static str],
    pub family: &'static [&'static str],
    pub family_female: &'static [&'static str],
}

pub(crate) static ANGLO: NameSet = NameSet {
    male: &[
        "James",
        "Michael",
        "David",
        "Daniel",
        "Matthew",
        "Ryan",
        "Kevin",
        "Brian",
        "Tyler",
        "Jason",
        "Andrew",
        "Christopher",
        "Nathan",
        "Ethan",
    ],
    female: &[
        "Emily", "Sarah", "Jessica", "Ashley", "Olivia", "Megan", "Rachel", "Lauren", "Hannah",
        "Amanda", "Emma", "Chloe", "Grace", "Natalie",
    ],
    family: &[
        "Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
        "Thomas", "Moore", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
        "Young", "Hall", "Campbell", "Murphy", "Bennett", "Cooper",
    ],
    family_female: &[],
};

pub(crate) static GERMAN: NameSet = NameSet {
    male: &[
        "Lukas",
        "Felix",
        "Maximilian",
        "Tobias",
        "Jan",
        "Jonas",
        "Florian",
        "Sebastian",
    ],
    female: &[
        "Anna",
        "Lena",
        "Laura",
        "Julia",
        "Sophie",
        "Katharina",
        "Lea",
        "Miriam",
    ],
    family: &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Schröder",
        "Koch",
        "Richter",
    ],
    family_female: &[],
};

pub(crate) static FRENCH: NameSet = NameSet {
    male: &[
        "Thomas", "Nicolas", "Julien", "Antoine", "Maxime", "Hugo", "Louis", "Romain",
    ],
    female: &[
        "Camille", "Léa", "Chloé", "Manon", "Sarah", "Inès", "Pauline", "Élise",
    ],
    family: &[
        "Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Lefebvre", "Girard", "Fontaine",
    ],
    family_female: &[],
};

pub(crate) static POLISH: NameSet = NameSet {
    male: &[
        "Jakub",
        "Piotr",
        "Tomasz",
        "Krzysztof",
        "Michał",
        "Paweł",
        "Marcin",
        "Łukasz",
    ],
    female: &[
        "Anna",
        "Katarzyna",
        "Magdalena",
        "Agnieszka",
        "Joanna",
        "Aleksandra",
        "Marta",
        "Zofia",
    ],
    family: &[
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kamiński",
        "Lewandowski",
        "Zieliński",
        "Mazur",
        "Krawczyk",
        "Dąbrowski",
    ],
    family_female: &[
        "Nowak",
        "Kowalska",
        "Wiśniewska",
        "Wójcik",
        "Kamińska",
        "Lewandowska",
        "Zielińska",
        "Mazur",
        "Krawczyk",
        "Dąbrowska",
    ],
};

pub(crate) static UKRAINIAN: NameSet = NameSet {
    male: &[
        "Oleksandr",
        "Dmytro",
        "Andrii",
        "Serhii",
        "Mykola",
        "Yurii",
        "Bohdan",
        "Taras",
    ],
    female: &[
        "Olena",
        "Iryna",
        "Kateryna",
        "Nataliia",
        "Oksana",
        "Yuliia",
        "Anastasiia",
        "Sofiia",
    ],
    family: &[
        "Shevchenko",
        "Bondarenko",
        "Kovalenko",
        "Tkachenko",
        "Kravchenko",
        "Melnyk",
        "Boiko",
        "Moroz",
        "Lysenko",
        "Petrenko",
        "Savchenko",
        "Rudenko",
    ],
    family_female: &[],
};

pub(crate) static INDIAN: NameSet = NameSet {
    male: &[
        "Rahul",
        "Amit",
        "Arjun",
        "Vikram",
        "Rohan",
        "Karthik",
        "Siddharth",
        "Aditya",
    ],
    female: &[
        "Priya", "Ananya", "Sneha", "Divya", "Pooja", "Kavya", "Meera", "Shreya",
    ],
    family: &[
        "Sharma", "Patel", "Reddy", "Iyer", "Nair", "Gupta", "Singh", "Kumar", "Menon", "Rao",
        "Joshi", "Desai",
    ],
    family_female: &[],
};

pub(crate) static PAKISTANI: NameSet = NameSet {
    male: &[
        "Ali", "Hamza", "Usman", "Bilal", "Ahmed", "Faisal", "Saad", "Zeeshan",
    ],
    female: &[
        "Ayesha", "Fatima", "Zainab", "Sana", "Hira", "Maryam", "Amna", "Mahnoor",
    ],
    family: &[
        "Khan", "Ahmed", "Malik", "Hussain", "Qureshi", "Butt", "Chaudhry", "Siddiqui", "Raza",
        "Sheikh",
    ],
    family_female: &[],
};

pub(crate) static FILIPINO: NameSet = NameSet {
    male: &[
        "Mark",
        "John Paul",
        "Carlo",
        "Miguel",
        "Joshua",
        "Paolo",
        "Rafael",
        "Jerome",
    ],
    female: &[
        "Maria", "Angelica", "Kristine", "Patricia", "Camille", "Joy", "Bea", "Nicole",
    ],
    family: &[
        "Santos",
        "Reyes",
        "Cruz",
        "Bautista",
        "Garcia",
        "Mendoza",
        "Dela Cruz",
        "Villanueva",
        "Ramos",
        "Aquino",
    ],
    family_female: &[],
};

pub(crate) static VIETNAMESE: NameSet = NameSet {
    male: &["Minh", "Huy", "Duc", "Khoa", "Tuan", "Long", "Quang", "Bao"],
    female: &["Linh", "Trang", "Huong", "Thao", "Mai", "Ngoc", "Lan", "Vy"],
    family: &[
        "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do",
    ],
    family_female: &[],
};

pub(crate) static INDONESIAN: NameSet = NameSet {
    male: &[
        "Budi", "Agus", "Rizky", "Dimas", "Fajar", "Andi", "Yoga", "Hendra",
    ],
    female: &[
        "Siti", "Dewi", "Putri", "Ayu", "Rina", "Intan", "Wulan", "Sari",
    ],
    family: &[
        "Santoso",
        "Wijaya",
        "Saputra",
        "Hidayat",
        "Pratama",
        "Setiawan",
        "Kurniawan",
        "Nugroho",
        "Halim",
        "Susanto",
    ],
    family_female: &[],
};

pub(crate) static BRAZILIAN: NameSet = NameSet {
    male: &[
        "Lucas", "Gabriel", "Rafael", "Matheus", "Pedro", "Thiago", "Gustavo", "Bruno",
    ],
    female: &[
        "Ana", "Juliana", "Beatriz", "Larissa", "Fernanda", "Camila", "Letícia", "Mariana",
    ],
    family: &[
        "Silva",
        "Santos",
        "Oliveira",
        "Souza",
        "Rodrigues",
        "Ferreira",
        "Alves",
        "Pereira",
        "Lima",
        "Costa",
    ],
    family_female: &[],
};

pub(crate) static HISPANIC: NameSet = NameSet {
    male: &[
        "Carlos",
        "Diego",
        "Javier",
        "Alejandro",
        "Santiago",
        "Andrés",
        "Mateo",
        "Luis",
    ],
    female: &[
        "María",
        "Lucía",
        "Valentina",
        "Sofía",
        "Daniela",
        "Paula",
        "Camila",
        "Florencia",
    ],
    family: &[
        "García",
        "Hernández",
        "López",
        "Martínez",
        "González",
        "Rodríguez",
        "Pérez",
        "Sánchez",
        "Ramírez",
        "Fernández",
        "Torres",
        "Romero",
    ],
    family_female: &[],
};

pub(crate) static NIGERIAN: NameSet = NameSet {
    male: &[
        "Chinedu",
        "Oluwaseun",
        "Emeka",
        "Tunde",
        "Ifeanyi",
        "Segun",
        "Ibrahim",
        "Kelechi",
    ],
    female: &[
        "Chioma",
        "Ngozi",
        "Funmilayo",
        "Adaeze",
        "Temitope",
        "Aisha",
        "Blessing",
        "Yetunde",
    ],
    family: &[
        "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Ogunleye", "Abubakar",
        "Adebayo", "Obi",
    ],
    family_female: &[],
};

pub(crate) static KENYAN: NameSet = NameSet {
    male: &[
        "Brian", "Kevin", "Dennis", "Collins", "Victor", "Samuel", "Kelvin", "Felix",
    ],
    female: &[
        "Faith", "Mercy", "Wanjiru", "Akinyi", "Grace", "Joy", "Cynthia", "Naomi",
    ],
    family: &[
        "Otieno", "Kamau", "Mwangi", "Odhiambo", "Kiprop", "Njoroge", "Ochieng", "Mutua",
        "Kariuki", "Wafula",
    ],
    family_female: &[],
};

pub(crate) static EGYPTIAN: NameSet = NameSet {
    male: &[
        "Mohamed", "Ahmed", "Omar", "Youssef", "Mostafa", "Karim", "Amr", "Hossam",
    ],
    female: &[
        "Nour", "Mariam", "Salma", "Aya", "Yasmin", "Heba", "Dina", "Farida",
    ],
    family: &[
        "Hassan",
        "Ibrahim",
        "Mahmoud",
        "Abdelrahman",
        "Mostafa",
        "Saleh",
        "Fathy",
        "Sayed",
        "Farouk",
        "Nasser",
    ],
    family_female: &[],
};

pub(crate) static KOREAN: NameSet = NameSet {
    male: &[
        "Ji-hoon",
        "Min-jun",
        "Hyun-woo",
        "Dong-hyun",
        "Jae-won",
        "Sung-min",
        "Joon-ho",
        "Tae-yang",
    ],
    female: &[
        "Seo-yeon", "Ji-woo", "Eun-ji", "Soo-jin", "Ye-jin", "Min-ji", "Ha-eun", "Yu-na",
    ],
    family: &[
        "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin",
    ],
    family_female: &[],
};

pub(crate) static JAPANESE: NameSet = NameSet {
    male: &[
        "Haruto", "Yuki", "Takumi", "Kenji", "Daiki", "Sota", "Ren", "Kaito",
    ],
    female: &[
        "Yui", "Aoi", "Haruka", "Sakura", "Mei", "Nanami", "Misaki", "Rin",
    ],
    family: &[
        "Sato",
        "Suzuki",
        "Takahashi",
        "Tanaka",
        "Watanabe",
        "Ito",
        "Yamamoto",
        "Nakamura",
        "Kobayashi",
        "Kato",
    ],
    family_female: &[],
};

pub(crate) static CHINESE: NameSet = NameSet {
    male: &["Wei", "Hao", "Jun", "Lei", "Yang", "Tao", "Zhiwei", "Chen"],
    female: &[
        "Xin", "Jing", "Yan", "Mei", "Fang", "Xiaoling", "Yue", "Lina",
    ],
    family: &[
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    ],
    family_female: &[],
};

pub(crate) static DUTCH: NameSet = NameSet {
    male: &[
        "Daan", "Sem", "Thijs", "Bram", "Lars", "Ruben", "Jeroen", "Niels",
    ],
    female: &[
        "Emma", "Sanne", "Lotte", "Fleur", "Anouk", "Iris", "Femke", "Eva",
    ],
    family: &[
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "Mulder",
        "de Boer",
    ],
    family_female: &[],
};

/// A city a subject can live in.
pub(crate) struct City {
    pub name: &'static str,
    pub region: &'static str,
    pub tz: &'static str,
    /// `#` a digit, `@` a capital letter.
    pub postal: &'static str,
    /// Phone pattern for this city (`#` a digit, `%` a digit 2–9); empty: the country's.
    pub phone: &'static str,
}

const fn city(
    name: &'static str,
    region: &'static str,
    tz: &'static str,
    postal: &'static str,
    phone: &'static str,
) -> City {
    City {
        name,
        region,
        tz,
        postal,
        phone,
    }
}

/// Everything the generator knows about a country.
pub(crate) struct Country {
    pub code: &'static str,
    pub currency: &'static str,
    /// Primary language (BCP 47) and whether English is a native language there.
    pub lang: &'static str,
    pub english_native: bool,
    /// Device locale and keyboard layouts of a resident.
    pub locale: &'static str,
    pub keyboards: &'static [&'static str],
    pub phone: &'static str,
    pub cities: &'static [City],
    /// Illustrative residential (eyeball ISP) IPv4 blocks; see the module docs.
    pub residential: &'static [&'static str],
    pub origins: &'static [(Origin, u32)],
    pub universities: &'static [&'static str],
    pub employers: &'static [&'static str],
    pub banks: &'static [&'static str],
    pub streets: &'static [&'static str],
    /// House number before the street name (`12 Oak St`) or after (`Hauptstraße 12`).
    pub number_first: bool,
    pub email_domains: &'static [&'static str],
    /// Relative weight among legitimate freelancers.
    pub weight: u32,
    /// Typical hourly rate range in USD for a mid-level developer.
    pub rate: (u32, u32),
}

const GLOBAL_MAIL: &[&str] = &["gmail.com", "gmail.com", "outlook.com", "yahoo.com"];

pub(crate) static COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        currency: "USD",
        lang: "en",
        english_native: true,
        locale: "en-US",
        keyboards: &["en-US"],
        phone: "+1 %## %## ####",
        cities: &[
            city(
                "Austin",
                "TX",
                "America/Chicago",
                "787##",
                "+1 512 %## ####",
            ),
            city(
                "Seattle",
                "WA",
                "America/Los_Angeles",
                "981##",
                "+1 206 %## ####",
            ),
            city(
                "New York",
                "NY",
                "America/New_York",
                "100##",
                "+1 646 %## ####",
            ),
            city("Denver", "CO", "America/Denver", "802##", "+1 720 %## ####"),
            city(
                "Atlanta",
                "GA",
                "America/New_York",
                "303##",
                "+1 404 %## ####",
            ),
            city(
                "San Jose",
                "CA",
                "America/Los_Angeles",
                "951##",
                "+1 408 %## ####",
            ),
            city(
                "Chicago",
                "IL",
                "America/Chicago",
                "606##",
                "+1 312 %## ####",
            ),
            city(
                "Phoenix",
                "AZ",
                "America/Phoenix",
                "850##",
                "+1 602 %## ####",
            ),
            city(
                "Raleigh",
                "NC",
                "America/New_York",
                "276##",
                "+1 919 %## ####",
            ),
        ],
        // Comcast, Charter
        residential: &[
            "73.32.0.0/11",
            "98.192.0.0/10",
            "71.80.0.0/12",
            "24.60.0.0/14",
        ],
        origins: &[
            (Origin::Anglo, 60),
            (Origin::Hispanic, 10),
            (Origin::Indian, 8),
            (Origin::Chinese, 5),
            (Origin::Korean, 4),
            (Origin::Vietnamese, 3),
            (Origin::Nigerian, 3),
            (Origin::Filipino, 3),
            (Origin::German, 2),
            (Origin::Polish, 2),
        ],
        universities: &[
            "University of Texas at Austin",
            "Georgia Institute of Technology",
            "University of Washington",
            "Arizona State University",
            "Purdue University",
            "Rutgers University",
            "North Carolina State University",
        ],
        employers: &[
            "Capital One",
            "Oracle",
            "Salesforce",
            "Dell Technologies",
            "Indeed",
            "Accenture",
            "Epic Systems",
        ],
        banks: &["Chase", "Bank of America", "Wells Fargo", "Capital One"],
        streets: &[
            "Oak St",
            "Maple Ave",
            "Cedar Ln",
            "Park Blvd",
            "Lakeview Dr",
            "Washington St",
            "Elm St",
            "Hillcrest Rd",
        ],
        number_first: true,
        email_domains: &[
            "gmail.com",
            "gmail.com",
            "outlook.com",
            "yahoo.com",
            "icloud.com",
        ],
        weight: 14,
        rate: (55, 120),
    },
    Country {
        code: "CA",
        currency: "CAD",
        lang: "en",
        english_native: true,
        locale: "en-CA",
        keyboards: &["en-US"],
        phone: "+1 %## %## ####",
        cities: &[
            city(
                "Toronto",
                "ON",
                "America/Toronto",
                "M5V #@#",
                "+1 416 %## ####",
            ),
            city(
                "Vancouver",
                "BC",
                "America/Vancouver",
                "V6B #@#",
                "+1 604 %## ####",
            ),
            city(
                "Montreal",
                "QC",
                "America/Toronto",
                "H2X #@#",
                "+1 514 %## ####",
            ),
            city(
                "Calgary",
                "AB",
                "America/Edmonton",
                "T2P #@#",
                "+1 403 %## ####",
            ),
            city(
                "Ottawa",
                "ON",
                "America/Toronto",
                "K1P #@#",
                "+1 613 %## ####",
            ),
            city(
                "Halifax",
                "NS",
                "America/Halifax",
                "B3H #@#",
                "+1 902 %## ####",
            ),
        ],
        // Rogers, Bell Canada
        residential: &["99.224.0.0/12", "70.24.0.0/13", "24.114.0.0/16"],
        origins: &[
            (Origin::Anglo, 55),
            (Origin::Chinese, 10),
            (Origin::Indian, 10),
            (Origin::French, 8),
            (Origin::Korean, 4),
            (Origin::Filipino, 4),
            (Origin::Ukrainian, 3),
            (Origin::Pakistani, 3),
        ],
        universities: &[
            "University of Toronto",
            "University of Waterloo",
            "University of British Columbia",
            "McGill University",
            "Concordia University",
            "Dalhousie University",
        ],
        employers: &[
            "Shopify",
            "OpenText",
            "Wealthsimple",
            "CGI",
            "RBC",
            "Lightspeed",
        ],
        banks: &["RBC", "TD Canada Trust", "Scotiabank", "BMO"],
        streets: &[
            "Queen St W",
            "King St E",
            "Bloor St W",
            "Granville St",
            "Yonge St",
            "Bank St",
        ],
        number_first: true,
        email_domains: &["gmail.com", "gmail.com", "outlook.com", "yahoo.ca"],
        weight: 6,
        rate: (50, 110),
    },
    Country {
        code: "GB",
        currency: "GBP",
        lang: "en",
        english_native: true,
        locale: "en-GB",
        keyboards: &["en-GB"],
        phone: "+44 7### ######",
        cities: &[
            city("London", "ENG", "Europe/London", "EC1V #@@", ""),
            city("Manchester", "ENG", "Europe/London", "M1 #@@", ""),
            city("Edinburgh", "SCT", "Europe/London", "EH1 #@@", ""),
            city("Bristol", "ENG", "Europe/London", "BS1 #@@", ""),
        ],
        // Virgin Media, BT
        residential: &["86.0.0.0/11", "81.128.0.0/11"],
        origins: &[
            (Origin::Anglo, 70),
            (Origin::Indian, 10),
            (Origin::Pakistani, 6),
            (Origin::Nigerian, 5),
            (Origin::Polish, 4),
            (Origin::Chinese, 3),
        ],
        universities: &[
            "University of Manchester",
            "University College London",
            "University of Edinburgh",
            "University of Bristol",
            "Imperial College London",
        ],
        employers: &["Sky", "Monzo", "BT Group", "Deliveroo", "Ocado Technology"],
        banks: &["Barclays", "HSBC UK", "Monzo", "Lloyds Bank"],
        streets: &[
            "High Street",
            "Station Road",
            "Church Lane",
            "Victoria Road",
            "Mill Lane",
        ],
        number_first: true,
        email_domains: &["gmail.com", "gmail.com", "outlook.com", "btinternet.com"],
        weight: 6,
        rate: (50, 110),
    },
    Country {
        code: "DE",
        currency: "EUR",
        lang: "de",
        english_native: false,
        locale: "de-DE",
        keyboards: &["de-DE"],
        phone: "+49 15# ########",
        cities: &[
            city("Berlin", "BE", "Europe/Berlin", "10###", ""),
            city("München", "BY", "Europe/Berlin", "80###", ""),
            city("Hamburg", "HH", "Europe/Berlin", "20###", ""),
            city("Köln", "NW", "Europe/Berlin", "50###", ""),
        ],
        // Deutsche Telekom, Telefónica Germany
        residential: &["79.192.0.0/10", "91.0.0.0/11", "77.0.0.0/12"],
        origins: &[
            (Origin::German, 90),
            (Origin::Polish, 5),
            (Origin::Ukrainian, 5),
        ],
        universities: &[
            "Technische Universität München",
            "Karlsruher Institut für Technologie",
            "RWTH Aachen",
            "Freie Universität Berlin",
        ],
        employers: &["SAP", "Zalando", "Siemens", "Delivery Hero", "N26"],
        banks: &[
            "Deutsche Bank",
            "Commerzbank",
            "Sparkasse",
            "ING Deutschland",
        ],
        streets: &[
            "Hauptstraße",
            "Bahnhofstraße",
            "Gartenstraße",
            "Schillerstraße",
            "Lindenallee",
        ],
        number_first: false,
        email_domains: &["gmail.com", "web.de", "gmx.de", "outlook.de"],
        weight: 4,
        rate: (45, 100),
    },
    Country {
        code: "FR",
        currency: "EUR",
        lang: "fr",
        english_native: false,
        locale: "fr-FR",
        keyboards: &["fr-FR"],
        phone: "+33 6 ## ## ## ##",
        cities: &[
            city("Paris", "IDF", "Europe/Paris", "750##", ""),
            city("Lyon", "ARA", "Europe/Paris", "6900#", ""),
            city("Toulouse", "OCC", "Europe/Paris", "3100#", ""),
            city("Nantes", "PDL", "Europe/Paris", "4400#", ""),
        ],
        // Orange, Free
        residential: &["86.192.0.0/11", "82.224.0.0/11"],
        origins: &[
            (Origin::French, 85),
            (Origin::Egyptian, 5),
            (Origin::Vietnamese, 5),
            (Origin::Hispanic, 5),
        ],
        universities: &[
            "Université Paris-Saclay",
            "INSA Lyon",
            "Université de Toulouse",
            "EPITA",
            "Université de Nantes",
        ],
        employers: &[
            "Capgemini",
            "Dassault Systèmes",
            "Criteo",
            "Doctolib",
            "Sopra Steria",
        ],
        banks: &[
            "BNP Paribas",
            "Société Générale",
            "Crédit Agricole",
            "Boursorama",
        ],
        streets: &[
            "rue de la République",
            "avenue Jean Jaurès",
            "rue Victor Hugo",
            "boulevard Voltaire",
        ],
        number_first: true,
        email_domains: &["gmail.com", "orange.fr", "free.fr", "outlook.fr"],
        weight: 3,
        rate: (40, 90),
    },
    Country {
        code: "PL",
        currency: "PLN",
        lang: "pl",
        english_native: false,
        locale: "pl-PL",
        keyboards: &["pl-PL"],
        phone: "+48 5## ### ###",
        cities: &[
            city("Warszawa", "MZ", "Europe/Warsaw", "0#-###", ""),
            city("Kraków", "MA", "Europe/Warsaw", "3#-###", ""),
            city("Wrocław", "DS", "Europe/Warsaw", "5#-###", ""),
            city("Gdańsk", "PM", "Europe/Warsaw", "80-###", ""),
        ],
        // Orange Polska
        residential: &["83.24.0.0/13", "79.184.0.0/13"],
        origins: &[(Origin::Polish, 92), (Origin::Ukrainian, 8)],
        universities: &[
            "Politechnika Warszawska",
            "AGH University of Krakow",
            "Politechnika Wrocławska",
            "Politechnika Gdańska",
        ],
        employers: &["Allegro", "Comarch", "Asseco Poland", "Netguru", "10Clouds"],
        banks: &[
            "PKO Bank Polski",
            "mBank",
            "Santander Bank Polska",
            "ING Bank Śląski",
        ],
        streets: &[
            "ul. Marszałkowska",
            "ul. Długa",
            "ul. Piękna",
            "ul. Mickiewicza",
            "ul. Kwiatowa",
        ],
        number_first: false,
        email_domains: &["gmail.com", "wp.pl", "o2.pl", "onet.pl"],
        weight: 4,
        rate: (35, 75),
    },
    Country {
        code: "UA",
        currency: "UAH",
        lang: "uk",
        english_native: false,
        locale: "uk-UA",
        keyboards: &["en-US", "uk-UA"],
        phone: "+380 67 ### ####",
        cities: &[
            city("Kyiv", "30", "Europe/Kyiv", "0####", ""),
            city("Lviv", "46", "Europe/Kyiv", "79###", ""),
            city("Kharkiv", "63", "Europe/Kyiv", "61###", ""),
            city("Dnipro", "12", "Europe/Kyiv", "49###", ""),
        ],
        // Kyivstar, Ukrtelecom
        residential: &["46.211.0.0/16", "94.153.0.0/16", "213.186.112.0/20"],
        origins: &[(Origin::Ukrainian, 100)],
        universities: &[
            "Kyiv Polytechnic Institute",
            "Lviv Polytechnic National University",
            "Kharkiv National University of Radio Electronics",
            "Taras Shevchenko National University of Kyiv",
        ],
        employers: &[
            "EPAM Systems",
            "SoftServe",
            "GlobalLogic",
            "Intellias",
            "N-iX",
        ],
        banks: &["PrivatBank", "Monobank", "Oschadbank"],
        streets: &[
            "vul. Khreshchatyk",
            "vul. Shevchenka",
            "vul. Franka",
            "prosp. Peremohy",
        ],
        number_first: false,
        email_domains: &["gmail.com", "gmail.com", "ukr.net", "i.ua"],
        weight: 5,
        rate: (30, 65),
    },
    Country {
        code: "IN",
        currency: "INR",
        lang: "hi",
        english_native: false,
        locale: "en-IN",
        keyboards: &["en-US"],
        phone: "+91 9#### #####",
        cities: &[
            city("Bengaluru", "KA", "Asia/Kolkata", "5600##", ""),
            city("Pune", "MH", "Asia/Kolkata", "4110##", ""),
            city("Hyderabad", "TG", "Asia/Kolkata", "5000##", ""),
            city("Chennai", "TN", "Asia/Kolkata", "6000##", ""),
            city("Noida", "UP", "Asia/Kolkata", "2013##", ""),
        ],
        // Reliance Jio, Bharti Airtel
        residential: &["49.36.0.0/14", "122.160.0.0/13", "115.240.0.0/13"],
        origins: &[(Origin::Indian, 100)],
        universities: &[
            "Anna University",
            "Vellore Institute of Technology",
            "Savitribai Phule Pune University",
            "Jawaharlal Nehru Technological University",
            "Amity University",
        ],
        employers: &[
            "Infosys",
            "Tata Consultancy Services",
            "Wipro",
            "Flipkart",
            "Zoho",
        ],
        banks: &[
            "HDFC Bank",
            "ICICI Bank",
            "State Bank of India",
            "Axis Bank",
        ],
        streets: &[
            "MG Road",
            "Residency Road",
            "Hill Road",
            "Link Road",
            "Station Road",
        ],
        number_first: true,
        email_domains: &["gmail.com", "gmail.com", "outlook.com", "rediffmail.com"],
        weight: 10,
        rate: (18, 45),
    },
    Country {
        code: "PK",
        currency: "PKR",
        lang: "ur",
        english_native: false,
        locale: "en-PK",
        keyboards: &["en-US"],
        phone: "+92 3## #######",
        cities: &[
            city("Lahore", "PB", "Asia/Karachi", "54###", ""),
            city("Karachi", "SD", "Asia/Karachi", "75###", ""),
            city("Islamabad", "IS", "Asia/Karachi", "44###", ""),
        ],
        // PTCL
        residential: &["39.32.0.0/11", "119.152.0.0/13"],
        origins: &[(Origin::Pakistani, 100)],
        universities: &[
            "FAST-NUCES",
            "COMSATS University Islamabad",
            "University of Engineering and Technology Lahore",
            "NUST",
        ],
        employers: &[
            "Systems Limited",
            "NetSol Technologies",
            "Arbisoft",
            "10Pearls",
        ],
        banks: &["HBL", "Meezan Bank", "UBL"],
        streets: &["Main Boulevard", "Jinnah Avenue", "Mall Road", "Canal Road"],
        number_first: true,
        email_domains: GLOBAL_MAIL,
        weight: 5,
        rate: (15, 40),
    },
    Country {
        code: "PH",
        currency: "PHP",
        lang: "fil",
        english_native: false,
        locale: "en-PH",
        keyboards: &["en-US"],
        phone: "+63 9## ### ####",
        cities: &[
            city("Manila", "NCR", "Asia/Manila", "1###", ""),
            city("Cebu City", "CEB", "Asia/Manila", "6000", ""),
            city("Davao City", "DAS", "Asia/Manila", "8000", ""),
        ],
        // Globe, PLDT
        residential: &["112.198.0.0/16", "120.28.0.0/16", "210.23.160.0/19"],
        origins: &[(Origin::Filipino, 100)],
        universities: &[
            "University of the Philippines Diliman",
            "Ateneo de Manila University",
            "De La Salle University",
            "University of San Carlos",
        ],
        employers: &[
            "Accenture Philippines",
            "Globe Telecom",
            "Sprout Solutions",
            "PayMaya",
        ],
        banks: &["BDO", "BPI", "Metrobank"],
        streets: &[
            "Rizal Avenue",
            "Mabini Street",
            "Bonifacio Street",
            "Osmeña Boulevard",
        ],
        number_first: true,
        email_domains: GLOBAL_MAIL,
        weight: 6,
        rate: (15, 38),
    },
    Country {
        code: "VN",
        currency: "VND",
        lang: "vi",
        english_native: false,
        locale: "vi-VN",
        keyboards: &["en-US", "vi-VN"],
        phone: "+84 9# ### ####",
        cities: &[
            city("Ho Chi Minh City", "SG", "Asia/Ho_Chi_Minh", "700000", ""),
            city("Hanoi", "HN", "Asia/Ho_Chi_Minh", "100000", ""),
            city("Da Nang", "DN", "Asia/Ho_Chi_Minh", "550000", ""),
        ],
        // VNPT, Viettel
        residential: &["113.160.0.0/11", "171.224.0.0/11"],
        origins: &[(Origin::Vietnamese, 100)],
        universities: &[
            "Hanoi University of Science and Technology",
            "Ho Chi Minh City University of Technology",
            "FPT University",
            "University of Danang",
        ],
        employers: &["FPT Software", "VNG Corporation", "Tiki", "KMS Technology"],
        banks: &["Vietcombank", "Techcombank", "VPBank"],
        streets: &["Nguyen Hue", "Le Loi", "Tran Hung Dao", "Hai Ba Trung"],
        number_first: true,
        email_domains: GLOBAL_MAIL,
        weight: 4,
        rate: (18, 40),
    },
    Country {
        code: "ID",
        currency: "IDR",
        lang: "id",
        english_native: false,
        locale: "id-ID",
        keyboards: &["en-US"],
        phone: "+62 81# #### ####",
        cities: &[
            city("Jakarta", "JK", "Asia/Jakarta", "10###", ""),
            city("Bandung", "JB", "Asia/Jakarta", "40###", ""),
            city("Yogyakarta", "YO", "Asia/Jakarta", "55###", ""),
            city("Denpasar", "BA", "Asia/Makassar", "80###", ""),
        ],
        // Telkom Indonesia, Telkomsel
        residential: &["36.64.0.0/11", "39.192.0.0/10"],
        origins: &[(Origin::Indonesian, 100)],
        universities: &[
            "Institut Teknologi Bandung",
            "Universitas Indonesia",
            "Universitas Gadjah Mada",
            "Binus University",
        ],
        employers: &["Tokopedia", "Gojek", "Traveloka", "Bukalapak"],
        banks: &["Bank Central Asia", "Bank Mandiri", "BNI"],
        streets: &[
            "Jalan Sudirman",
            "Jalan Thamrin",
            "Jalan Gatot Subroto",
            "Jalan Merdeka",
        ],
        number_first: false,
        email_domains: GLOBAL_MAIL,
        weight: 3,
        rate: (15, 38),
    },
    Country {
        code: "BR",
        currency: "BRL",
        lang: "pt",
        english_native: false,
        locale: "pt-BR",
        keyboards: &["pt-BR"],
        phone: "+55 11 9#### ####",
        cities: &[
            city("São Paulo", "SP", "America/Sao_Paulo", "0####-###", ""),
            city("Rio de Janeiro", "RJ", "America/Sao_Paulo", "2####-###", ""),
            city("Belo Horizonte", "MG", "America/Sao_Paulo", "3####-###", ""),
            city("Recife", "PE", "America/Recife", "5####-###", ""),
            city("Florianópolis", "SC", "America/Sao_Paulo", "88###-###", ""),
        ],
        // Claro, Telefônica/Vivo
        residential: &["177.192.0.0/14", "201.86.0.0/16"],
        origins: &[
            (Origin::Brazilian, 90),
            (Origin::Japanese, 5),
            (Origin::German, 5),
        ],
        universities: &[
            "Universidade de São Paulo",
            "UNICAMP",
            "UFRJ",
            "UFMG",
            "UFPE",
        ],
        employers: &["Nubank", "Stone", "iFood", "CI&T", "TOTVS"],
        banks: &["Itaú", "Nubank", "Banco do Brasil", "Bradesco"],
        streets: &[
            "Rua Augusta",
            "Avenida Paulista",
            "Rua das Flores",
            "Rua XV de Novembro",
        ],
        number_first: false,
        email_domains: &["gmail.com", "gmail.com", "outlook.com", "uol.com.br"],
        weight: 5,
        rate: (25, 55),
    },
    Country {
        code: "MX",
        currency: "MXN",
        lang: "es",
        english_native: false,
        locale: "es-MX",
        keyboards: &["es-MX"],
        phone: "+52 55 #### ####",
        cities: &[
            city(
                "Ciudad de México",
                "CMX",
                "America/Mexico_City",
                "0####",
                "",
            ),
            city("Guadalajara", "JAL", "America/Mexico_City", "44###", ""),
            city("Monterrey", "NLE", "America/Monterrey", "64###", ""),
        ],
        // Telmex (Uninet)
        residential: &["187.128.0.0/11", "189.128.0.0/11"],
        origins: &[(Origin::Hispanic, 100)],
        universities: &[
            "UNAM",
            "Tecnológico de Monterrey",
            "Universidad de Guadalajara",
            "Instituto Politécnico Nacional",
        ],
        employers: &["Softtek", "Kavak", "Bitso", "Clip"],
        banks: &["BBVA México", "Banorte", "Santander México"],
        streets: &[
            "Avenida Reforma",
            "Calle Madero",
            "Avenida Juárez",
            "Calle Hidalgo",
        ],
        number_first: false,
        email_domains: &["gmail.com", "gmail.com", "hotmail.com", "outlook.com"],
        weight: 3,
        rate: (25, 55),
    },
    Country {
        code: "AR",
        currency: "ARS",
        lang: "es",
        english_native: false,
        locale: "es-AR",
        keyboards: &["es-ES"],
        phone: "+54 9 11 #### ####",
        cities: &[
            city(
                "Buenos Aires",
                "C",
                "America/Argentina/Buenos_Aires",
                "C1###@@@",
                "",
            ),
            city("Córdoba", "X", "America/Argentina/Cordoba", "X5000@@@", ""),
            city("Rosario", "S", "America/Argentina/Cordoba", "S2000@@@", ""),
        ],
        // Telecom Argentina
        residential: &["181.8.0.0/13", "190.16.0.0/14"],
        origins: &[
            (Origin::Hispanic, 85),
            (Origin::German, 5),
            (Origin::Ukrainian, 5),
            (Origin::Polish, 5),
        ],
        universities: &[
            "Universidad de Buenos Aires",
            "Universidad Tecnológica Nacional",
            "Universidad Nacional de Córdoba",
        ],
        employers: &["Globant", "Mercado Libre", "Despegar", "Ualá"],
        banks: &["Banco Galicia", "Banco Nación", "Brubank"],
        streets: &[
            "Avenida Corrientes",
            "Calle Florida",
            "Avenida Santa Fe",
            "Calle Defensa",
        ],
        number_first: false,
        email_domains: &["gmail.com", "gmail.com", "hotmail.com", "outlook.com"],
        weight: 3,
        rate: (25, 55),
    },
    Country {
        code: "NG",
        currency: "NGN",
        lang: "en",
        english_native: true,
        locale: "en-NG",
        keyboards: &["en-US"],
        phone: "+234 80# ### ####",
        cities: &[
            city("Lagos", "LA", "Africa/Lagos", "100###", ""),
            city("Abuja", "FC", "Africa/Lagos", "900###", ""),
            city("Ibadan", "OY", "Africa/Lagos", "200###", ""),
        ],
        // Airtel Nigeria, MTN Nigeria
        residential: &["105.112.0.0/13", "197.210.0.0/16"],
        origins: &[(Origin::Nigerian, 100)],
        universities: &[
            "University of Lagos",
            "Obafemi Awolowo University",
            "Covenant University",
            "University of Ibadan",
        ],
        employers: &["Andela", "Flutterwave", "Paystack", "Interswitch"],
        banks: &["GTBank", "Access Bank", "Zenith Bank"],
        streets: &[
            "Allen Avenue",
            "Adeola Odeku Street",
            "Awolowo Road",
            "Herbert Macaulay Way",
        ],
        number_first: true,
        email_domains: GLOBAL_MAIL,
        weight: 4,
        rate: (15, 40),
    },
    Country {
        code: "KE",
        currency: "KES",
        lang: "sw",
        english_native: false,
        locale: "en-KE",
        keyboards: &["en-US"],
        phone: "+254 7## ######",
        cities: &[
            city("Nairobi", "Nairobi", "Africa/Nairobi", "00100", ""),
            city("Mombasa", "Mombasa", "Africa/Nairobi", "80100", ""),
            city("Kisumu", "Kisumu", "Africa/Nairobi", "40100", ""),
        ],
        // Safaricom
        residential: &["41.90.0.0/16", "196.201.208.0/20"],
        origins: &[(Origin::Kenyan, 100)],
        universities: &[
            "University of Nairobi",
            "Jomo Kenyatta University of Agriculture and Technology",
            "Strathmore University",
            "Moi University",
        ],
        employers: &["Safaricom", "Cellulant", "Twiga Foods", "Andela"],
        banks: &["Equity Bank", "KCB", "Co-operative Bank"],
        streets: &["Moi Avenue", "Kenyatta Avenue", "Ngong Road", "Waiyaki Way"],
        number_first: true,
        email_domains: GLOBAL_MAIL,
        weight: 3,
        rate: (15, 38),
    },
    Country {
        code: "EG",
        currency: "EGP",
        lang: "ar",
        english_native: false,
        locale: "ar-EG",
        keyboards: &["en-US", "ar-EG"],
        phone: "+20 10 #### ####",
        cities: &[
            city("Cairo", "C", "Africa/Cairo", "11###", ""),
            city("Alexandria", "ALX", "Africa/Cairo", "21###", ""),
            city("Giza", "GZ", "Africa/Cairo", "12###", ""),
        ],
        // TE Data
        residential: &["41.32.0.0/12", "156.192.0.0/11"],
        origins: &[(Origin::Egyptian, 100)],
        universities: &[
            "Cairo University",
            "Ain Shams University",
            "Alexandria University",
            "The American University in Cairo",
        ],
        employers: &["Vodafone Egypt", "Valeo Egypt", "Instabug", "Swvl"],
        banks: &["National Bank of Egypt", "CIB", "Banque Misr"],
        streets: &[
            "Tahrir Street",
            "El Nasr Road",
            "Corniche Road",
            "Abbas El Akkad Street",
        ],
        number_first: true,
        email_domains: GLOBAL_MAIL,
        weight: 3,
        rate: (15, 38),
    },
    Country {
        code: "KR",
        currency: "KRW",
        lang: "ko",
        english_native: false,
        locale: "ko-KR",
        keyboards: &["en-US", "ko-KR"],
        phone: "+82 10 #### ####",
        cities: &[
            city("Seoul", "11", "Asia/Seoul", "0####", ""),
            city("Busan", "26", "Asia/Seoul", "4####", ""),
            city("Seongnam", "41", "Asia/Seoul", "13###", ""),
            city("Daejeon", "30", "Asia/Seoul", "34###", ""),
        ],
        // Korea Telecom, SK Broadband
        residential: &["121.128.0.0/10", "175.192.0.0/10", "210.218.128.0/18"],
        origins: &[(Origin::Korean, 100)],
        universities: &[
            "Seoul National University",
            "KAIST",
            "Yonsei University",
            "Korea University",
            "Pusan National University",
        ],
        employers: &["Naver", "Kakao", "Samsung SDS", "Coupang", "LINE Plus"],
        banks: &["KB Kookmin Bank", "Shinhan Bank", "Woori Bank"],
        streets: &["Teheran-ro", "Gangnam-daero", "Sejong-daero", "Olympic-ro"],
        number_first: false,
        email_domains: &["gmail.com", "naver.com", "naver.com", "daum.net"],
        weight: 2,
        rate: (40, 85),
    },
    Country {
        code: "JP",
        currency: "JPY",
        lang: "ja",
        english_native: false,
        locale: "ja-JP",
        keyboards: &["ja-JP"],
        phone: "+81 90 #### ####",
        cities: &[
            city("Tokyo", "13", "Asia/Tokyo", "1##-####", ""),
            city("Osaka", "27", "Asia/Tokyo", "5##-####", ""),
            city("Fukuoka", "40", "Asia/Tokyo", "8##-####", ""),
            city("Sapporo", "01", "Asia/Tokyo", "0##-####", ""),
        ],
        // SoftBank, NTT OCN, KDDI
        residential: &["60.64.0.0/11", "58.88.0.0/13", "36.8.0.0/13"],
        origins: &[(Origin::Japanese, 95), (Origin::Korean, 5)],
        universities: &[
            "University of Tokyo",
            "Osaka University",
            "Kyushu University",
            "Tokyo Institute of Technology",
        ],
        employers: &["Rakuten", "Mercari", "CyberAgent", "LINE Yahoo", "Fujitsu"],
        banks: &["MUFG Bank", "SMBC", "Mizuho Bank"],
        streets: &["Chuo-dori", "Meiji-dori", "Omotesando", "Midosuji"],
        number_first: false,
        email_domains: &["gmail.com", "yahoo.co.jp", "outlook.jp"],
        weight: 2,
        rate: (40, 85),
    },
    Country {
        code: "CN",
        currency: "CNY",
        lang: "zh-Hans",
        english_native: false,
        locale: "zh-CN",
        keyboards: &["en-US", "zh-CN"],
        phone: "+86 13# #### ####",
        cities: &[
            city("Shanghai", "SH", "Asia/Shanghai", "200###", ""),
            city("Shenzhen", "GD", "Asia/Shanghai", "518###", ""),
            city("Hangzhou", "ZJ", "Asia/Shanghai", "310###", ""),
            city("Chengdu", "SC", "Asia/Shanghai", "610###", ""),
            city("Beijing", "BJ", "Asia/Shanghai", "100###", ""),
        ],
        // China Telecom Shanghai, Guangdong, Zhejiang; China Unicom Beijing
        residential: &[
            "101.80.0.0/12",
            "180.160.0.0/12",
            "113.96.0.0/12",
            "115.192.0.0/12",
            "123.112.0.0/12",
        ],
        origins: &[(Origin::Chinese, 100)],
        universities: &[
            "Zhejiang University",
            "Shanghai Jiao Tong University",
            "Sun Yat-sen University",
            "University of Electronic Science and Technology of China",
        ],
        employers: &["Alibaba", "Tencent", "ByteDance", "Huawei", "Meituan"],
        banks: &["ICBC", "China Merchants Bank", "Bank of China"],
        streets: &[
            "Nanjing Road",
            "Huaihai Road",
            "Shennan Avenue",
            "Wensan Road",
        ],
        number_first: false,
        email_domains: &["qq.com", "163.com", "gmail.com", "outlook.com"],
        weight: 2,
        rate: (30, 60),
    },
    Country {
        code: "AU",
        currency: "AUD",
        lang: "en",
        english_native: true,
        locale: "en-AU",
        keyboards: &["en-US"],
        phone: "+61 4## ### ###",
        cities: &[
            city("Sydney", "NSW", "Australia/Sydney", "2###", ""),
            city("Melbourne", "VIC", "Australia/Melbourne", "3###", ""),
            city("Brisbane", "QLD", "Australia/Brisbane", "4###", ""),
            city("Perth", "WA", "Australia/Perth", "6###", ""),
        ],
        // Telstra, Optus
        residential: &["101.160.0.0/11", "120.144.0.0/12", "49.2.0.0/15"],
        origins: &[
            (Origin::Anglo, 70),
            (Origin::Chinese, 10),
            (Origin::Indian, 8),
            (Origin::Vietnamese, 5),
            (Origin::Korean, 3),
            (Origin::Filipino, 4),
        ],
        universities: &[
            "University of Sydney",
            "University of Melbourne",
            "UNSW Sydney",
            "Queensland University of Technology",
        ],
        employers: &["Atlassian", "Canva", "REA Group", "Xero"],
        banks: &["Commonwealth Bank", "ANZ", "Westpac", "NAB"],
        streets: &["George St", "Collins St", "Queen St", "Hay St", "Bourke St"],
        number_first: true,
        email_domains: &["gmail.com", "gmail.com", "outlook.com", "bigpond.com"],
        weight: 3,
        rate: (50, 110),
    },
    Country {
        code: "ES",
        currency: "EUR",
        lang: "es",
        english_native: false,
        locale: "es-ES",
        keyboards: &["es-ES"],
        phone: "+34 6## ### ###",
        cities: &[
            city("Madrid", "MD", "Europe/Madrid", "28###", ""),
            city("Barcelona", "CT", "Europe/Madrid", "08###", ""),
            city("Valencia", "VC", "Europe/Madrid", "46###", ""),
        ],
        // Telefónica de España
        residential: &["83.32.0.0/11", "88.0.0.0/11"],
        origins: &[
            (Origin::Hispanic, 90),
            (Origin::Brazilian, 5),
            (Origin::Ukrainian, 5),
        ],
        universities: &[
            "Universidad Politécnica de Madrid",
            "Universitat Politècnica de Catalunya",
            "Universitat Politècnica de València",
        ],
        employers: &["Glovo", "Cabify", "Telefónica Tech", "Typeform"],
        banks: &["Santander", "BBVA", "CaixaBank"],
        streets: &[
            "Calle Mayor",
            "Gran Vía",
            "Calle de Alcalá",
            "Passeig de Gràcia",
        ],
        number_first: false,
        email_domains: &["gmail.com", "gmail.com", "hotmail.es", "outlook.es"],
        weight: 2,
        rate: (35, 80),
    },
    Country {
        code: "NL",
        currency: "EUR",
        lang: "nl",
        english_native: false,
        locale: "nl-NL",
        keyboards: &["en-US"],
        phone: "+31 6 ########",
        cities: &[
            city("Amsterdam", "NH", "Europe/Amsterdam", "10## @@", ""),
            city("Rotterdam", "ZH", "Europe/Amsterdam", "30## @@", ""),
            city("Utrecht", "UT", "Europe/Amsterdam", "35## @@", ""),
        ],
        // Vodafone Libertel (Ziggo), KPN
        residential: &["94.208.0.0/13", "195.73.0.0/16"],
        origins: &[
            (Origin::Dutch, 85),
            (Origin::Indonesian, 5),
            (Origin::Polish, 5),
            (Origin::Anglo, 5),
        ],
        universities: &[
            "TU Delft",
            "University of Amsterdam",
            "Eindhoven University of Technology",
            "Utrecht University",
        ],
        employers: &["Booking.com", "Adyen", "ASML", "Picnic"],
        banks: &["ING", "ABN AMRO", "Rabobank"],
        streets: &["Keizersgracht", "Prinsengracht", "Coolsingel", "Oudegracht"],
        number_first: false,
        email_domains: &["gmail.com", "gmail.com", "outlook.com", "ziggo.nl"],
        weight: 2,
        rate: (45, 100),
    },
];

/// Looks a country up by ISO code.
pub(crate) fn country(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// A hosting/VPS or commercial-VPN block: `(provider, country the ASN database places it
/// in, CIDR)`. Illustrative; see the module docs.
pub(crate) type NetBlock = (&'static str, &'static str, &'static str);

/// VPS providers whose address space concealment-minded operators rent.
pub(crate) static HOSTING: &[NetBlock] = &[
    ("DigitalOcean", "US", "45.55.0.0/16"),
    ("DigitalOcean", "US", "104.131.0.0/16"),
    ("DigitalOcean", "DE", "64.226.64.0/18"),
    ("DigitalOcean", "NL", "188.226.128.0/17"),
    ("Vultr (Choopa)", "US", "144.202.0.0/17"),
    ("Vultr (Choopa)", "JP", "167.179.64.0/18"),
    ("Vultr (Choopa)", "CA", "216.128.176.0/20"),
    ("Vultr (Choopa)", "PL", "70.34.240.0/20"),
    ("OVH", "US", "15.204.0.0/16"),
    ("OVH", "CA", "15.235.0.0/16"),
    ("OVH", "FR", "37.187.0.0/16"),
    ("OVH", "GB", "92.246.224.0/19"),
    ("Hetzner", "DE", "49.12.0.0/15"),
    ("Hetzner", "FI", "95.216.0.0/15"),
    ("Hetzner", "US", "5.161.0.0/16"),
    ("M247", "US", "38.132.96.0/19"),
    ("M247", "GB", "188.119.128.0/20"),
    ("M247", "RO", "82.102.16.0/20"),
    ("M247", "JP", "193.135.220.0/22"),
    ("M247", "UA", "95.134.8.0/22"),
    ("M247", "CA", "2.57.28.0/22"),
    ("M247", "AU", "31.13.188.0/22"),
    ("Linode", "US", "45.33.0.0/17"),
    ("Linode", "GB", "178.79.128.0/18"),
];

/// Exit ranges of commercial consumer VPN services (hosted at M247, Datacamp, PacketHub).
pub(crate) static COMMERCIAL_VPN: &[NetBlock] = &[
    ("M247", "US", "38.132.96.0/19"),
    ("M247", "GB", "188.119.128.0/20"),
    ("M247", "SE", "94.154.140.0/22"),
    ("M247", "CH", "188.74.248.0/21"),
    ("M247", "CA", "2.57.28.0/22"),
    ("Datacamp", "US", "104.250.208.0/20"),
    ("Datacamp", "NL", "93.88.144.0/21"),
    ("Datacamp", "DE", "149.102.224.0/19"),
    ("PacketHub (NordVPN)", "US", "188.172.176.0/20"),
    ("PacketHub (NordVPN)", "GB", "85.254.104.0/21"),
];

/// China Unicom and China Telecom blocks in Liaoning province (Shenyang, Dalian), where
/// DPRK IT-worker teams have been reported to operate.
pub(crate) static CN_LIAONING: &[&str] = &["175.160.0.0/12", "60.16.0.0/13", "123.184.0.0/14"];

/// Russian eyeball ISPs (Beeline, Rostelecom).
pub(crate) static RU_BLOCKS: &[&str] = &["95.24.0.0/13", "176.208.0.0/13"];

/// Star Joint Venture (AS131279), North Korea's own address space.
pub(crate) const KP_BLOCK: &str = "175.45.176.0/22";

/// Residences used as "laptop farms": a facilitator in the US receives company laptops for
/// several remote hires and keeps them online. Street line and the city it is in.
/// Synthetic addresses.
pub(crate) static FARMS: &[(&str, City)] = &[
    (
        "88 Elm St Apt 3",
        city(
            "Nashville",
            "TN",
            "America/Chicago",
            "37203",
            "+1 615 %## ####",
        ),
    ),
    (
        "2209 Oak Hollow Ln",
        city("Plano", "TX", "America/Chicago", "75023", "+1 972 %## ####"),
    ),
    (
        "417 Maple Ave",
        city(
            "Columbus",
            "OH",
            "America/New_York",
            "43215",
            "+1 614 %## ####",
        ),
    ),
    (
        "5610 Willow Creek Ct",
        city(
            "Charlotte",
            "NC",
            "America/New_York",
            "28210",
            "+1 704 %## ####",
        ),
    ),
    (
        "73 Birchwood Rd Unit B",
        city(
            "Scottsdale",
            "AZ",
            "America/Phoenix",
            "85251",
            "+1 480 %## ####",
        ),
    ),
    (
        "1190 Sycamore Dr",
        city(
            "Hillsboro",
            "OR",
            "America/Los_Angeles",
            "97124",
            "+1 503 %## ####",
        ),
    ),
    (
        "36 Chestnut St",
        city(
            "Jersey City",
            "NJ",
            "America/New_York",
            "07302",
            "+1 201 %## ####",
        ),
    ),
    (
        "940 Magnolia Blvd",
        city(
            "Tampa",
            "FL",
            "America/New_York",
            "33606",
            "+1 813 %## ####",
        ),
    ),
];

/// The sentences an operation's shared résumé is made of: one from each row.
pub(crate) static RESUME_PARTS: &[&[&str]] = &[
    &[
        "Senior full-stack engineer with over eight years of experience delivering web and mobile products for clients in finance, healthcare and e-commerce",
        "Seasoned software developer with nine years of hands-on experience building scalable platforms for startups and enterprises across North America",
    ],
    &[
        "Expert in React, Node.js, TypeScript and cloud infrastructure on AWS, with a strong record of shipping features on time and within budget",
        "Proficient in Python, Django, Vue and PostgreSQL, and comfortable owning projects end to end from requirements to deployment",
    ],
    &[
        "Built and maintained a high-traffic marketplace handling millions of monthly users, improving page load times by forty percent",
        "Designed a real-time analytics dashboard and payment integration used by thousands of merchants every day",
    ],
    &[
        "Available full time, fluent in English, and happy to work in any time zone with excellent communication and daily updates",
        "Reliable, detail oriented and committed to long-term collaboration, with flexible hours that overlap with US business time",
    ],
];

/// Titles of freelancers whose trade is remote support.
pub(crate) static IT_SUPPORT_TITLES: &[&str] = &[
    "Freelance IT Support Engineer",
    "Freelance Systems Administrator",
    "Remote Desktop Support Technician",
    "Managed Services Technician",
];

/// Protocols and DAOs (invented) that hire part-time developers and pay in stablecoins.
pub(crate) static WEB3_EMPLOYERS: &[&str] = &[
    "Arclight Protocol Labs",
    "Tidewater DAO",
    "Ledgerfield Foundation",
    "Quillswap Labs",
    "Northbridge Chain Collective",
];

/// Job titles that never say "part-time", though the gigs are.
pub(crate) static WEB3_TITLES: &[&str] = &[
    "Solidity Engineer",
    "Protocol Engineer",
    "Rust Engineer (Solana)",
    "Developer Relations Engineer",
];

/// Ordinary employers whose names resemble entities on the sanctions lists (checked with
/// `redflag screen` against the OFAC, UN and Canadian lists: each is a review hit on the
/// name alone, never the listed entity).
pub(crate) static LISTED_LOOKALIKE_EMPLOYERS: &[&str] = &[
    "Golden Star Trading Company",
    "Green Pine Associates Ltd",
    "Leader International Trading Ltd",
    "Hesong Trading Company",
];

/// Agencies (dev shops) whose staff are paid into the agency's own account.
pub(crate) static AGENCIES: &[(&str, &str)] = &[
    ("Northwind Dev Studio Ltd", "GB"),
    ("Vistula Software Sp. z o.o.", "PL"),
    ("Dnipro Code House LLC", "UA"),
    ("Bayanihan Digital Inc.", "PH"),
    ("Indus Code Labs Pvt Ltd", "IN"),
    ("Pampa Devs S.R.L.", "AR"),
    ("Lagos Stack Collective Ltd", "NG"),
    ("Saigon Pixel Works Co., Ltd", "VN"),
];

/// Countries where the accounts of payout intermediaries for personas sit.
pub(crate) static MULE_COUNTRIES: &[&str] =
    &["CN", "HK", "AE", "SG", "RU", "VN", "LA", "KH", "MY", "TH"];

/// Trading companies that front for payout accounts. Synthetic.
pub(crate) static FRONT_COMPANIES: &[&str] = &[
    "Golden Pine Trading Ltd",
    "Haoyu Commerce Co., Ltd",
    "Blue Harbor Consulting FZE",
    "Silverline Tech Services Ltd",
    "Evergreen Digital Solutions",
    "Sunrise Global Trading LLC",
];

/// Countries a DPRK-style persona claims to live in, with weights.
pub(crate) static PERSONA_CLAIMS: &[(&str, u32)] = &[
    ("US", 40),
    ("CA", 10),
    ("GB", 10),
    ("JP", 8),
    ("PL", 8),
    ("UA", 8),
    ("DE", 6),
    ("AU", 5),
    ("NL", 5),
];

/// Job titles, with the skills a résumé names for them.
pub(crate) static ROLES: &[(&str, &[&str])] = &[
    (
        "full-stack developer",
        &["React", "Node.js", "TypeScript", "PostgreSQL", "AWS"],
    ),
    (
        "backend developer",
        &["Go", "Python", "Django", "PostgreSQL", "Kubernetes"],
    ),
    (
        "frontend developer",
        &["React", "Vue", "TypeScript", "CSS", "Figma"],
    ),
    (
        "mobile developer",
        &["Flutter", "Kotlin", "Swift", "React Native", "Firebase"],
    ),
    (
        "DevOps engineer",
        &["Terraform", "Kubernetes", "AWS", "GitLab CI", "Prometheus"],
    ),
    (
        "data engineer",
        &["Python", "Spark", "Airflow", "dbt", "Snowflake"],
    ),
    (
        "QA automation engineer",
        &["Playwright", "Cypress", "Selenium", "Java", "Jenkins"],
    ),
    (
        "blockchain developer",
        &["Solidity", "Rust", "ethers.js", "Hardhat", "Web3"],
    ),
];

/// Client repositories work is committed to.
pub(crate) static REPOSITORIES: &[&str] = &[
    "acme/web",
    "acme/api",
    "acme/mobile",
    "acme/infra",
    "acme/data-pipeline",
    "acme/payments",
    "acme/design-system",
    "acme/admin",
];

pub(crate) static DEGREES: &[(&str, &str)] = &[
    ("BSc", "Computer Science"),
    ("BSc", "Software Engineering"),
    ("BEng", "Computer Engineering"),
    ("BSc", "Information Systems"),
    ("BEng", "Electrical Engineering"),
    ("BSc", "Mathematics"),
];

pub(crate) static TITLES: &[&str] = &[
    "Software Engineer",
    "Software Developer",
    "Senior Software Engineer",
    "Web Developer",
    "Backend Engineer",
    "Frontend Engineer",
    "Mobile Developer",
    "DevOps Engineer",
];

pub(crate) static OS_LIST: &[(&str, &str)] = &[
    (
        "Windows 11",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    ),
    (
        "macOS 14.5",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    ),
    (
        "Ubuntu 22.04",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
    ),
    (
        "Windows 10",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0",
    ),
];

pub(crate) static MOBILE_UA: &[&str] = &[
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
];

/// Ordinary USB peripherals.
pub(crate) static USB_COMMON: &[&str] = &[
    "046d:c52b Logitech Unifying Receiver",
    "05ac:024f Apple Keyboard",
    "0bda:8153 Realtek USB GbE",
    "1050:0407 Yubico YubiKey OTP+FIDO+CCID",
    "046d:085e Logitech BRIO",
    "0b05:17cb ASUS Bluetooth Radio",
];

/// The PiKVM's USB gadget id: a remote keyboard/video/mouse over IP plugged into a laptop.
pub(crate) const PIKVM_USB: &str = "1209:eda1 PiKVM";

pub(crate) static DEEPFAKE_INDICATORS: &[&str] = &[
    "face_artifacts_on_occlusion",
    "lip_sync_mismatch",
    "unnatural_blinking",
    "background_warping",
    "audio_video_desync",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn valid_cidr(s: &str) -> bool {
        let Some((ip, len)) = s.split_once('/') else {
            return false;
        };
        let (Ok(ip), Ok(len)) = (ip.parse::<Ipv4Addr>(), len.parse::<u32>()) else {
            return false;
        };
        (8..=24).contains(&len) && u32::from(ip) & ((1u64 << (32 - len)) as u32 - 1) == 0
    }

    #[test]
    fn tables_are_complete_and_valid() {
        for c in COUNTRIES {
            assert!(
                !c.cities.is_empty() && !c.residential.is_empty(),
                "{}",
                c.code
            );
            assert!(!c.universities.is_empty() && !c.employers.is_empty() && !c.banks.is_empty());
            assert!(!c.streets.is_empty() && !c.email_domains.is_empty() && !c.origins.is_empty());
            assert!(c.code.parse::<redflag_model::CountryCode>().is_ok());
            assert!(c.currency.parse::<redflag_model::Currency>().is_ok());
            assert!(c.locale.parse::<redflag_model::LanguageTag>().is_ok());
            for city in c.cities {
                assert!(
                    city.tz.parse::<redflag_model::TimeZoneName>().is_ok(),
                    "{}",
                    city.tz
                );
            }
            for b in c.residential {
                assert!(valid_cidr(b), "{b}");
            }
        }
        for (_, cc, b) in HOSTING.iter().chain(COMMERCIAL_VPN) {
            assert!(valid_cidr(b), "{b}");
            assert!(cc.parse::<redflag_model::CountryCode>().is_ok());
        }
        for b in CN_LIAONING.iter().chain(RU_BLOCKS).chain([&KP_BLOCK]) {
            assert!(valid_cidr(b), "{b}");
        }
        for (_, c) in FARMS {
            assert!(c.tz.parse::<redflag_model::TimeZoneName>().is_ok());
        }
        for (_, cc) in AGENCIES {
            assert!(country(cc).is_some());
        }
        for (cc, _) in PERSONA_CLAIMS {
            assert!(country(cc).is_some());
        }
        for o in Origin::ALL {
            let n = o.names();
            assert!(!n.male.is_empty() && !n.female.is_empty() && !n.family.is_empty());
            assert!(n.family_female.is_empty() || n.family_female.len() == n.family.len());
        }
    }
}
