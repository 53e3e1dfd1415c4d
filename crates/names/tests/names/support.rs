//! Shared by the integration tests and the benchmark (each uses a part of it, hence the
//! `allow(dead_code)` where it is included): the OFAC files of `shared/data`, read in
//! place and never copied, and a generator of ordinary names from many countries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use redflag_names::NameKind;

/// `shared/data`, or `None` (after printing why) when it is absent outside CI. Under
/// `CI=true` a missing folder is a failure: CI is meant to have it.
pub fn data_dir(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.join("sanctions/ofac/sdn.csv").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {} is missing and CI=true", dir.display());
    }
    println!("skipped: {test}: {} not found", dir.display());
    None
}

/// A name from a list, with its entity number.
#[derive(Clone, Debug)]
pub struct ListName {
    pub ent_num: u32,
    pub name: String,
    pub kind: NameKind,
}

/// Primary names (sdn.csv, column 2) and aliases (alt.csv, column 4) with their entity
/// numbers; "-0-" means empty. Alias kinds come from the primary entry when present.
pub fn ofac(dir: &Path) -> (Vec<ListName>, Vec<ListName>) {
    let ofac = dir.join("sanctions/ofac");
    let mut kinds: HashMap<u32, NameKind> = HashMap::new();
    let mut primaries = Vec::new();
    for record in csv_records(&ofac.join("sdn.csv")) {
        let (Some(ent), Some(name)) = (record.first(), record.get(1)) else {
            continue;
        };
        let Ok(ent_num) = ent.trim().parse::<u32>() else {
            continue;
        };
        let kind = match record.get(2).map(|s| s.trim()) {
            Some("individual") => NameKind::Person,
            Some("vessel" | "aircraft") => NameKind::Unknown,
            _ => NameKind::Organization,
        };
        kinds.insert(ent_num, kind);
        if let Some(name) = field(name) {
            primaries.push(ListName {
                ent_num,
                name,
                kind,
            });
        }
    }
    let mut aliases = Vec::new();
    for record in csv_records(&ofac.join("alt.csv")) {
        let (Some(ent), Some(name)) = (record.first(), record.get(3)) else {
            continue;
        };
        let Ok(ent_num) = ent.trim().parse::<u32>() else {
            continue;
        };
        if let Some(name) = field(name) {
            aliases.push(ListName {
                ent_num,
                name,
                kind: kinds.get(&ent_num).copied().unwrap_or(NameKind::Unknown),
            });
        }
    }
    (primaries, aliases)
}

fn field(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s != "-0-").then(|| s.to_string())
}

fn csv_records(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect()
}

/// Person and entity names of the UN consolidated list and the Canadian list, read with
/// a plain tag scan (the parsers proper belong to crates/watchlist): only to bring the
/// benchmark corpus to the size of the real combined lists.
pub fn other_list_names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap_or_default();
    let un = read(dir.join("sanctions/un/consolidated.xml"));
    for block in un
        .split("<INDIVIDUAL>")
        .skip(1)
        .chain(un.split("<ENTITY>").skip(1))
    {
        let parts: Vec<&str> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
            .iter()
            .filter_map(|t| tag(block, t))
            .collect();
        if !parts.is_empty() {
            out.push(parts.join(" "));
        }
        for alias in block.split("<ALIAS_NAME>").skip(1) {
            if let Some(end) = alias.find("</ALIAS_NAME>") {
                out.push(alias[..end].trim().to_string());
            }
        }
    }
    let ca = read(dir.join("sanctions/canada/sema-lmes.xml"));
    for block in ca.split("<record>").skip(1) {
        if let Some(entity) = tag(block, "Entity") {
            out.push(entity.to_string());
        }
        if let Some(last) = tag(block, "LastName") {
            out.push(format!("{last}, {}", tag(block, "GivenName").unwrap_or("")));
        }
        if let Some(aliases) = tag(block, "Aliases") {
            out.extend(aliases.split(", ").map(str::to_string));
        }
    }
    out.retain(|n| !n.trim().is_empty());
    out
}

fn tag<'a>(block: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = block.find(&open)? + open.len();
    let end = block[start..].find(&close)? + start;
    let value = block[start..end].trim();
    (!value.is_empty()).then_some(value)
}

/// Given names and surnames per country, each list roughly the 20–25 most frequent
/// (public name-frequency statistics), with how a full name is written there.
struct Country {
    code: &'static str,
    given: &'static str,
    surnames: &'static str,
    style: Style,
}

#[derive(Clone, Copy)]
enum Style {
    /// "Given Surname".
    Western,
    /// "Surname Given" (China).
    SurnameFirst,
    /// "Surname Given-name" with a two-syllable given name (Korea).
    Korean,
    /// "Surname Middle Given" (Vietnam).
    Vietnamese,
    /// "Given Surname Surname" (Spanish-speaking countries, two surnames).
    Hispanic,
    /// "Given Father's-name Surname" (Arabic-speaking countries).
    Arabic,
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        given: "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Christopher Karen Daniel Emily Matthew Ashley Anthony",
        surnames: "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker",
        style: Style::Western,
    },
    Country {
        code: "CA",
        given: "Liam Olivia Noah Emma William Charlotte Benjamin Amelia Lucas Sophia Jacob Chloe Nathan Emily Logan Madison Samuel Gabrielle Felix Alice Mathieu Julie Marc Isabelle Eric",
        surnames: "Tremblay Gagnon Roy Cote Bouchard Gauthier Morin Lavoie Fortin Gagne Ouellet Pelletier Belanger Levesque Bergeron Leblanc Paquette Girard Simard Boucher Smith Brown Wilson MacDonald Campbell",
        style: Style::Western,
    },
    Country {
        code: "GB",
        given: "Oliver Amelia George Isla Harry Ava Jack Emily Jacob Sophie Charlie Grace Thomas Lily Oscar Mia William Ella James Olivia Henry Ruby Alfie Evie Leo",
        surnames: "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Hughes",
        style: Style::Western,
    },
    Country {
        code: "DE",
        given: "Peter Anna Thomas Ursula Michael Monika Andreas Petra Stefan Sabine Klaus Claudia Jürgen Susanne Wolfgang Birgit Frank Andrea Uwe Karin Lukas Lena Jonas Leonie Felix",
        surnames: "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange",
        style: Style::Western,
    },
    Country {
        code: "FR",
        given: "Jean Marie Pierre Nathalie Michel Isabelle Philippe Sylvie Alain Catherine Nicolas Sophie Christophe Sandrine Laurent Valérie Julien Céline Thomas Camille Hugo Léa Louis Chloé Antoine",
        surnames: "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont",
        style: Style::Western,
    },
    Country {
        code: "ES",
        given: "Antonio María José Carmen Manuel Ana Francisco Isabel David Laura Juan Cristina Javier Marta Daniel Lucía Carlos Pilar Miguel Elena Alejandro Rosa Pablo Paula Sergio",
        surnames: "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos",
        style: Style::Hispanic,
    },
    Country {
        code: "IT",
        given: "Giuseppe Maria Giovanni Anna Antonio Giuseppina Mario Rosa Luigi Angela Francesco Giovanna Angelo Teresa Vincenzo Lucia Pietro Carmela Salvatore Caterina Marco Francesca Andrea Giulia Luca",
        surnames: "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi",
        style: Style::Western,
    },
    Country {
        code: "PL",
        given: "Piotr Anna Krzysztof Maria Andrzej Katarzyna Tomasz Małgorzata Paweł Agnieszka Michał Barbara Marcin Ewa Jan Krystyna Grzegorz Elżbieta Jakub Zofia Adam Joanna Łukasz Magdalena Kamil",
        surnames: "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek Piotrowski Grabowski Zając Pawłowski Michalski Król Wieczorek",
        style: Style::Western,
    },
    Country {
        code: "UA",
        given: "Oleksandr Olena Serhiy Tetiana Volodymyr Nataliia Mykola Iryna Andriy Oksana Yuriy Svitlana Vasyl Liudmyla Dmytro Halyna Ivan Yulia Bohdan Mariia Taras Kateryna Ihor Anastasiia Maksym",
        surnames: "Melnyk Shevchenko Boyko Kovalenko Bondarenko Tkachenko Kovalchuk Kravchenko Oliynyk Shevchuk Koval Polishchuk Bondar Tkachuk Moroz Marchenko Lysenko Rudenko Savchenko Petrenko Klymenko Pavlenko Savchuk Kuzmenko Levchenko",
        style: Style::Western,
    },
    Country {
        code: "RU",
        given: "Aleksandr Elena Sergey Olga Dmitry Tatiana Andrey Natalia Alexey Irina Maxim Svetlana Evgeny Anna Ivan Marina Mikhail Yulia Artem Ekaterina Nikolay Galina Pavel Lyudmila Denis",
        surnames: "Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin Zakharov",
        style: Style::Western,
    },
    Country {
        code: "IN",
        given: "Aarav Priya Rahul Pooja Amit Anjali Rajesh Sunita Sanjay Neha Vijay Kavita Anil Deepa Suresh Lakshmi Ravi Meena Arjun Divya Vikram Shreya Manoj Anita Rohit",
        surnames: "Sharma Singh Kumar Patel Gupta Shah Reddy Rao Joshi Mehta Verma Yadav Jain Iyer Nair Pillai Mishra Pandey Das Chopra Banerjee Chatterjee Desai Kapoor Malhotra",
        style: Style::Western,
    },
    Country {
        code: "CN",
        given: "Wei Fang Min Jing Lei Jun Yan Yong Jie Tao Ming Hui Ying Na Xiuying Li Qiang Ping Hua Gang Xiaoming Yuxuan Haoran Zihan Yichen",
        surnames: "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang Xie Tang Song",
        style: Style::SurnameFirst,
    },
    Country {
        code: "JP",
        given: "Hiroshi Yoko Takashi Keiko Akira Naoko Kenji Yuki Satoshi Tomoko Makoto Akiko Yuto Sakura Haruto Yui Sota Hina Daiki Mei Kazuki Aoi Ryota Misaki Kenta",
        surnames: "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Yamashita",
        style: Style::Western,
    },
    Country {
        code: "KR",
        given: "Min-jun Seo-yeon Ji-hoon Ji-woo Jung-hoon Min-ji Sung-ho Eun-ji Hyun-woo Ji-yeon Dong-hyun Soo-jin Jae-hyun Hye-jin Sang-woo Yu-na Jin-woo Seo-hyun Young-ho Mi-kyung Tae-yang Ha-eun Joon-young Su-bin Kyung-soo",
        surnames: "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong Jeon Ko Moon Yang Son",
        style: Style::Korean,
    },
    Country {
        code: "VN",
        given: "Anh Minh Huong Linh Thanh Tuan Hung Lan Mai Hoa Ngoc Quang Duc Trang Phuong Long Hai Thu Nam Dung Hieu Yen Khanh Tam Binh",
        surnames: "Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh Lam Mai Trinh Cao Luu Dao Ha Ta",
        style: Style::Vietnamese,
    },
    Country {
        code: "PH",
        given: "Jose Maria Juan Ana Mark Angel John Michelle Michael Jennifer Ramon Rosario Antonio Cristina Carlo Kimberly Paolo Joy Miguel Grace Rafael Catherine Jerome April Gabriel",
        surnames: "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrade Castillo Flores Villanueva Ramos Castro Rivera Aquino Navarro Salazar Mercado Aguilar Dela Cruz De Leon Gonzales Soriano",
        style: Style::Western,
    },
    Country {
        code: "NG",
        given: "Chinedu Ngozi Emeka Aisha Oluwaseun Fatima Abubakar Blessing Musa Chiamaka Ibrahim Funmilayo Tunde Adaeze Babatunde Amina Olawale Yetunde Chukwuemeka Zainab Segun Nneka Kelechi Hauwa Adebayo",
        surnames: "Okafor Adeyemi Okonkwo Eze Ibrahim Musa Abubakar Bello Mohammed Yusuf Ogunleye Adebayo Olawale Chukwu Nwosu Okeke Abdullahi Usman Aliyu Oyelaran Nwachukwu Balogun Okoro Uche Obi",
        style: Style::Western,
    },
    Country {
        code: "BR",
        given: "João Maria José Ana Antônio Francisca Francisco Antônia Carlos Adriana Paulo Juliana Pedro Márcia Lucas Fernanda Luiz Patrícia Marcos Aline Gabriel Camila Rafael Beatriz Bruno",
        surnames: "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira",
        style: Style::Western,
    },
    Country {
        code: "MX",
        given: "José Guadalupe María Juan Francisco Margarita Luis Verónica Carlos Leticia Jorge Rosa Miguel Alejandra Antonio Patricia Jesús Gabriela Pedro Elizabeth Fernando Adriana Ricardo Claudia Roberto",
        surnames: "Hernández García Martínez López González Pérez Rodríguez Sánchez Ramírez Cruz Flores Gómez Morales Vázquez Reyes Jiménez Torres Díaz Gutiérrez Ruiz Mendoza Aguilar Ortiz Moreno Castillo",
        style: Style::Hispanic,
    },
    Country {
        code: "AR",
        given: "Juan María Carlos Ana Jorge Laura Luis Silvia José Graciela Daniel Marta Miguel Susana Roberto Claudia Ricardo Patricia Martín Valeria Diego Florencia Sebastián Lucía Matías",
        surnames: "González Rodríguez Gómez Fernández López Díaz Martínez Pérez García Sánchez Romero Sosa Álvarez Torres Ruiz Ramírez Flores Acosta Benítez Medina Suárez Herrera Aguirre Pereyra Gutiérrez",
        style: Style::Hispanic,
    },
    Country {
        code: "EG",
        given: "Mohamed Fatma Ahmed Aya Mahmoud Mariam Mostafa Nour Omar Salma Youssef Hana Ali Esraa Hassan Yasmin Karim Rana Amr Dina Tarek Heba Khaled Mona Hossam",
        surnames: "Mohamed Ahmed Hassan Ali Ibrahim Mahmoud Mostafa Abdelrahman Said Sayed Abdallah Hussein Salem Khalil Farouk Gamal Fathy Nasser Adel Samir Ramadan Eid Saleh Ismail Youssef",
        style: Style::Arabic,
    },
    Country {
        code: "IR",
        given: "Ali Fatemeh Mohammad Zahra Reza Maryam Hossein Sara Mehdi Narges Amir Leila Hamid Mahsa Saeed Shirin Hassan Nasrin Mostafa Parisa Morteza Elham Majid Somayeh Behnam",
        surnames: "Hosseini Mohammadi Ahmadi Rezaei Moradi Karimi Jafari Rahimi Hashemi Mousavi Ebrahimi Kazemi Sadeghi Rostami Najafi Ghasemi Heidari Abbasi Salehi Bagheri Akbari Amini Nazari Asadi Shirazi",
        style: Style::Western,
    },
    Country {
        code: "TR",
        given: "Mehmet Fatma Mustafa Ayşe Ahmet Emine Ali Hatice Hüseyin Zeynep Hasan Elif İbrahim Meryem Murat Şerife Ömer Sultan Yusuf Hanife Emre Merve Burak Esra Can",
        surnames: "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Özcan Erdoğan Güneş",
        style: Style::Western,
    },
    Country {
        code: "ID",
        given: "Budi Siti Agus Sri Dewi Andi Nur Rina Hendra Ayu Eko Putri Joko Wulan Rudi Indah Bambang Ratna Arif Fitri Dedi Lestari Yusuf Maya Adi",
        surnames: "Santoso Wijaya Saputra Hidayat Pratama Setiawan Kurniawan Susanto Gunawan Putra Sari Halim Salim Lestari Wibowo Nugroho Suryadi Hartono Utomo Purnomo Rahman Siregar Nasution Harahap Simanjuntak",
        style: Style::Western,
    },
    Country {
        code: "PK",
        given: "Muhammad Ayesha Ahmed Fatima Ali Sana Hassan Zainab Usman Maryam Bilal Hina Imran Amna Faisal Sadia Kamran Nadia Asif Rabia Tariq Saba Waqas Iqra Shahid",
        surnames: "Khan Ahmed Ali Hussain Shah Malik Iqbal Butt Qureshi Chaudhry Raza Akhtar Sheikh Anwar Javed Aslam Mirza Rana Siddiqui Abbasi Bhatti Awan Rehman Baig Hashmi",
        style: Style::Western,
    },
];

/// `per_country` ordinary full names from each of the countries above, deterministic
/// (a fixed linear congruential sequence picks the combinations).
pub fn ordinary_names(per_country: usize) -> Vec<(String, &'static str)> {
    let mut out = Vec::with_capacity(COUNTRIES.len() * per_country);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| -> usize {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n.max(1)
    };
    for c in COUNTRIES {
        let given: Vec<&str> = c.given.split_whitespace().collect();
        let surnames: Vec<&str> = c.surnames.split_whitespace().collect();
        let mut made = std::collections::HashSet::new();
        while made.len() < per_country {
            let g = given[next(given.len())];
            let s = surnames[next(surnames.len())];
            let name = match c.style {
                Style::Western => format!("{g} {s}"),
                Style::SurnameFirst | Style::Korean => format!("{s} {g}"),
                Style::Vietnamese => {
                    let middle = ["Van", "Thi", "Duc", "Minh", "Ngoc"][next(5)];
                    format!("{s} {middle} {g}")
                }
                Style::Hispanic => {
                    let second = surnames[next(surnames.len())];
                    format!("{g} {s} {second}")
                }
                Style::Arabic => {
                    let father = given[next(given.len())];
                    format!("{g} {father} {s}")
                }
            };
            made.insert(name);
        }
        let mut names: Vec<String> = made.into_iter().collect();
        names.sort();
        out.extend(names.into_iter().map(|n| (n, c.code)));
    }
    out
}
